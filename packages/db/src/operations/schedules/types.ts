/**
 * The contract of schedule operations: zod schemas for what callers pass (the API exposes them as
 * they are) and the shape they get back.
 */
import { storableDate } from '@dtss/core';
import { z } from 'zod';

export const OVERLAP_POLICIES = ['allow_all', 'skip', 'buffer_one', 'cancel_previous'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
export const CATCHUP_POLICIES = ['skip', 'latest', 'all'] as const;
export type CatchupPolicy = (typeof CATCHUP_POLICIES)[number];

const uuid = z.uuid();
const instant = storableDate();
/** Stored as an int4: at most 2,147,483,647 ms (24.8 days); larger ones are input errors. */
const catchupWindowMs = z
  .number()
  .int()
  .min(1000)
  .max(2_147_483_647, 'at most 2147483647 ms (about 24 days)');

/** Fields a UI-made schedule has; all but `cron` have defaults. */
export const scheduleFieldsSchema = z.object({
  cron: z.string().trim().min(1, 'cron is required').max(200),
  timezone: z.string().trim().min(1).max(64).default('UTC'),
  params: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
  startAt: instant.nullable().default(null),
  endAt: instant.nullable().default(null),
  jitterMs: z.number().int().min(0).max(3_600_000).default(0),
  overlapPolicy: z.enum(OVERLAP_POLICIES).default('skip'),
  catchupPolicy: z.enum(CATCHUP_POLICIES).default('latest'),
  /** Missed fires older than this are not caught up; null: no limit (`all` still stops at 1 day). */
  catchupWindowMs: catchupWindowMs.nullable().default(null),
});

export const createScheduleInputSchema = scheduleFieldsSchema.extend({
  teamId: uuid,
  workflowId: uuid,
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'use lowercase letters, digits, ".", "_" or "-"'),
  createdById: uuid.nullable().optional(),
});
export type CreateScheduleInput = z.input<typeof createScheduleInputSchema>;

export const updateScheduleInputSchema = z.object({
  teamId: uuid,
  scheduleId: uuid,
  changes: z
    .object({
      cron: scheduleFieldsSchema.shape.cron,
      timezone: z.string().trim().min(1).max(64),
      params: z.record(z.string(), z.unknown()),
      enabled: z.boolean(),
      startAt: instant.nullable(),
      endAt: instant.nullable(),
      jitterMs: z.number().int().min(0).max(3_600_000),
      overlapPolicy: z.enum(OVERLAP_POLICIES),
      catchupPolicy: z.enum(CATCHUP_POLICIES),
      catchupWindowMs: catchupWindowMs.nullable(),
    })
    .partial(),
});
export type UpdateScheduleInput = z.input<typeof updateScheduleInputSchema>;

export const scheduleRefSchema = z.object({ teamId: uuid, scheduleId: uuid });
export type ScheduleRef = z.input<typeof scheduleRefSchema>;

export const setScheduleEnabledInputSchema = scheduleRefSchema.extend({ enabled: z.boolean() });
export type SetScheduleEnabledInput = z.input<typeof setScheduleEnabledInputSchema>;

export const listSchedulesInputSchema = z.object({
  teamId: uuid,
  workflowId: uuid.optional(),
});
export type ListSchedulesInput = z.input<typeof listSchedulesInputSchema>;

export const previewScheduleFiresInputSchema = z.union([
  scheduleRefSchema.extend({ count: z.number().int().min(1).max(100).default(10) }),
  z.object({
    cron: z.string().trim().min(1).max(200),
    timezone: z.string().trim().min(1).max(64).default('UTC'),
    startAt: instant.nullable().default(null),
    endAt: instant.nullable().default(null),
    count: z.number().int().min(1).max(100).default(10),
  }),
]);
export type PreviewScheduleFiresInput = z.input<typeof previewScheduleFiresInputSchema>;

export interface ScheduleView {
  id: string;
  teamId: string;
  workflowId: string;
  workflowName: string;
  name: string;
  cron: string;
  timezone: string;
  params: Record<string, unknown>;
  enabled: boolean;
  startAt: Date | null;
  endAt: Date | null;
  jitterMs: number;
  overlapPolicy: OverlapPolicy;
  catchupPolicy: CatchupPolicy;
  catchupWindowMs: number | null;
  /** `definition`: declared in the workflow file (edit the file); `ui`: made through the API. */
  source: 'definition' | 'ui';
  lastFireAt: Date | null;
  nextFireAt: Date | null;
  bufferedFireAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ScheduleErrorCode =
  'invalid_input' | 'unknown_schedule' | 'unknown_workflow' | 'duplicate_name' | 'declared_in_file';

/** A schedule request refused before anything was stored. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
  constructor(
    readonly code: ScheduleErrorCode,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Parses with a zod schema; a failure becomes a ScheduleError listing every problem. */
export function parseScheduleInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    path: i.path.join('.'),
    message: i.message,
  }));
  throw new ScheduleError(
    'invalid_input',
    `invalid schedule input: ${details.map((d) => `${d.path || '(input)'}: ${d.message}`).join('; ')}`,
    details,
  );
}
