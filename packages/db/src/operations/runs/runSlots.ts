/**
 * Run numbers and run slots of a workflow. Both take the workflow row's lock, which is what
 * serializes the `concurrency.maxRuns` check against runs starting and ending concurrently.
 */
import type { PoolClient } from '../../pool';
import { inlineParams } from '../../sqlLiteral';

/** Takes the next run number (and with it the workflow row's lock, until the transaction ends). */
export async function takeRunNumber(
  client: PoolClient,
  workflowId: string,
  opts: { sendsBegin?: boolean } = {},
): Promise<number> {
  const sql = `UPDATE workflows SET next_run_number = next_run_number + 1
      WHERE id = $1 RETURNING next_run_number - 1 AS number`;
  if (opts.sendsBegin) {
    // BEGIN rides along (one round trip less); the caller's withTransaction was told so.
    const results = (await client.query(
      `BEGIN; ${inlineParams(client, sql, [workflowId])}`,
    )) as unknown as { rows: { number: number }[] }[];
    return results[1]!.rows[0]!.number;
  }
  const { rows } = await client.query<{ number: number }>(sql, [workflowId]);
  return rows[0]!.number;
}

/** Whether one more run may start; call with the workflow row locked. */
export async function hasFreeRunSlot(
  client: PoolClient,
  workflowId: string,
  maxRuns: number | null,
): Promise<boolean> {
  if (maxRuns === null) return true;
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'running'`,
    [workflowId],
  );
  return Number(rows[0]!.n) < maxRuns;
}
