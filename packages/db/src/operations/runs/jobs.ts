/**
 * Task jobs in graphile-worker. Enqueueing is SQL (graphile_worker.add_jobs), so it joins the
 * caller's transaction: a task is `queued` exactly when its job exists.
 */
import type { PoolClient } from '../../pool';

/** Workers take jobs by identifier; one identifier per pool routes tasks to the workers serving it. */
export function poolJobIdentifier(pool: string): string {
  return `dtss:pool:${pool}`;
}

export function taskJobKey(taskRunId: string): string {
  return `task:${taskRunId}`;
}

/** graphile-worker's own retries cover infrastructure errors only (a task's failures are ours). */
const JOB_MAX_ATTEMPTS = 10;

/**
 * Enqueues one job per task run id. Our priority is "higher first"; graphile's is "lower first".
 * `runAt` delays them (retries).
 */
/** The graphile job spec of a task row aliased `t` (columns id, pool, priority); `runAt` SQL. */
export function taskJobSpecSql(t: string, runAt = 'NULL'): string {
  return `ROW('dtss:pool:' || ${t}.pool, json_build_object('taskRunId', ${t}.id), NULL, ${runAt},
              ${JOB_MAX_ATTEMPTS}, 'task:' || ${t}.id, -${t}.priority, NULL)::graphile_worker.job_spec`;
}

export async function enqueueTaskJobs(
  client: PoolClient,
  taskRunIds: string[],
  runAt: Date | null = null,
): Promise<void> {
  if (taskRunIds.length === 0) return;
  await client.query(
    `SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
       SELECT ${taskJobSpecSql('t', '$2::timestamptz')} FROM task_runs t WHERE t.id = ANY($1::uuid[])))`,
    [taskRunIds, runAt],
  );
}

/** Drops the waiting jobs of tasks that will not run (cancelled); a locked (running) job is left. */
export async function removeTaskJobs(client: PoolClient, taskRunIds: string[]): Promise<void> {
  if (taskRunIds.length === 0) return;
  await client.query(
    `SELECT count(graphile_worker.remove_job('task:' || id)) FROM unnest($1::uuid[]) id`,
    [taskRunIds],
  );
}
