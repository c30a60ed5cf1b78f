// The JSON Schema subset used for params and declared task outputs: zod schema and types.
import { z } from 'zod';
import { quote } from '../../util/describeValue';
import { descriptionSchema, jsonValueSchema, PARAM_NAME_PATTERN, type JsonValue } from '../fields';

export const VALUE_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];
export const STRING_FORMATS = ['date', 'date-time', 'uri', 'email'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

interface Common {
  description?: string;
  title?: string;
  /** Normalized: true when the value must be given; defaults to "has no default". */
  required: boolean;
  default?: JsonValue;
}
export interface StringSchema extends Common {
  type: 'string';
  enum?: JsonValue[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: StringFormat;
}
export interface NumberSchema extends Common {
  type: 'number' | 'integer';
  enum?: JsonValue[];
  minimum?: number;
  maximum?: number;
}
export interface BooleanSchema extends Common {
  type: 'boolean';
}
export interface ArraySchema extends Common {
  type: 'array';
  items?: ValueSchema;
  minItems?: number;
  maxItems?: number;
}
export interface ObjectSchema extends Common {
  type: 'object';
  properties?: Record<string, ValueSchema>;
  /** Without `properties` any object is accepted; with them, unknown keys are rejected unless true. */
  additionalProperties?: boolean;
}
export type ValueSchema = StringSchema | NumberSchema | BooleanSchema | ArraySchema | ObjectSchema;
/** A workflow's `params`: name → schema of the value. */
export type ParamsSpec = Record<string, ValueSchema>;

/** What authors write: `required` is optional. */
export type ValueSchemaInput = DistributiveOmit<
  ValueSchema,
  'required' | 'items' | 'properties'
> & {
  required?: boolean;
  items?: ValueSchemaInput;
  properties?: Record<string, ValueSchemaInput>;
};
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const PROPERTY_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export const paramNameSchema = z.string().regex(PARAM_NAME_PATTERN, {
  error: (iss) =>
    `invalid param name ${quote(String(iss.input))}: use up to 64 letters, digits and "_", not starting with a digit`,
});
const propertyNameSchema = z.string().regex(PROPERTY_NAME_PATTERN, {
  error: (iss) =>
    `invalid property name ${quote(String(iss.input))}: use up to 64 letters, digits, "_" or "-"`,
});

const common = {
  description: descriptionSchema.optional(),
  title: z.string().max(200).optional(),
  required: z.boolean().optional(),
  default: jsonValueSchema.optional(),
};
const count = z.number().int().min(0);
const enumSchema = z.array(jsonValueSchema).min(1).optional();

// Declared with a getter so the schema can refer to itself (items, properties) lazily.
export const valueSchemaSchema: z.ZodType<ValueSchemaInput> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('string'),
      ...common,
      enum: enumSchema,
      minLength: count.optional(),
      maxLength: count.optional(),
      pattern: z.string().optional(),
      format: z.enum(STRING_FORMATS).describe('string format').optional(),
    }),
    z.strictObject({
      type: z.literal('number'),
      ...common,
      enum: enumSchema,
      minimum: z.number().optional(),
      maximum: z.number().optional(),
    }),
    z.strictObject({
      type: z.literal('integer'),
      ...common,
      enum: enumSchema,
      minimum: z.number().int().optional(),
      maximum: z.number().int().optional(),
    }),
    z.strictObject({ type: z.literal('boolean'), ...common }),
    z.strictObject({
      type: z.literal('array'),
      ...common,
      items: valueSchemaSchema.optional(),
      minItems: count.optional(),
      maxItems: count.optional(),
    }),
    z.strictObject({
      type: z.literal('object'),
      ...common,
      properties: z.record(propertyNameSchema, valueSchemaSchema).optional(),
      additionalProperties: z.boolean().optional(),
    }),
  ]),
) as z.ZodType<ValueSchemaInput>;

export const paramsSpecSchema = z.record(paramNameSchema, valueSchemaSchema);

/** Fills in `required` (true unless a default is given) all the way down. Idempotent. */
export function normalizeValueSchema(input: ValueSchemaInput): ValueSchema {
  const { required, ...rest } = input;
  const out = { ...rest, required: required ?? input.default === undefined } as ValueSchema;
  if (out.type === 'array' && input.type === 'array' && input.items) {
    out.items = normalizeValueSchema(input.items);
  }
  if (out.type === 'object' && input.type === 'object' && input.properties) {
    out.properties = Object.fromEntries(
      Object.entries(input.properties).map(([key, value]) => [key, normalizeValueSchema(value)]),
    );
  }
  return out;
}

export function normalizeParamsSpec(input: Record<string, ValueSchemaInput>): ParamsSpec {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [key, normalizeValueSchema(value)]),
  );
}
