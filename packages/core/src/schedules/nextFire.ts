// When a schedule fires next, bounded by its start and end dates.
import { nextCronFires } from '../cron';
import type { CronSpec } from '../cron/parse';

export interface ScheduleBounds {
  startAt: Date | null;
  endAt: Date | null;
}

/** The first instant strictly after `after` inside [startAt, endAt]; null when there is none. */
export function nextFireAfter(
  spec: CronSpec,
  timeZone: string,
  after: Date,
  bounds: ScheduleBounds,
): Date | null {
  const from =
    bounds.startAt && bounds.startAt.getTime() > after.getTime()
      ? new Date(bounds.startAt.getTime() - 1)
      : after;
  const [next] = nextCronFires(spec, timeZone, from, 1);
  if (!next || (bounds.endAt && next.getTime() > bounds.endAt.getTime())) return null;
  return next;
}
