/** The contract of trigger operations (webhook, event and after-run triggers). */
import { EVENT_NAME_PATTERN, type FilterCondition } from '@dtss/core';
import { z } from 'zod';

const uuid = z.uuid();
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** triggerSchema's filter language: payload dot path → value, { equals } or { in: [...] }. */
export const filterSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'use a dot path such as "order.status"'),
    z.union([
      scalar.transform((v): FilterCondition => ({ equals: v })),
      z.strictObject({ equals: scalar }),
      z.strictObject({ in: z.array(scalar).min(1) }),
    ]),
  )
  .default({});

export const createWebhookTriggerInputSchema = z.object({
  teamId: uuid,
  workflowId: uuid,
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'use lowercase letters, digits, ".", "_" or "-"'),
  /** Name of the events the webhook records (default `webhook.<name>`); event triggers may listen to it. */
  eventName: z.string().regex(EVENT_NAME_PATTERN, 'invalid event name').optional(),
  filter: filterSchema,
  /** Run params; strings may be templates over `event` (`{{ event.payload.id }}`). */
  params: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
});
export type CreateWebhookTriggerInput = z.input<typeof createWebhookTriggerInputSchema>;

export const triggerRefSchema = z.object({ teamId: uuid, triggerId: uuid });
export type TriggerRef = z.input<typeof triggerRefSchema>;

export const setTriggerEnabledInputSchema = triggerRefSchema.extend({ enabled: z.boolean() });
export type SetTriggerEnabledInput = z.input<typeof setTriggerEnabledInputSchema>;

export const listTriggersInputSchema = z.object({ teamId: uuid, workflowId: uuid.optional() });
export type ListTriggersInput = z.input<typeof listTriggersInputSchema>;

export interface TriggerView {
  id: string;
  teamId: string;
  workflowId: string;
  workflowName: string;
  name: string;
  kind: 'event' | 'webhook' | 'workflow_run';
  eventName: string | null;
  filter: Record<string, FilterCondition> | null;
  paramsMapping: Record<string, unknown> | null;
  upstreamWorkflowId: string | null;
  upstreamWorkflowName: string | null;
  upstreamStatuses: string[];
  /** kind = webhook: the path to POST to (the secret itself is never read back). */
  webhookPath: string | null;
  enabled: boolean;
  source: 'definition' | 'ui';
  lastFiredAt: Date | null;
  createdAt: Date;
}

export type TriggerErrorCode =
  | 'invalid_input'
  | 'unknown_trigger'
  | 'unknown_workflow'
  | 'duplicate_name'
  | 'declared_in_file'
  | 'not_a_webhook';

export class TriggerError extends Error {
  override name = 'TriggerError';
  constructor(
    readonly code: TriggerErrorCode,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function parseTriggerInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new TriggerError(
    'invalid_input',
    `invalid trigger: ${details.map((d) => `${d.path || '(input)'}: ${d.message}`).join('; ')}`,
    details,
  );
}

export const webhookPath = (triggerId: string) => `/api/hooks/${triggerId}`;
