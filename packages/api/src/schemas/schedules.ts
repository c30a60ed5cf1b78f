// Schedule, backfill and event inputs: the operations' own zod contracts (packages/db), minus the
// fields the API fills in itself (team, author).
import {
  createScheduleInputSchema,
  createWebhookTriggerInputSchema,
  listEventsInputSchema,
  publishEventInputSchema,
  updateScheduleInputSchema,
} from '@dtss/db';
import { storableDate } from '@dtss/core';
import { z } from 'zod';
import { id } from './common';

export const schedulesList = z.object({ workflowId: id.optional() });
export const scheduleRef = z.object({ scheduleId: id });
export const schedulesCreate = createScheduleInputSchema.omit({ teamId: true, createdById: true });
export const schedulesUpdate = updateScheduleInputSchema.omit({ teamId: true });
export const schedulesPreview = z.union([
  z.object({ scheduleId: id, count: z.number().int().min(1).max(100).default(10) }),
  z.object({
    cron: z.string().trim().min(1).max(200),
    timezone: z.string().trim().min(1).max(64).default('UTC'),
    startAt: storableDate().nullable().default(null),
    endAt: storableDate().nullable().default(null),
    count: z.number().int().min(1).max(100).default(10),
  }),
]);

// The refinements of createBackfillInputSchema (scheduleId xor cron, range order) run in the
// operation, which reports them with paths like these.
export const backfillsCreate = z.object({
  workflowId: id,
  scheduleId: id.optional(),
  cron: z.string().trim().min(1).max(200).optional(),
  timezone: z.string().trim().min(1).max(64).optional(),
  rangeStart: storableDate(),
  rangeEnd: storableDate(),
  params: z.record(z.string(), z.unknown()).default({}),
  maxConcurrency: z.number().int().min(1).max(100).default(1),
});
export const backfillsList = z.object({
  workflowId: id.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export const backfillRef = z.object({ backfillId: id });

export const eventsPublish = publishEventInputSchema.pick({
  name: true,
  payload: true,
  idempotencyKey: true,
});
export const eventsList = listEventsInputSchema.omit({ teamId: true });

export const triggersList = z.object({ workflowId: id.optional() });
export const triggerRef = z.object({ triggerId: id });
export const triggersCreateWebhook = createWebhookTriggerInputSchema.omit({ teamId: true });
export const triggersSetEnabled = z.object({ triggerId: id, enabled: z.boolean() });
