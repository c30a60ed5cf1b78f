// Sending an incident's messages: the leader claims due deliveries (pushing their next attempt a
// lease ahead, so no other leader sends them meanwhile), sends, and records each attempt. A failed
// attempt is retried with backoff until the last one, then the delivery is failed.
import type { AlertEvent } from '@dtss/core';
import type { Pool } from '../../pool';
import { fenceCondition, type LeaderFence } from '../schedules/leaderFence';
import type { AlertChannelConfig, AlertChannelKind } from './channels';

export interface DueDelivery {
  id: string;
  teamId: string;
  channelId: string;
  channelName: string;
  channelKind: AlertChannelKind;
  channelConfig: AlertChannelConfig;
  channelEnabled: boolean;
  incidentId: string | null;
  event: AlertEvent | 'test';
  payload: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

/** Claims up to `limit` due deliveries for `leaseMs`; fenced by the leader's lease. */
export async function claimDueDeliveries(
  pool: Pool,
  fence: LeaderFence | null,
  opts: { limit: number; leaseMs: number },
): Promise<DueDelivery[]> {
  const params: unknown[] = [opts.limit, opts.leaseMs];
  const fenced = fenceCondition(fence, params);
  const { rows } = await pool.query<DueDelivery>(
    `WITH due AS (
       SELECT id FROM alert_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE alert_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond'
        WHERE d.id IN (SELECT id FROM due) AND ${fenced}
        RETURNING d.*)
     SELECT d.id, d.team_id AS "teamId", d.channel_id AS "channelId", c.name AS "channelName",
            c.kind AS "channelKind", c.config AS "channelConfig", c.enabled AS "channelEnabled",
            d.incident_id AS "incidentId", d.event, d.payload, d.attempts AS attempt
       FROM claimed d JOIN alert_channels c ON c.id = d.channel_id
      ORDER BY d.created_at, c.name`,
    params,
  );
  return rows;
}

export interface DeliveryAttemptResult {
  deliveryId: string;
  ok: boolean;
  error?: string;
  /** HTTP status or SMTP response code, when there was one. */
  status?: number;
  /** null: no retry (sent, or the last attempt failed). */
  retryInMs: number | null;
}

/** Records one attempt: sent, pending again (next attempt after the backoff) or failed. */
export async function recordDeliveryAttempt(pool: Pool, r: DeliveryAttemptResult): Promise<void> {
  const entry = {
    at: new Date().toISOString(),
    ok: r.ok,
    ...(r.error ? { error: r.error.slice(0, 1000) } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
  };
  await pool.query(
    `UPDATE alert_deliveries
        SET attempt_log = attempt_log || jsonb_build_array($2::jsonb),
            status = CASE WHEN $3 THEN 'sent' WHEN $5::int IS NULL THEN 'failed'
                          ELSE 'pending' END::"AlertDeliveryStatus",
            sent_at = CASE WHEN $3 THEN now() END,
            error = CASE WHEN $3 THEN NULL ELSE $4 END,
            next_attempt_at = CASE WHEN $3 OR $5::int IS NULL THEN NULL
                                   ELSE now() + $5::int * interval '1 millisecond' END
      WHERE id = $1 AND status = 'pending'`,
    [r.deliveryId, entry, r.ok, entry.error ?? null, r.retryInMs],
  );
}

/** Queues a test message to a channel (the leader sends it like any other); its delivery id. */
export async function queueTestDelivery(
  pool: Pool,
  input: { teamId: string; channelId: string; payload: Record<string, unknown> },
): Promise<string | null> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO alert_deliveries (team_id, channel_id, event, payload)
     SELECT team_id, id, 'test', $3 FROM alert_channels WHERE team_id = $1 AND id = $2
     RETURNING id`,
    [input.teamId, input.channelId, input.payload],
  );
  return rows[0]?.id ?? null;
}

export interface ChannelDeliveryView {
  id: string;
  channelId: string;
  event: AlertEvent | 'test';
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  attemptLog: Array<{ at: string; ok: boolean; error?: string; status?: number }>;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** A channel's latest deliveries (test messages included), newest first. */
export async function listChannelDeliveries(
  pool: Pool,
  teamId: string,
  channelId: string,
  limit = 20,
): Promise<ChannelDeliveryView[]> {
  const { rows } = await pool.query<ChannelDeliveryView>(
    `SELECT id, channel_id AS "channelId", event, status, attempts, attempt_log AS "attemptLog",
            error, created_at AS "createdAt", sent_at AS "sentAt"
       FROM alert_deliveries WHERE team_id = $1 AND channel_id = $2
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [teamId, channelId, limit],
  );
  return rows;
}
