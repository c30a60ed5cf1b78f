// Which of a schedule's due instants to run, by its catch-up policy.
import { cronFiresBetween } from '../cron';
import type { CronSpec } from '../cron/parse';
import type { CatchupMode } from '../definition/scheduleSchema';

/** An instant this late or less is on time (the loop was busy), not missed. */
export const ON_TIME_MS = 2_000;
/** `all` without a catch-up window still only looks this far back: a year of per-second fires is not a plan. */
export const DEFAULT_CATCHUP_WINDOW_MS = 24 * 3600_000;
/** At most this many instants per pass; the rest are handled by the next pass. */
export const MAX_FIRES_PER_PASS = 100;

export interface DueInput {
  /** The schedule's next instant (the first one not handled yet). */
  nextFireAt: Date;
  now: Date;
  /** No instant after this is due (the schedule's end date). */
  endAt: Date | null;
  catchup: CatchupMode;
  catchupWindowMs: number | null;
}

export interface CatchupPlan {
  /** Instants to start runs for, oldest first. */
  fire: Date[];
  /** Every due instant up to this one has been dealt with (run or dropped by the policy). */
  lastHandled: Date;
  /** The pass was capped: more due instants follow `lastHandled`. */
  more: boolean;
}

/**
 * Due instants are nextFireAt..now (up to endAt). On-time ones always run. Missed ones (older than
 * ON_TIME_MS): `none` drops them, `latest` runs only the most recent due instant, `all` runs each
 * one within the catch-up window, oldest first. Null when nothing is due.
 */
export function planCatchup(spec: CronSpec, timeZone: string, input: DueInput): CatchupPlan | null {
  const { now, nextFireAt } = input;
  if (nextFireAt.getTime() > now.getTime()) return null;
  const until = input.endAt && input.endAt.getTime() < now.getTime() ? input.endAt : now;
  if (nextFireAt.getTime() > until.getTime()) return null;
  // `after` is exclusive: start just before nextFireAt so nextFireAt itself is included.
  const from = nextFireAt.getTime() - 1;
  const windowMs =
    input.catchupWindowMs ?? (input.catchup === 'all' ? DEFAULT_CATCHUP_WINDOW_MS : null);
  // Window bounds are inclusive; `between` excludes its lower bound.
  const windowFrom = windowMs === null ? from : Math.max(from, now.getTime() - windowMs - 1);
  const onTimeFrom = Math.max(from, now.getTime() - ON_TIME_MS);

  if (input.catchup === 'all') {
    const fire = between(spec, timeZone, windowFrom, until.getTime(), MAX_FIRES_PER_PASS);
    const more = fire.length === MAX_FIRES_PER_PASS;
    const lastHandled = more
      ? fire[fire.length - 1]!
      : (latestIn(spec, timeZone, from, until.getTime()) ?? nextFireAt);
    return { fire, lastHandled, more };
  }
  const latest = latestIn(spec, timeZone, from, until.getTime()) ?? nextFireAt;
  let fire = between(spec, timeZone, onTimeFrom, until.getTime(), MAX_FIRES_PER_PASS);
  if (fire.length === 0 && input.catchup === 'latest' && latest.getTime() > windowFrom) {
    fire = [latest];
  }
  return { fire, lastHandled: latest, more: false };
}

function between(spec: CronSpec, zone: string, after: number, until: number, limit: number) {
  if (until <= after) return [];
  return cronFiresBetween(spec, zone, new Date(after), new Date(until), limit);
}

/**
 * The latest fire in (after, until], found by looking back over growing windows, so a schedule
 * that fires every second and was down for a day costs a few probes, not 86,400 instants.
 */
function latestIn(spec: CronSpec, zone: string, after: number, until: number): Date | null {
  for (let span = ON_TIME_MS; ; span *= 4) {
    const start = Math.max(after, until - span);
    const found = between(spec, zone, start, until, 100_000);
    if (found.length) return found[found.length - 1]!;
    if (start === after) return null;
  }
}
