import type { Pool, PoolClient } from '../../pool';
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

/**
 * Announces changes that were committed earlier (a worker's coalesced task changes): one statement,
 * one NOTIFY per run. Best effort by nature: changes lost with a crashed worker are repaired by the
 * next notice of the run or a listener's re-read.
 */
export async function announceRunChanges(
  pool: Pool,
  notices: { runId: string; changes: RunChange[] }[],
): Promise<void> {
  const payloads = notices
    .filter((n) => n.changes.length > 0)
    .map((n) => noticePayload(n.runId, n.changes));
  if (payloads.length === 0) return;
  await pool.query({
    name: 'dtss_announce_run_changes',
    text: 'SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) AS p',
    values: [RUN_EVENTS_CHANNEL, payloads],
  });
}
