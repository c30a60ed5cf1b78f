// The logical dates a backfill will run, computed in the browser exactly as createBackfill counts
// them: every fire of the cron in its zone with rangeStart <= t <= rangeEnd (@dtss/core).
import { cronFiresBetween, normalizeTimeZone, parseCron } from '@dtss/core';

/** createBackfill's MAX_BACKFILL_RUNS (packages/db): a longer range is refused by the server. */
export const BACKFILL_RUN_LIMIT = 10_000;

export type BackfillPreview =
  | {
      ok: true;
      /** The first dates, for display. */
      shown: Date[];
      /** Every date in the range (up to the limit + 1). */
      total: number;
      /** The rest beyond `shown` ("and N more"). */
      more: number;
      tooMany: boolean;
      timezone: string;
    }
  | { ok: false; field: 'cron' | 'timezone' | 'range'; message: string };

export function previewBackfill({
  cron,
  timezone,
  rangeStart,
  rangeEnd,
  show = 8,
  limit = BACKFILL_RUN_LIMIT,
}: {
  cron: string;
  timezone: string;
  rangeStart: Date | null;
  rangeEnd: Date | null;
  show?: number;
  limit?: number;
}): BackfillPreview {
  const spec = parseCron(cron);
  if (!spec.ok) return { ok: false, field: 'cron', message: spec.error.message };
  const zone = normalizeTimeZone(timezone);
  if (!zone.ok) return { ok: false, field: 'timezone', message: zone.message };
  if (!rangeStart || !rangeEnd) {
    return { ok: false, field: 'range', message: 'choose when the range starts and ends' };
  }
  if (rangeEnd.getTime() < rangeStart.getTime()) {
    return { ok: false, field: 'range', message: 'the range ends before it starts' };
  }
  // rangeStart is inclusive; cronFiresBetween's lower bound is not.
  const dates = cronFiresBetween(
    spec.cron,
    zone.zone,
    new Date(rangeStart.getTime() - 1),
    rangeEnd,
    limit + 1,
  );
  if (dates.length === 0) {
    return { ok: false, field: 'range', message: `"${cron}" does not fire in this range` };
  }
  const shown = dates.slice(0, show);
  return {
    ok: true,
    shown,
    total: dates.length,
    more: dates.length - shown.length,
    tooMany: dates.length > limit,
    timezone: zone.zone,
  };
}
