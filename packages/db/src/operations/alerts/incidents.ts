// Incidents and their messages. Opening is one statement that inserts the incident and a pending
// delivery per channel of the rule, only if no incident of the rule is open under the same key
// (open_key, unique while open) and none was ever opened by the same cause (cause_key, unique per
// rule): a leader that looks again, or a new leader re-reading recent runs, opens nothing twice.
// Resolving clears open_key and queues the "resolved" message to the channels that got the
// opening one, in one transaction. Both are fenced by the leader's lease.
import type { AlertEvent, AlertRuleKind } from '@dtss/core';
import type { Pool } from '../../pool';
import { fenceCondition, type LeaderFence } from '../schedules/leaderFence';
import { withTransaction } from '../../transaction';

export interface OpenIncidentInput {
  teamId: string;
  ruleId: string;
  kind: AlertRuleKind;
  channelNames: string[];
  key: string;
  cause: string | null;
  workflowId: string | null;
  runId: string | null;
  title: string;
  details: string[];
  /** What each channel is sent (rendered by the caller). */
  payload: Record<string, unknown>;
  /** A notice, not a state (run recovered): recorded resolved at once, one message. */
  instant?: boolean;
}

/** The new incident's id, or null when it is already open or was opened by this cause before. */
export async function openIncident(
  pool: Pool,
  fence: LeaderFence | null,
  input: OpenIncidentInput,
): Promise<string | null> {
  const params: unknown[] = [
    input.teamId,
    input.ruleId,
    input.kind,
    input.key,
    input.cause,
    input.workflowId,
    input.runId,
    input.title,
    input.details,
    input.instant === true,
    input.channelNames,
    input.payload,
  ];
  const fenced = fenceCondition(fence, params);
  const { rows } = await pool.query<{ id: string }>(
    `WITH ins AS (
       INSERT INTO alert_incidents (team_id, rule_id, kind, key, open_key, cause_key, workflow_id,
                                    run_id, title, details, resolved_at, resolution)
       SELECT $1::uuid, $2::uuid, $3::"AlertRuleKind", $4::text,
              CASE WHEN $10::boolean THEN NULL ELSE $2::text || ':' || $4::text END, $5::text,
              $6::uuid, $7::uuid, $8::text, $9::text[],
              CASE WHEN $10::boolean THEN now() END, CASE WHEN $10::boolean THEN 'notice' END
        WHERE ${fenced}
       ON CONFLICT DO NOTHING
       RETURNING id, team_id, rule_id, run_id),
     fired AS (UPDATE alert_rules SET last_fired_at = now() WHERE id IN (SELECT rule_id FROM ins)),
     sent AS (
       INSERT INTO alert_deliveries (team_id, rule_id, channel_id, incident_id, event, run_id, payload)
       SELECT ins.team_id, ins.rule_id, c.id, ins.id, 'opened', ins.run_id, $12::jsonb
         FROM ins JOIN alert_channels c ON c.team_id = ins.team_id AND c.name = ANY($11::text[]))
     SELECT id FROM ins`,
    params,
  );
  return rows[0]?.id ?? null;
}

export interface OpenIncidentRow {
  id: string;
  teamId: string;
  ruleId: string;
  kind: AlertRuleKind;
  key: string;
  workflowId: string | null;
  runId: string | null;
  title: string;
  details: string[];
  openedAt: Date;
}

/** The open incidents of these rules (the leader resolves from these). */
export async function readOpenIncidents(pool: Pool, ruleIds: string[]): Promise<OpenIncidentRow[]> {
  if (ruleIds.length === 0) return [];
  const { rows } = await pool.query<OpenIncidentRow>(
    `SELECT id, team_id AS "teamId", rule_id AS "ruleId", kind, key, workflow_id AS "workflowId",
            run_id AS "runId", title, details, opened_at AS "openedAt"
       FROM alert_incidents WHERE open_key IS NOT NULL AND rule_id = ANY($1::uuid[])`,
    [ruleIds],
  );
  return rows;
}

/**
 * Resolves an open incident and queues its "resolved" message to the channels that were sent the
 * opening one; false when it was not open any more (resolved already, by this or another leader).
 */
export async function resolveIncident(
  pool: Pool,
  fence: LeaderFence | null,
  input: { incidentId: string; resolution: string; payload: Record<string, unknown> },
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const params: unknown[] = [input.incidentId, input.resolution];
    const fenced = fenceCondition(fence, params);
    const { rows } = await client.query<{ id: string }>(
      `UPDATE alert_incidents SET open_key = NULL, resolved_at = now(), resolution = $2
        WHERE id = $1 AND open_key IS NOT NULL AND ${fenced}
        RETURNING id`,
      params,
    );
    if (!rows[0]) return false;
    await client.query(
      `INSERT INTO alert_deliveries (team_id, rule_id, channel_id, incident_id, event, run_id, payload)
       SELECT team_id, rule_id, channel_id, incident_id, 'resolved', run_id, $2
         FROM alert_deliveries WHERE incident_id = $1 AND event = 'opened'
       ON CONFLICT DO NOTHING`,
      [input.incidentId, input.payload],
    );
    return true;
  });
}

export interface DeliveryView {
  id: string;
  channelId: string;
  channelName: string;
  channelKind: string;
  event: AlertEvent;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  attemptLog: Array<{ at: string; ok: boolean; error?: string; status?: number }>;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
}

export interface IncidentView {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  key: string;
  status: 'open' | 'resolved';
  workflowId: string | null;
  workflowName: string | null;
  runId: string | null;
  runNumber: number | null;
  title: string;
  details: string[];
  openedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  deliveries: DeliveryView[];
}

export interface ListIncidentsOptions {
  runId?: string;
  status?: 'open' | 'resolved';
  limit?: number;
  /** The last item's (openedAt, id) of the previous page. */
  cursor?: { openedAt: Date; id: string } | null;
}

/** A team's incidents newest first, each with its deliveries and their attempts. */
export async function listIncidents(
  pool: Pool,
  teamId: string,
  opts: ListIncidentsOptions = {},
): Promise<IncidentView[]> {
  const { rows } = await pool.query<IncidentView>(
    `SELECT i.id, i.rule_id AS "ruleId", r.name AS "ruleName", i.kind, i.key,
            CASE WHEN i.resolved_at IS NULL THEN 'open' ELSE 'resolved' END AS status,
            i.workflow_id AS "workflowId", w.name AS "workflowName", i.run_id AS "runId",
            wr.number AS "runNumber", i.title, i.details, i.opened_at AS "openedAt",
            i.resolved_at AS "resolvedAt", i.resolution,
            COALESCE((
              SELECT json_agg(json_build_object(
                       'id', d.id, 'channelId', d.channel_id, 'channelName', c.name,
                       'channelKind', c.kind, 'event', d.event, 'status', d.status,
                       'attempts', d.attempts, 'attemptLog', d.attempt_log, 'error', d.error,
                       'createdAt', d.created_at, 'sentAt', d.sent_at,
                       'nextAttemptAt', d.next_attempt_at) ORDER BY d.created_at, c.name)
                FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
               WHERE d.incident_id = i.id), '[]') AS deliveries
       FROM alert_incidents i
       JOIN alert_rules r ON r.id = i.rule_id
       LEFT JOIN workflows w ON w.id = i.workflow_id
       LEFT JOIN workflow_runs wr ON wr.id = i.run_id
      WHERE i.team_id = $1
        AND ($2::uuid IS NULL OR i.run_id = $2)
        AND ($3::text IS NULL OR ($3 = 'open') = (i.resolved_at IS NULL))
        AND ($4::timestamptz IS NULL OR (i.opened_at, i.id) < ($4, $5::uuid))
      ORDER BY i.opened_at DESC, i.id DESC
      LIMIT $6`,
    [
      teamId,
      opts.runId ?? null,
      opts.status ?? null,
      opts.cursor?.openedAt ?? null,
      opts.cursor?.id ?? null,
      opts.limit ?? 50,
    ],
  );
  // json_agg gives dates as text.
  for (const row of rows) {
    row.deliveries = row.deliveries.map((d) => ({
      ...d,
      createdAt: new Date(d.createdAt),
      sentAt: d.sentAt ? new Date(d.sentAt) : null,
      nextAttemptAt: d.nextAttemptAt ? new Date(d.nextAttemptAt) : null,
    }));
  }
  return rows;
}
