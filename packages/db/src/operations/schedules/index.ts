export * from './types';
export {
  getSchedule,
  lastRunsOfSchedules,
  listSchedules,
  type ScheduleLastRun,
} from './readSchedules';
export {
  createSchedule,
  deleteSchedule,
  setScheduleEnabled,
  updateSchedule,
} from './editSchedules';
export { previewScheduleFires, type ScheduleFirePreview } from './previewScheduleFires';
export {
  computeNextFireAt,
  fillMissingNextFires,
  recomputeNextFire,
  type NextFireFacts,
} from './recomputeNextFire';
export {
  dueAt,
  findDueSchedules,
  fireDueSchedules,
  fireSchedule,
  nextScheduleDueAt,
  scheduleRunKey,
  type DueSchedule,
  type FireDueResult,
  type FireOptions,
  type ScheduleFireResult,
} from './fireSchedules';
export { fenceCondition, holdsLease, msUntilLeaseExpiry, type LeaderFence } from './leaderFence';
export { notifyScheduler, SCHEDULER_CHANNEL } from './notify';
