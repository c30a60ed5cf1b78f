import { RUN_STATUSES, TRIGGER_KINDS, type RunStatus } from '@dtss/core';

export { RUN_STATUSES, TRIGGER_KINDS };

/** Statuses a run can still leave: the ones `runs.cancel` accepts. */
export function isActiveRun(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Milliseconds from start to end (to now while it runs); null before it started. */
export function elapsedMs(
  startedAt: Date | string | null | undefined,
  finishedAt: Date | string | null | undefined,
  now = Date.now(),
): number | null {
  if (!startedAt) return null;
  const end = finishedAt ? new Date(finishedAt).getTime() : now;
  return Math.max(0, end - new Date(startedAt).getTime());
}

/** "manual", "schedule", "retry wait"… as people read them. */
export function words(s: string): string {
  return s.replace(/_/g, ' ');
}
