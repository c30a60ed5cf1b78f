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
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: limit(200, 50),
  cursor: timeCursor.nullish(),
});
export const runsGet = z.object({ runId: id });
export const runsCancel = z.object({ runId: id });
export const runsRerun = z.object({
  runId: id,
  mode: z.union([
    z.literal('failed'),
    z.object({ task: z.string().min(1).max(100), downstream: z.boolean().default(true) }),
  ]),
});
