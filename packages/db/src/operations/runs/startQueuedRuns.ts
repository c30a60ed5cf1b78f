import type { Pool } from '../../pool';
import { withTransaction } from '../../transaction';
import { notifyRunChanges } from './notify';
import { startRun } from './propagate';
import { hasFreeRunSlot } from './runSlots';
import { loadVersion } from './versionCache';

/**
 * Housekeeping (scheduler leader): starts queued runs whose workflow has a free run slot. Normally
 * the completion that frees a slot starts the next run itself; this covers a worker that died
 * between that completion's commit and the start. Returns how many runs it started.
 */
export async function startQueuedRuns(pool: Pool, limit = 50): Promise<number> {
  const { rows } = await pool.query<{
    id: string;
    workflow_id: string;
    workflow_version_id: string;
  }>(
    `SELECT DISTINCT ON (workflow_id) id, workflow_id, workflow_version_id FROM workflow_runs
      WHERE status = 'queued' ORDER BY workflow_id, priority DESC, created_at, number LIMIT $1`,
    [limit],
  );
  let started = 0;
  for (const run of rows) {
    const { definition } = await loadVersion(pool, run.workflow_version_id);
    const maxRuns = definition.concurrency.maxRuns;
    started += await withTransaction(pool, async (client) => {
      await client.query('SELECT 1 FROM workflows WHERE id = $1 FOR UPDATE', [run.workflow_id]);
      if (!(await hasFreeRunSlot(client, run.workflow_id, maxRuns))) return 0;
      const changes = await startRun(client, run.id);
      await notifyRunChanges(client, run.id, changes);
      return changes.length ? 1 : 0;
    });
  }
  return started;
}
