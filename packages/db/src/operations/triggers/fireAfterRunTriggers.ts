/**
 * Cross-workflow triggers: when a run ends with one of a trigger's upstream statuses, a run of the
 * trigger's workflow starts (trigger kind `workflow`, linked to the upstream run), its params
 * rendered over `upstream_run` (id, status, params, outputs of every task...).
 *
 * The scheduler leader calls this for each run-level end it hears on dtss_run_events, and a
 * periodic scan (findPendingAfterRunTriggers) catches ends it missed (a leader change, a dropped
 * LISTEN connection). The idempotency key `after:<upstreamRunId>:<triggerId>` makes both safe to
 * repeat: every (upstream run, trigger) pair gets one run.
 */
import { renderTriggerParams, TemplateError, upstreamRunContext, type JsonValue } from '@dtss/core';
import type { Pool } from '../../pool';
import { createRun } from '../runs/createRun';
import { RunRequestError } from '../runs/types';

export interface AfterRunOutcome {
  triggerId: string;
  runId: string | null;
  created: boolean;
  /** Why no run could be started (bad params, archived workflow, a template with no value). */
  refused?: string;
}

interface UpstreamRow {
  id: string;
  teamId: string;
  workflowId: string;
  workflow: string;
  number: number;
  status: string;
  logicalDate: Date | null;
  params: Record<string, JsonValue>;
}

export async function fireAfterRunTriggers(
  pool: Pool,
  upstreamRunId: string,
  opts: { triggerIds?: string[] } = {},
): Promise<AfterRunOutcome[]> {
  // One statement for the common case: a run ends and no trigger follows its workflow.
  const { rows } = await pool.query<
    UpstreamRow & { triggerId: string; triggerWorkflowId: string; paramsMapping: object | null }
  >(
    `SELECT r.id, r.team_id AS "teamId", r.workflow_id AS "workflowId", w.name AS workflow,
            r.number, r.status, r.logical_date AS "logicalDate", r.params,
            t.id AS "triggerId", t.workflow_id AS "triggerWorkflowId",
            t.params_mapping AS "paramsMapping"
       FROM workflow_runs r
       JOIN workflows w ON w.id = r.workflow_id
       JOIN triggers t ON t.upstream_workflow_id = r.workflow_id AND t.team_id = r.team_id
        AND t.kind = 'workflow_run' AND t.enabled AND r.status = ANY(t.upstream_statuses)
       JOIN workflows d ON d.id = t.workflow_id AND NOT d.paused AND d.archived_at IS NULL
      WHERE r.id = $1 AND r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out')
        AND ($2::uuid[] IS NULL OR t.id = ANY($2::uuid[]))
      ORDER BY t.id`,
    [upstreamRunId, opts.triggerIds ?? null],
  );
  const upstream = rows[0];
  if (!upstream) return [];
  const triggers = rows.map((r) => ({
    id: r.triggerId,
    workflowId: r.triggerWorkflowId,
    paramsMapping: r.paramsMapping as Record<string, unknown> | null,
  }));
  const { rows: tasks } = await pool.query<{ task_key: string; output: JsonValue | null }>(
    `SELECT task_key, output FROM task_runs WHERE run_id = $1`,
    [upstream.id],
  );
  const context = upstreamRunContext({
    ...upstream,
    outputs: Object.fromEntries(tasks.map((t) => [t.task_key, t.output])),
  });
  const outcomes: AfterRunOutcome[] = [];
  for (const trigger of triggers) {
    try {
      const { run, created } = await createRun(pool, {
        teamId: upstream.teamId,
        workflow: { id: trigger.workflowId },
        params: renderTriggerParams(trigger.paramsMapping, context),
        triggerKind: 'workflow',
        triggerId: trigger.id,
        idempotencyKey: `after:${upstream.id}:${trigger.id}`,
        upstreamRunId: upstream.id,
      });
      if (created) {
        await pool.query(`UPDATE triggers SET last_fired_at = now() WHERE id = $1`, [trigger.id]);
      }
      outcomes.push({ triggerId: trigger.id, runId: run.id, created });
    } catch (err) {
      if (!(err instanceof RunRequestError || err instanceof TemplateError)) throw err;
      outcomes.push({ triggerId: trigger.id, runId: null, created: false, refused: err.message });
    }
  }
  return outcomes;
}

/**
 * Upstream runs that ended recently (within `withinMs`) with a status some enabled trigger waits
 * for, but whose downstream run does not exist yet: the leader's safety net.
 */
export async function findPendingAfterRunTriggers(
  pool: Pool,
  opts: { withinMs?: number; limit?: number } = {},
): Promise<{ upstreamRunId: string; triggerId: string }[]> {
  const { rows } = await pool.query<{ upstreamRunId: string; triggerId: string }>(
    `SELECT r.id AS "upstreamRunId", t.id AS "triggerId"
       FROM triggers t
       JOIN workflows w ON w.id = t.workflow_id AND NOT w.paused AND w.archived_at IS NULL
       JOIN LATERAL (
         SELECT r.id FROM workflow_runs r
          WHERE r.workflow_id = t.upstream_workflow_id
            AND r.created_at > now() - interval '7 days'
            AND r.status = ANY(t.upstream_statuses)
            AND r.finished_at > now() - $1 * interval '1 millisecond') r ON true
      WHERE t.kind = 'workflow_run' AND t.enabled
        AND NOT EXISTS (SELECT 1 FROM workflow_runs d
                         WHERE d.workflow_id = t.workflow_id
                           AND d.idempotency_key = 'after:' || r.id || ':' || t.id)
      LIMIT $2`,
    [opts.withinMs ?? 3600_000, opts.limit ?? 200],
  );
  return rows;
}
