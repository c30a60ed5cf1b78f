/**
 * At each heartbeat the worker asks which of the attempts it executes are still its own, in one
 * statement by primary key (findDisownedAttempts). Those that are not had their outcome decided
 * elsewhere: typically the leader swept them while this worker was silent (partitioned, paused)
 * and their tasks run again on another worker. Their processes are killed at once (see
 * processTree.ts) and nothing is recorded for them, so a task never runs on beside its retry for
 * longer than one heartbeat after the worker is back.
 */
import { findDisownedAttempts, type Pool } from '@dtss/db';
import type { RunningTasks } from './runningTasks';

/** Returns how many attempts were stopped. */
export async function stopDisownedAttempts(
  pool: Pool,
  workerId: string,
  running: RunningTasks,
  log: (line: string) => void,
): Promise<number> {
  const held = running.executing();
  if (held.length === 0) return 0;
  const disowned = new Set(await findDisownedAttempts(pool, workerId, held));
  let stopped = 0;
  for (const { taskRunId, attemptId } of held) {
    // An attempt that ended meanwhile is left to its completion, which the database refuses.
    if (!disowned.has(attemptId) || !running.disown(taskRunId, attemptId)) continue;
    stopped++;
    log(
      `attempt ${attemptId} (task ${taskRunId}) is no longer this worker's: it was closed ` +
        'elsewhere (swept as lost while this worker was silent, or taken over): killing its ' +
        'processes, recording nothing for it',
    );
  }
  return stopped;
}
