// Reading triggers for the API and UI (never a webhook secret).
import type { Pool, PoolClient } from '../../pool';
import {
  listTriggersInputSchema,
  parseTriggerInput,
  type ListTriggersInput,
  type TriggerView,
} from './types';

const TRIGGER_COLUMNS = `t.id, t.team_id AS "teamId", t.workflow_id AS "workflowId",
  w.name AS "workflowName", t.name, t.kind, t.event_name AS "eventName", t.filter,
  t.params_mapping AS "paramsMapping", t.upstream_workflow_id AS "upstreamWorkflowId",
  u.name AS "upstreamWorkflowName", t.upstream_statuses::text[] AS "upstreamStatuses",
  CASE WHEN t.kind = 'webhook' THEN '/api/hooks/' || t.id END AS "webhookPath",
  t.enabled, t.source, t.last_fired_at AS "lastFiredAt", t.created_at AS "createdAt"`;
const FROM = `FROM triggers t JOIN workflows w ON w.id = t.workflow_id
  LEFT JOIN workflows u ON u.id = t.upstream_workflow_id`;

export async function listTriggers(pool: Pool, input: ListTriggersInput): Promise<TriggerView[]> {
  const { teamId, workflowId } = parseTriggerInput(listTriggersInputSchema, input);
  const { rows } = await pool.query<TriggerView>(
    `SELECT ${TRIGGER_COLUMNS} ${FROM}
      WHERE t.team_id = $1 AND ($2::uuid IS NULL OR t.workflow_id = $2) ORDER BY w.name, t.name`,
    [teamId, workflowId ?? null],
  );
  return rows;
}

export async function readTrigger(
  db: Pool | PoolClient,
  teamId: string,
  triggerId: string,
): Promise<TriggerView | null> {
  const { rows } = await db.query<TriggerView>(
    `SELECT ${TRIGGER_COLUMNS} ${FROM} WHERE t.team_id = $1 AND t.id = $2`,
    [teamId, triggerId],
  );
  return rows[0] ?? null;
}
