import { storableDate } from '@dtss/core';
import { z } from 'zod';
import { id, limit } from './common';

/**
 * `scope`: `online` (beat recently, not stopped), `recent` (those, and the ones that stopped or
 * were lost in the last minutes: the workers page) or `all`. Without it, `onlineOnly` (the CLI's
 * older flag) picks `online` or `all`.
 */
export const workersList = z.object({
  onlineOnly: z.boolean().default(false),
  scope: z.enum(['online', 'recent', 'all']).optional(),
});
export const workersDrain = z.object({ workerId: id });
export const workersAttempts = z.object({ workerId: id, limit: limit(100, 25) });

const DAY_MS = 24 * 3600 * 1000;
const MAX_SPAN_MS = { minute: 7 * DAY_MS, hour: 366 * DAY_MS, day: 20 * 366 * DAY_MS };

export const metricsSummary = z
  .object({
    from: storableDate().optional(),
    to: storableDate().optional(),
    bucket: z.enum(['minute', 'hour', 'day']).default('hour'),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, {
    message: 'from must be before to',
    path: ['from'],
  })
  // At most ~10k buckets per series: a decade of minutes would be one very expensive query.
  .refine(
    (v) => !v.from || (v.to ?? new Date()).getTime() - v.from.getTime() <= MAX_SPAN_MS[v.bucket],
    {
      message: 'window too long for this bucket (minute: 7 days, hour: 1 year, day: 20 years)',
      path: ['from'],
    },
  );
