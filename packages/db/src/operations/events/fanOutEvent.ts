/**
 * Fan-out: one run per enabled trigger that matches an event (its name, or the webhook that
 * received it, and its filter). Each run's idempotency key is `event:<eventId>:<triggerId>`, so
 * running the fan-out again after a failure half-way (the leader retries events whose processedAt
 * is still null) creates only the runs that are missing.
 */
import {
  matchFilter,
  renderTriggerParams,
  TemplateError,
  type FilterCondition,
  type JsonValue,
} from '@dtss/core';
import type { Pool } from '../../pool';
import { createRun } from '../runs/createRun';
import { RunRequestError } from '../runs/types';
import type { FanOutResult } from './types';

interface EventRow {
  id: string;
  teamId: string;
  name: string;
  payload: JsonValue;
  triggerId: string | null;
}

interface TriggerRow {
  id: string;
  workflowId: string;
  kind: 'event' | 'webhook';
  filter: Record<string, FilterCondition> | null;
  paramsMapping: Record<string, unknown> | null;
  paused: boolean;
}

export async function fanOutEvent(pool: Pool, eventId: string): Promise<FanOutResult> {
  const result: FanOutResult = { runs: [], refused: [] };
  const { rows: events } = await pool.query<EventRow>(
    `SELECT id, team_id AS "teamId", name, payload, trigger_id AS "triggerId"
       FROM events WHERE id = $1`,
    [eventId],
  );
  const event = events[0];
  if (!event) return result;
  const { rows: triggers } = await pool.query<TriggerRow>(
    `SELECT t.id, t.workflow_id AS "workflowId", t.kind, t.filter,
            t.params_mapping AS "paramsMapping", w.paused
       FROM triggers t JOIN workflows w ON w.id = t.workflow_id
      WHERE t.team_id = $1 AND t.enabled AND w.archived_at IS NULL
        AND ((t.kind = 'event' AND t.event_name = $2) OR (t.kind = 'webhook' AND t.id = $3))
      ORDER BY t.id`,
    [event.teamId, event.name, event.triggerId],
  );
  const context = { event: { name: event.name, payload: event.payload } };
  for (const trigger of triggers) {
    // A paused workflow keeps its triggers but starts no runs.
    if (trigger.paused || !matchFilter(trigger.filter, event.payload)) continue;
    try {
      const params = renderTriggerParams(trigger.paramsMapping, context);
      const { run, created } = await createRun(pool, {
        teamId: event.teamId,
        workflow: { id: trigger.workflowId },
        params,
        triggerKind: trigger.kind === 'webhook' ? 'webhook' : 'event',
        triggerId: trigger.id,
        eventId: event.id,
        event: context.event,
        idempotencyKey: `event:${event.id}:${trigger.id}`,
      });
      result.runs.push({
        triggerId: trigger.id,
        workflowId: trigger.workflowId,
        runId: run.id,
        created,
      });
    } catch (err) {
      if (!(err instanceof RunRequestError || err instanceof TemplateError)) throw err;
      result.refused.push({ triggerId: trigger.id, message: err.message });
    }
  }
  const fired = result.runs.filter((r) => r.created).map((r) => r.triggerId);
  if (fired.length) {
    await pool.query(`UPDATE triggers SET last_fired_at = now() WHERE id = ANY($1::uuid[])`, [
      fired,
    ]);
  }
  await pool.query(
    `UPDATE events SET processed_at = now() WHERE id = $1 AND processed_at IS NULL`,
    [eventId],
  );
  return result;
}
