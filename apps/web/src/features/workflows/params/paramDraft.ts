// The run form's state: what the user typed for each param, as a tree that follows the params
// schema (an object with properties is a group of fields, an array of typed items a list of
// them), read into param values for @dtss/core's validateParams. Pure, so it is tested alone.
import { formatPath, type ParamsSpec, type ValueSchema } from '@dtss/core';

/** A field's text; a group's fields; a list's items. `undefined`: untouched (the default applies). */
export type Draft = string | DraftGroup | DraftList | undefined;
export interface DraftGroup {
  kind: 'group';
  fields: Record<string, Draft>;
}
export interface DraftList {
  kind: 'list';
  items: Draft[];
}
type Path = (string | number)[];

/** Edited as nested fields (rather than one JSON text): objects with properties, arrays with items. */
export function isGroup(
  schema: ValueSchema,
): schema is ValueSchema & { type: 'object'; properties: Record<string, ValueSchema> } {
  return schema.type === 'object' && schema.properties !== undefined;
}
export function isList(
  schema: ValueSchema,
): schema is ValueSchema & { type: 'array'; items: ValueSchema } {
  return schema.type === 'array' && schema.items !== undefined;
}

/** The draft of a new list item: an empty group for object items, else an empty text. */
export function emptyDraft(schema: ValueSchema): Draft {
  if (isGroup(schema)) return { kind: 'group', fields: {} };
  if (isList(schema)) return { kind: 'list', items: [] };
  return '';
}

/**
 * Param values from the drafts, and the problems that stop a text from being read at all (not a
 * number, not JSON, an empty list item), keyed by the same paths validateParams reports.
 */
export function readDrafts(
  spec: ParamsSpec,
  drafts: Record<string, Draft>,
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [name, schema] of Object.entries(spec)) {
    const v = readValue(schema, drafts[name], [name], errors);
    if (v !== undefined) values[name] = v;
  }
  return { values, errors };
}

function readValue(
  schema: ValueSchema,
  draft: Draft,
  path: Path,
  errors: Record<string, string>,
): unknown {
  if (draft === undefined) return undefined;
  if (typeof draft !== 'string') {
    if (draft.kind === 'group' && isGroup(schema)) {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties)) {
        const v = readValue(sub, draft.fields[key], [...path, key], errors);
        if (v !== undefined) out[key] = v;
      }
      // A group left empty is "not given": its default (or its absence) applies.
      return Object.keys(out).length ? out : undefined;
    }
    if (draft.kind === 'list' && isList(schema)) {
      const out: unknown[] = [];
      draft.items.forEach((item, i) => {
        const v = readValue(schema.items, item, [...path, i], errors);
        if (v === undefined)
          errors[formatPath([...path, i])] = 'empty item: fill it in or remove it';
        else out.push(v);
      });
      return out;
    }
    return undefined;
  }
  const text = draft;
  if (text === '') return undefined;
  const at = formatPath(path);
  switch (schema.type) {
    case 'number':
    case 'integer': {
      const n = Number(text);
      if (text.trim() !== '' && Number.isFinite(n)) return n;
      errors[at] = 'must be a number';
      return undefined;
    }
    case 'boolean':
      return text === 'true';
    case 'object':
    case 'array':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        errors[at] = 'must be JSON';
        return undefined;
      }
    default:
      return text;
  }
}
