import type { PoolClient } from '../../pool';
import { RUN_EVENTS_CHANNEL, type RunChange, type RunEventsNotice } from './types';

// Postgres caps a NOTIFY payload at 8000 bytes.
const MAX_PAYLOAD = 7_000;

/** A RunEventsNotice as JSON, with task changes dropped (and `truncated` set) past the cap. */
export function noticePayload(runId: string, changes: RunChange[]): string {
  const full: RunEventsNotice = { runId, changes };
  const json = JSON.stringify(full);
  if (json.length <= MAX_PAYLOAD) return json;
  const cut: RunEventsNotice = { runId, changes: changes.filter((c) => !c.task), truncated: true };
  return JSON.stringify(cut);
}

/** Announces a transaction's status changes; delivered only if the transaction commits. */
export async function notifyRunChanges(
  client: PoolClient,
  runId: string,
  changes: RunChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await client.query('SELECT pg_notify($1, $2)', [
    RUN_EVENTS_CHANNEL,
    noticePayload(runId, changes),
  ]);
}
