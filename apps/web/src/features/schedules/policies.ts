// The overlap and catch-up policies of a schedule as people choose them: a label and one line on
// what the scheduler does (packages/db/src/operations/schedules/fireSchedules.ts and
// @dtss/core's planCatchup; docs/SCHEDULING.md has the tables).

export interface PolicyOption<V extends string> {
  value: V;
  label: string;
  /** What the scheduler does under this policy, in one line. */
  explanation: string;
}

export const OVERLAP_OPTIONS = [
  {
    value: 'skip',
    label: 'Skip the fire',
    explanation:
      "While this schedule's previous run is still queued or running, a fire starts nothing.",
  },
  {
    value: 'allow_all',
    label: 'Start anyway',
    explanation:
      "Every fire starts a run, even while earlier ones run (the workflow's concurrency limit still applies).",
  },
  {
    value: 'buffer_one',
    label: 'Buffer one',
    explanation:
      'A fire during an active run waits and starts as soon as that run ends; further fires meanwhile are dropped.',
  },
  {
    value: 'cancel_previous',
    label: 'Cancel the previous run',
    explanation: 'A fire cancels the active run of this schedule, then starts its own.',
  },
] as const satisfies readonly PolicyOption<string>[];

export const CATCHUP_OPTIONS = [
  {
    value: 'latest',
    label: 'Run the latest',
    explanation:
      'Fires missed while the scheduler was down or the schedule paused become one run, for the most recent missed time.',
  },
  {
    value: 'all',
    label: 'Run all',
    explanation:
      'Every missed fire runs, oldest first, looking back at most one day (up to 100 per pass).',
  },
  {
    value: 'skip',
    label: 'Skip them',
    explanation:
      'Missed fires are dropped; the schedule goes on with its next time. A fire up to 2 s late still runs.',
  },
] as const satisfies readonly PolicyOption<string>[];

export type OverlapPolicy = (typeof OVERLAP_OPTIONS)[number]['value'];
export type CatchupPolicy = (typeof CATCHUP_OPTIONS)[number]['value'];

export const DEFAULT_OVERLAP: OverlapPolicy = 'skip';
export const DEFAULT_CATCHUP: CatchupPolicy = 'latest';

export function overlapOption(value: string) {
  return OVERLAP_OPTIONS.find((o) => o.value === value) ?? OVERLAP_OPTIONS[0];
}

export function catchupOption(value: string) {
  return CATCHUP_OPTIONS.find((o) => o.value === value) ?? CATCHUP_OPTIONS[0];
}
