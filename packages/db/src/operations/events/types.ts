/** The contract of event operations: zod schemas for inputs, and what callers get back. */
import { EVENT_NAME_PATTERN, findUnstorable, LIMITS, storableDate } from '@dtss/core';
import { z } from 'zod';

export const EVENT_SOURCES = ['api', 'cli', 'ui', 'webhook', 'system'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
/** Largest payload stored, as JSON text (the webhook route caps raw bodies at the same size). */
export const MAX_EVENT_PAYLOAD_BYTES = 1024 * 1024;

const uuid = z.uuid();

export const publishEventInputSchema = z.object({
  teamId: uuid,
  name: z
    .string()
    .regex(
      EVENT_NAME_PATTERN,
      'invalid event name: use letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit',
    ),
  /** Any JSON a jsonb column holds: no NUL, no unpaired surrogate, nested within LIMITS.maxDepth. */
  payload: z
    .unknown()
    .default({})
    .superRefine((payload, ctx) => {
      const problem = findUnstorable(payload, LIMITS.maxDepth);
      if (problem)
        ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
    }),
  /** The same key twice in a team records one event (the second call returns the first). */
  idempotencyKey: z.string().min(1).max(200).nullable().optional(),
  source: z.enum(EVENT_SOURCES).default('api'),
  /** source = webhook: the webhook trigger that received it. */
  triggerId: uuid.nullable().optional(),
});
export type PublishEventInput = z.input<typeof publishEventInputSchema>;

export const listEventsInputSchema = z.object({
  teamId: uuid,
  name: z.string().max(128).optional(),
  /** Events received strictly before this instant (paging, newest first). */
  before: storableDate().optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ListEventsInput = z.input<typeof listEventsInputSchema>;

export interface EventView {
  id: string;
  teamId: string;
  name: string;
  payload: unknown;
  source: EventSource;
  idempotencyKey: string | null;
  triggerId: string | null;
  receivedAt: Date;
  /** Set once every matching trigger has its run; null while the fan-out is pending. */
  processedAt: Date | null;
  /** Runs this event started. */
  runCount: number;
}

export interface EventRunOutcome {
  triggerId: string;
  workflowId: string;
  runId: string;
  /** false when the run already existed (a retried fan-out). */
  created: boolean;
}

export interface FanOutResult {
  runs: EventRunOutcome[];
  /** Triggers that matched but could not start a run (bad params, archived workflow...). */
  refused: { triggerId: string; message: string }[];
}

export interface PublishEventResult extends FanOutResult {
  event: EventView;
  /** false when the idempotency key matched an event already recorded. */
  created: boolean;
}

export class EventError extends Error {
  override name = 'EventError';
  constructor(
    readonly code: 'invalid_input' | 'payload_too_large',
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function parseEventInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new EventError(
    'invalid_input',
    `invalid event: ${details.map((d) => `${d.path || '(input)'}: ${d.message}`).join('; ')}`,
    details,
  );
}

export const EVENT_COLUMNS = `e.id, e.team_id AS "teamId", e.name, e.payload, e.source,
  e.idempotency_key AS "idempotencyKey", e.trigger_id AS "triggerId", e.received_at AS "receivedAt",
  e.processed_at AS "processedAt",
  (SELECT count(*)::int FROM workflow_runs r WHERE r.event_id = e.id) AS "runCount"`;
