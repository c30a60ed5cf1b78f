// `triggers`: events that start runs when their payload passes a filter, or (`after`) another
// workflow's runs ending with given statuses.
import { z } from 'zod';
import { describeValue, quote } from '../util/describeValue';
import {
  authoredAs,
  descriptionSchema,
  EVENT_NAME_PATTERN,
  jsonValueSchema,
  WORKFLOW_NAME_PATTERN,
  slugName,
  type JsonValue,
} from './fields';

export type Scalar = string | number | boolean | null;

/** Normalized filter condition on one payload field. */
export type FilterCondition = { equals: Scalar } | { in: Scalar[] };

/** Final run statuses an `after` trigger can wait for. */
export const UPSTREAM_RUN_STATUSES = ['succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export type UpstreamRunStatus = (typeof UPSTREAM_RUN_STATUSES)[number];

/** Start a run when a run of `workflow` (same team) ends with one of `statuses`. */
export interface AfterRun {
  workflow: string;
  statuses: UpstreamRunStatus[];
}

export interface Trigger {
  name: string;
  description: string | null;
  /** The event listened to; null for an `after` trigger. */
  event: string | null;
  /** Present on triggers that follow another workflow's runs instead of an event. */
  after?: AfterRun;
  /**
   * Payload field (dot path relative to the payload, e.g. "order.status") → condition.
   * All conditions must hold. Authors write a bare value for `equals`.
   */
  filter: Record<string, FilterCondition>;
  /**
   * Params for the run; strings may be templates over `event` (or `upstream_run` for `after`
   * triggers); a lone `{{ … }}` keeps the value's type.
   */
  params: Record<string, JsonValue>;
  enabled: boolean;
}

const FIELD_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

const conditionSchema = authoredAs<Scalar | FilterCondition>()(
  z.unknown().transform((value, ctx): FilterCondition => {
    if (isScalar(value)) return { equals: value };
    if (typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const object = value as Record<string, unknown>;
      if (keys.length === 1 && keys[0] === 'equals' && isScalar(object.equals))
        return { equals: object.equals };
      if (keys.length === 1 && keys[0] === 'in' && Array.isArray(object.in)) {
        if (object.in.length > 0 && object.in.every(isScalar)) return { in: [...object.in] };
        ctx.addIssue({
          code: 'custom',
          message: '"in" needs a non-empty list of strings, numbers, booleans or null',
        });
        return z.NEVER;
      }
    }
    ctx.addIssue({
      code: 'custom',
      message: `expected a value to compare with (string, number, boolean, null), { equals: value } or { in: [values] }, got ${describeValue(value)}`,
    });
    return z.NEVER;
  }),
);

const afterSchema = z.strictObject({
  workflow: z.string().regex(WORKFLOW_NAME_PATTERN, {
    error: (iss) =>
      `invalid workflow name ${quote(String(iss.input))}: use lowercase letters, digits, ".", "_" or "-"`,
  }),
  statuses: z
    .array(z.enum(UPSTREAM_RUN_STATUSES).describe('run status'))
    .min(1)
    .default(['succeeded']),
});

export const triggerSchema = z
  .strictObject({
    name: slugName('trigger name').optional(),
    description: descriptionSchema.nullable().default(null),
    event: z
      .string()
      .regex(EVENT_NAME_PATTERN, {
        error: (iss) =>
          `invalid event name ${quote(String(iss.input))}: use letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit`,
      })
      .optional(),
    after: afterSchema.optional(),
    filter: z
      .record(
        z.string().regex(FIELD_PATH, {
          error: (iss) =>
            `invalid payload field ${quote(String(iss.input))}: use a dot path such as "order.status"`,
        }),
        conditionSchema,
      )
      .default({}),
    params: z.record(z.string(), jsonValueSchema).default({}),
    enabled: z.boolean().default(true),
  })
  .superRefine((t, ctx) => {
    if ((t.event === undefined) === (t.after === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'give either "event" (start on an event) or "after" (start when another workflow\'s run ends), not both',
      });
    }
    if (t.after && Object.keys(t.filter).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: '"filter" applies to event payloads; an "after" trigger has no event',
      });
    }
  });
