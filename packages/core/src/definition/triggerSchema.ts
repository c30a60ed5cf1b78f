// `triggers`: events that start runs when their payload passes a filter.
import { z } from 'zod';
import { describeValue, quote } from '../util/describeValue';
import {
  authoredAs,
  descriptionSchema,
  EVENT_NAME_PATTERN,
  jsonValueSchema,
  slugName,
  type JsonValue,
} from './fields';

export type Scalar = string | number | boolean | null;

/** Normalized filter condition on one payload field. */
export type FilterCondition = { equals: Scalar } | { in: Scalar[] };

export interface Trigger {
  name: string;
  description: string | null;
  event: string;
  /**
   * Payload field (dot path relative to the payload, e.g. "order.status") → condition.
   * All conditions must hold. Authors write a bare value for `equals`.
   */
  filter: Record<string, FilterCondition>;
  /** Params for the run; strings may be templates over `event` (a lone `{{ … }}` keeps the value's type). */
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

export const triggerSchema = z.strictObject({
  name: slugName('trigger name').optional(),
  description: descriptionSchema.nullable().default(null),
  event: z.string().regex(EVENT_NAME_PATTERN, {
    error: (iss) =>
      `invalid event name ${quote(String(iss.input))}: use letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit`,
  }),
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
});
