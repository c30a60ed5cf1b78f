// `schedules`: cron entries that start runs, each in its own time zone with its own params.
import { z } from 'zod';
import { parseCron } from '../cron/parse';
import { normalizeTimeZone } from '../timezone/normalizeTimeZone';
import {
  descriptionSchema,
  durationSchema,
  jsonValueSchema,
  millisecondsSchema,
  slugName,
  type JsonValue,
} from './fields';

export const CATCHUP_MODES = ['none', 'latest', 'all'] as const;
export type CatchupMode = (typeof CATCHUP_MODES)[number];
export const OVERLAP_MODES = ['skip', 'allow_all', 'buffer_one', 'cancel_previous'] as const;
export type OverlapMode = (typeof OVERLAP_MODES)[number];

export interface Schedule {
  /** Stable identity of the schedule across versions (its last fire time is kept under it). */
  name: string;
  description: string | null;
  /** Normalized spelling: whitespace collapsed, macros lowercased. */
  cron: string;
  timezone: string;
  /** Params for runs this schedule starts; the workflow's defaults fill the rest. */
  params: Record<string, JsonValue>;
  enabled: boolean;
  /**
   * Ticks missed while the scheduler was down or the schedule paused: none = drop them,
   * latest = run the most recent one, all = run each, oldest first.
   */
  catchup: CatchupMode;
  /** Missed ticks older than this are not caught up. null: no limit. */
  catchupWindowMs: number | null;
  /**
   * A tick while this schedule's previous run is still active: skip it, allow_all (start anyway,
   * within concurrency.maxRuns), buffer_one (run it once the active run ends; later ticks are
   * dropped), cancel_previous (cancel the active run, then start).
   */
  overlap: OverlapMode;
  /** Each fire is delayed by a random 0..jitterMs to spread load; the logical date is unchanged. */
  jitterMs: number;
  /** ISO 8601 instants bounding when the schedule fires (inclusive). null: unbounded. */
  startAt: string | null;
  endAt: string | null;
}

const cronSchema = z.string().transform((text, ctx) => {
  const parsed = parseCron(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return z.NEVER;
  }
  return parsed.cron.source;
});

const timeZoneSchema = z.string().transform((zone, ctx) => {
  const result = normalizeTimeZone(zone);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  }
  return result.zone;
});

/** An instant with an explicit offset, normalized to UTC ("2024-03-01T00:00:00+01:00" → "…T23:00:00.000Z"). */
const instantSchema = z.string().transform((text, ctx) => {
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)
    ? Date.parse(text)
    : NaN;
  if (Number.isNaN(time)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a date-time with offset such as "2024-03-01T00:00:00Z", got "${text}"`,
    });
    return z.NEVER;
  }
  return new Date(time).toISOString();
});

export const scheduleSchema = z.strictObject({
  name: slugName('schedule name').optional(),
  description: descriptionSchema.nullable().default(null),
  cron: cronSchema,
  timezone: timeZoneSchema.default('UTC'),
  params: z.record(z.string(), jsonValueSchema).default({}),
  enabled: z.boolean().default(true),
  catchup: z.enum(CATCHUP_MODES).describe('catchup mode').default('latest'),
  catchupWindow: durationSchema(1000).nullable().optional(),
  catchupWindowMs: millisecondsSchema(1000).nullable().optional(),
  overlap: z.enum(OVERLAP_MODES).describe('overlap mode').default('skip'),
  jitter: durationSchema().optional(),
  jitterMs: millisecondsSchema().optional(),
  startAt: instantSchema.nullable().default(null),
  endAt: instantSchema.nullable().default(null),
});
