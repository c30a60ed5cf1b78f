// Recording an event and starting the runs its triggers ask for.
import type { Pool } from '../../pool';
import { fanOutEvent } from './fanOutEvent';
import {
  EVENT_COLUMNS,
  EventError,
  MAX_EVENT_PAYLOAD_BYTES,
  parseEventInput,
  publishEventInputSchema,
  type EventView,
  type PublishEventInput,
  type PublishEventResult,
} from './types';

/**
 * Stores the event (a repeated idempotency key returns the stored one and creates nothing), then
 * fans it out. Should the fan-out fail (database trouble), the event stays unprocessed and the
 * scheduler leader finishes it; the error still reaches the caller.
 */
export async function publishEvent(
  pool: Pool,
  input: PublishEventInput,
): Promise<PublishEventResult> {
  const i = parseEventInput(publishEventInputSchema, input);
  const payload = JSON.stringify(i.payload ?? {});
  if (Buffer.byteLength(payload) > MAX_EVENT_PAYLOAD_BYTES) {
    throw new EventError(
      'payload_too_large',
      `event payload is ${Buffer.byteLength(payload)} bytes of JSON; the limit is ${MAX_EVENT_PAYLOAD_BYTES}`,
    );
  }
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (team_id, name, payload, idempotency_key, source, trigger_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (team_id, idempotency_key) DO NOTHING RETURNING id`,
    [i.teamId, i.name, payload, i.idempotencyKey ?? null, i.source, i.triggerId ?? null],
  );
  if (!rows[0]) {
    const existing = await pool.query<EventView>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.team_id = $1 AND e.idempotency_key = $2`,
      [i.teamId, i.idempotencyKey],
    );
    const runs = await pool.query<{ triggerId: string; workflowId: string; runId: string }>(
      `SELECT trigger_id AS "triggerId", workflow_id AS "workflowId", id AS "runId"
         FROM workflow_runs WHERE event_id = $1 ORDER BY created_at`,
      [existing.rows[0]!.id],
    );
    const previous = runs.rows.map((r) => ({ ...r, created: false }));
    return { event: existing.rows[0]!, created: false, runs: previous, refused: [] };
  }
  const fanOut = await fanOutEvent(pool, rows[0].id);
  const event = await pool.query<EventView>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1`,
    [rows[0].id],
  );
  return { event: event.rows[0]!, created: true, ...fanOut };
}
