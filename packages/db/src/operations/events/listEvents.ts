// A team's events, newest first, with how many runs each started.
import type { Pool } from '../../pool';
import {
  EVENT_COLUMNS,
  listEventsInputSchema,
  parseEventInput,
  type EventView,
  type ListEventsInput,
} from './types';

export async function listEvents(pool: Pool, input: ListEventsInput): Promise<EventView[]> {
  const i = parseEventInput(listEventsInputSchema, input);
  const { rows } = await pool.query<EventView>(
    `SELECT ${EVENT_COLUMNS} FROM events e
      WHERE e.team_id = $1 AND ($2::text IS NULL OR e.name = $2)
        AND ($3::timestamptz IS NULL OR e.received_at < $3)
      ORDER BY e.received_at DESC, e.id LIMIT $4`,
    [i.teamId, i.name ?? null, i.before ?? null, i.limit],
  );
  return rows;
}
