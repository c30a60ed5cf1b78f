/** The contract of backfill operations. */
import { storableDate } from '@dtss/core';
import { z } from 'zod';

/** A backfill creates at most this many runs (split a longer range into several backfills). */
export const MAX_BACKFILL_RUNS = 10_000;

const uuid = z.uuid();

export const createBackfillInputSchema = z
  .object({
    teamId: uuid,
    workflowId: uuid,
    /** Run the instants of this schedule (its cron, zone and params)... */
    scheduleId: uuid.optional(),
    /** ...or of this cron expression in this zone. */
    cron: z.string().trim().min(1).max(200).optional(),
    timezone: z.string().trim().min(1).max(64).optional(),
    /** Both inclusive. */
    rangeStart: storableDate(),
    rangeEnd: storableDate(),
    /** Merged over the schedule's params. */
    params: z.record(z.string(), z.unknown()).default({}),
    maxConcurrency: z.number().int().min(1).max(100).default(1),
    createdById: uuid.nullable().optional(),
  })
  .refine((b) => (b.scheduleId === undefined) !== (b.cron === undefined), {
    message: 'give either scheduleId or cron (with timezone), not both',
    path: ['cron'],
  })
  .refine((b) => b.rangeStart.getTime() <= b.rangeEnd.getTime(), {
    message: 'rangeEnd must not be before rangeStart',
    path: ['rangeEnd'],
  });
export type CreateBackfillInput = z.input<typeof createBackfillInputSchema>;

export const backfillRefSchema = z.object({ teamId: uuid, backfillId: uuid });
export type BackfillRef = z.input<typeof backfillRefSchema>;

export const listBackfillsInputSchema = z.object({
  teamId: uuid,
  workflowId: uuid.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListBackfillsInput = z.input<typeof listBackfillsInputSchema>;

export type BackfillStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface BackfillView {
  id: string;
  teamId: string;
  workflowId: string;
  workflowName: string;
  scheduleId: string | null;
  cron: string;
  timezone: string;
  rangeStart: Date;
  rangeEnd: Date;
  params: Record<string, unknown>;
  maxConcurrency: number;
  status: BackfillStatus;
  totalRuns: number;
  createdRuns: number;
  /** The next logical date to create a run for; null once every run exists (or cancelled). */
  cursor: Date | null;
  /** Runs of this backfill by status (queued, running, succeeded...). */
  runsByStatus: Record<string, number>;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export class BackfillError extends Error {
  override name = 'BackfillError';
  constructor(
    readonly code:
      | 'invalid_input'
      | 'unknown_workflow'
      | 'unknown_schedule'
      | 'unknown_backfill'
      | 'too_many_runs'
      | 'empty_range',
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function parseBackfillInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new BackfillError(
    'invalid_input',
    `invalid backfill: ${details.map((d) => `${d.path || '(input)'}: ${d.message}`).join('; ')}`,
    details,
  );
}
