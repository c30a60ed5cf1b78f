export { cancelRun, type CancelRunResult } from './cancelRun';
export {
  claimTask,
  claimTasks,
  claimTaskWithinPoolLimit,
  POOL_FULL_RETRY_MS,
  readTaskOutputs,
  type ClaimedTask,
  type ClaimOptions,
  type RunContext,
  type RunContextCache,
} from './claimTask';
export {
  completeAttempt,
  completeAttempts,
  endsTask,
  type AttemptOutcome,
  type CompleteAttemptInput,
  type CompleteAttemptResult,
} from './completeAttempt';
export { createRun } from './createRun';
export { createRuns } from './createRuns';
export { getRun } from './getRun';
export { timeOutRuns } from './timeOutRuns';
export { startQueuedRuns } from './startQueuedRuns';
export { poolJobIdentifier } from './jobs';
export { loadVersion, type CachedVersion } from './versionCache';
export * from './types';
export { rerunRun, type RerunScope } from './rerun';
export {
  cancelRuns,
  rerunFailedRuns,
  type BulkCancelDone,
  type BulkRerunDone,
  type BulkResult,
  type BulkSkip,
  type BulkSkipReason,
} from './bulk';
export { countRuns, matchingRunIds, runFilterSql, type RunFilterSql } from './runFilter';
export { reapLostWorkers, type ReapResult } from './reapLostWorkers';
export { STRANDED_JOB_AFTER_MS, unlockStrandedTaskJobs } from './strandedJobs';
export { findDisownedAttempts, type HeldAttempt } from './disownedAttempts';
export { announceRunChanges } from './notify';
export { readTaskDurationHistory, type TaskDurationHistory } from './taskHistory';
export {
  readRunGrid,
  RUN_GRID_MAX_RUNS,
  type RunGrid,
  type RunGridCell,
  type RunGridRun,
} from './readRunGrid';
