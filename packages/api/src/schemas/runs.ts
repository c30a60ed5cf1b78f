import { storableDate } from '@dtss/core';
import { z } from 'zod';
import { id, limit, runStatus, timeCursor, triggerKind, workflowRef } from './common';

export const runsTrigger = z.object({
  workflow: workflowRef,
  params: z.record(z.string(), z.unknown()).default({}),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export const runsList = z.object({
  workflow: workflowRef.optional(),
  status: z.array(runStatus).max(6).optional(),
  triggerKind: z.array(triggerKind).max(8).optional(),
  from: storableDate().optional(),
  to: storableDate().optional(),
  limit: limit(200, 50),
  cursor: timeCursor.nullish(),
});
export const runsGet = z.object({ runId: id });
export const runsCancel = z.object({ runId: id });
export const runsHistory = z.object({
  runId: id,
  /** How many recent successful runs the medians come from. */
  limit: z.number().int().min(1).max(100).default(20),
});
export const runsRerun = z.object({
  runId: id,
  mode: z.union([
    z.literal('failed'),
    z.object({ task: z.string().min(1).max(100), downstream: z.boolean().default(true) }),
  ]),
});

/** The runs.list filter without paging: runs.count and bulk actions choose runs with it. */
export const runsFilter = z
  .object({
    workflow: workflowRef.optional(),
    status: z.array(runStatus).max(6).optional(),
    triggerKind: z.array(triggerKind).max(8).optional(),
    from: storableDate().optional(),
    to: storableDate().optional(),
  })
  .refine((v) => !v.from || !v.to || v.from < v.to, {
    message: 'from must be before to',
    path: ['to'],
  });
export const runsCount = runsFilter;

/** Runs named by id, at most this many per call. */
export const BULK_MAX_IDS = 500;
/** Runs a filter may select for one bulk action. */
export const BULK_MAX_RUNS = 1_000;

/**
 * The runs a bulk action applies to: `runIds`, or every run matching `filter` — then with the
 * count the caller confirmed (from runs.count), which the server checks again before acting.
 */
export const runsBulk = z
  .object({
    runIds: z
      .array(id)
      .min(1, 'select at least one run')
      .max(BULK_MAX_IDS, `at most ${BULK_MAX_IDS} runs by id: use a filter for more`)
      .optional(),
    filter: runsFilter.optional(),
    expectedCount: z
      .number()
      .int()
      .min(1, 'no run to act on')
      .max(BULK_MAX_RUNS, `at most ${BULK_MAX_RUNS.toLocaleString('en')} runs at a time`)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.runIds && v.filter) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: 'give runIds or a filter, not both',
      });
    } else if (!v.runIds && !v.filter) {
      ctx.addIssue({
        code: 'custom',
        path: ['runIds'],
        message: 'give runIds, or a filter with expectedCount',
      });
    }
    if (v.filter && v.expectedCount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectedCount'],
        message: 'required with a filter: the number of matching runs you confirmed (runs.count)',
      });
    }
    if (v.runIds && v.expectedCount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectedCount'],
        message: 'only with a filter',
      });
    }
  });
