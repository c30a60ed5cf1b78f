// What many database tests do first: save a workflow from YAML, and play a worker that claims and
// completes every queued task of a run until none is left.
import { parseWorkflowText, type JsonValue, type NormalizedWorkflow } from '@dtss/core';
import {
  claimTask,
  completeAttempt,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
} from '../../src';

/** Saves `yaml` as a new version of its workflow (after `change`, if given); the workflow's id. */
export async function deployWorkflow(
  prisma: PrismaClient,
  teamId: string,
  yaml: string,
  change?: (workflow: NormalizedWorkflow) => void,
): Promise<string> {
  const parsed = parseWorkflowText(yaml, { format: 'yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  change?.(parsed.workflow);
  return (await saveWorkflowVersion(prisma, { teamId, definition: parsed.workflow })).workflowId;
}

export interface DriveOptions {
  /** Each task's outcome, by task key (default: succeeded). */
  outcomeOf?: (taskKey: string) => 'succeeded' | 'failed';
  /** The output every task ends with. */
  output?: JsonValue;
}

/** Plays a worker: claims and completes every queued task of the run until none is left. */
export async function driveRun(pool: Pool, runId: string, opts: DriveOptions = {}): Promise<void> {
  for (let guard = 0; guard < 100; guard++) {
    const { rows } = await pool.query<{ id: string; task_key: string }>(
      `SELECT id, task_key FROM task_runs WHERE run_id = $1 AND status = 'queued'`,
      [runId],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      const c = (await claimTask(pool, row.id, null))!;
      await completeAttempt(pool, {
        attemptId: c.attemptId,
        taskRunId: c.taskRunId,
        runId,
        outcome: opts.outcomeOf?.(row.task_key) ?? 'succeeded',
        ...(opts.output !== undefined ? { output: opts.output } : {}),
      });
    }
  }
}
