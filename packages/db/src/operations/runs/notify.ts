import type { PoolClient } from '../../pool';
import { RUN_EVENTS_CHANNEL, type RunChange, type RunEventsNotice } from './types';

const MAX_PAYLOAD = 7_000;

/** Announces a transaction's status changes; delivered only if the transaction commits. */
export async function notifyRunChanges(
  client: PoolClient,
  runId: string,
  changes: RunChange[],
): Promise<void> {
  if (changes.length === 0) return;
  let notice: RunEventsNotice = { runId, changes };
  let payload = JSON.stringify(notice);
  if (payload.length > MAX_PAYLOAD) {
    notice = { runId, changes: changes.filter((c) => !c.task), truncated: true };
    payload = JSON.stringify(notice);
  }
  await client.query('SELECT pg_notify($1, $2)', [RUN_EVENTS_CHANNEL, payload]);
}
