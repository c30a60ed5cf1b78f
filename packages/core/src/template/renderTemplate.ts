// Fills a template from a run's context. Strings are inserted as they are, other values as JSON.
import { parseTemplateOrThrow, TemplateError, type ParsedTemplate } from './parseTemplate';

/**
 * What templates can read. Roots: params, tasks.<id>.output / tasks.<id>.status, run, workflow, task,
 * event. Values must be JSON (they come from the database and from task output lines).
 */
export interface TemplateContext {
  params?: Record<string, unknown>;
  tasks?: Record<string, { output?: unknown; status?: string }>;
  run?: { id: string; logical_date: string; trigger?: string };
  workflow?: { name: string; version?: number };
  task?: { id: string; attempt: number };
  event?: { name: string; payload: unknown };
}

/** Renders to a string; throws TemplateError naming the expression when a value is missing. */
export function renderTemplate(
  template: string | ParsedTemplate,
  context: TemplateContext,
): string {
  const parsed = typeof template === 'string' ? parseTemplateOrThrow(template) : template;
  let out = '';
  for (const part of parsed.parts) {
    out += part.type === 'text' ? part.value : stringify(lookup(context, part.path, part.source));
  }
  return out;
}

/**
 * Like renderTemplate, but a template that is exactly one expression (`"{{ event.payload.count }}"`)
 * yields the value itself with its type (a number stays a number). Used to map event payloads to params.
 */
export function renderTemplateValue(
  template: string | ParsedTemplate,
  context: TemplateContext,
): unknown {
  const parsed = typeof template === 'string' ? parseTemplateOrThrow(template) : template;
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only?.type === 'expression') {
    return structuredClone(lookup(context, only.path, only.source));
  }
  return renderTemplate(parsed, context);
}

function lookup(context: TemplateContext, path: readonly string[], expression: string): unknown {
  let current: unknown = context;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const next = child(current, segment);
    if (next === undefined) {
      const where = path.slice(0, i).join('.');
      const available = keysOf(current);
      const has = where === '' ? '' : available ? ` (${where} has: ${available})` : '';
      throw new TemplateError(
        `{{ ${expression} }}: no value at ${path.slice(0, i + 1).join('.')}${has}`,
      );
    }
    current = next;
  }
  return current;
}

function child(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

function keysOf(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'no items' : `items 0-${value.length - 1}`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'no keys' : keys.slice(0, 20).join(', ');
  }
  return '';
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
