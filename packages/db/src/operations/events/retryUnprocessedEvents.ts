// At-least-once fan-out: events whose fan-out did not finish (the publisher crashed or lost the
// database half-way) are fanned out again by the scheduler leader. Idempotency keys make the
// repeat create only the missing runs.
import type { Pool } from '../../pool';
import { fanOutEvent } from './fanOutEvent';

export async function retryUnprocessedEvents(
  pool: Pool,
  opts: { olderThanMs?: number; limit?: number } = {},
): Promise<{ events: number; runsCreated: number }> {
  // A publisher is normally still fanning out a fresh event: leave it a moment.
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM events
      WHERE processed_at IS NULL AND received_at < now() - $1 * interval '1 millisecond'
      ORDER BY received_at LIMIT $2`,
    [opts.olderThanMs ?? 5_000, opts.limit ?? 100],
  );
  let runsCreated = 0;
  for (const { id } of rows) {
    const result = await fanOutEvent(pool, id);
    runsCreated += result.runs.filter((r) => r.created).length;
  }
  return { events: rows.length, runsCreated };
}
