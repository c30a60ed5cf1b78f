// Schedules and triggers start runs, so their params must satisfy the workflow's params spec.
import { checkParams } from '../params/validateParams';
import { validateValue } from '../params/validateValue';
import type { ParamsSpec } from '../params/valueSchema';
import type { Issue } from '../issue';
import type { Schedule } from '../scheduleSchema';
import type { Trigger } from '../triggerSchema';
import { parseTemplate } from '../../template/parseTemplate';
import { didYouMean } from '../../util/suggest';
import { checkEventOnlyTemplate } from './checkTemplates';

export function checkScheduleParams(spec: ParamsSpec, schedules: readonly Schedule[]): Issue[] {
  return schedules.flatMap((schedule, i) => checkParams(spec, schedule.params, { path: ['schedules', i, 'params'] }).issues);
}

/**
 * Trigger params are literal values (checked now) or templates over the event (checked for what
 * they read; their values are only known when an event arrives).
 */
export function checkTriggerParams(spec: ParamsSpec, triggers: readonly Trigger[]): Issue[] {
  const issues: Issue[] = [];
  triggers.forEach((trigger, i) => {
    const base = ['triggers', i, 'params'];
    for (const [name, value] of Object.entries(trigger.params)) {
      const path = [...base, name];
      const schema = spec[name];
      if (!schema) {
        const known = Object.keys(spec);
        issues.push({ path, message: `unknown param "${name}"${didYouMean(name, known) || (known.length ? ` (known: ${known.join(', ')})` : ' (none are declared)')}` });
        continue;
      }
      if (typeof value === 'string' && value.includes('{{')) {
        checkEventOnlyTemplate(value, path, issues);
        const parsed = parseTemplate(value);
        const single = parsed.ok && parsed.template.parts.length === 1 && parsed.template.parts[0]!.type === 'expression';
        if (parsed.ok && !single && schema.type !== 'string') {
          issues.push({ path, message: `this template renders to a string, but param "${name}" is ${schema.type === 'integer' ? 'an' : 'a'} ${schema.type} (use a lone "{{ … }}" to pass a value with its type)` });
        }
        continue;
      }
      issues.push(...validateValue(schema, value, path).issues);
    }
    for (const [name, schema] of Object.entries(spec)) {
      if (schema.required && schema.default === undefined && !Object.hasOwn(trigger.params, name)) {
        issues.push({ path: [...base, name], message: `missing required param "${name}" (${schema.type}): give a value or map it from the event, e.g. "{{ event.payload.${name} }}"` });
      }
    }
  });
  return issues;
}

/**
 * Gives unnamed schedules/triggers a positional name (`schedule-1` for schedules[0]) and reports
 * duplicate names. Entries carry their index in the section, as some may have failed to parse.
 */
export function nameEntries<T extends { name?: string }>(
  entries: ReadonlyArray<{ index: number; value: T }>,
  section: 'schedules' | 'triggers',
  prefix: string,
  issues: Issue[],
): Array<{ index: number; value: T & { name: string } }> {
  const explicit = new Map<string, number>();
  for (const { index, value } of entries) {
    if (value.name === undefined) continue;
    const first = explicit.get(value.name);
    if (first !== undefined) {
      issues.push({ path: [section, index, 'name'], message: `duplicate name "${value.name}" (also ${section}[${first}])` });
    } else explicit.set(value.name, index);
  }
  return entries.map(({ index, value }) => {
    if (value.name !== undefined) return { index, value: value as T & { name: string } };
    const name = `${prefix}-${index + 1}`;
    if (explicit.has(name)) {
      issues.push({
        path: [section, index],
        message: `give this entry a name: its default name "${name}" is taken by ${section}[${explicit.get(name)}]`,
      });
    }
    return { index, value: { ...value, name } };
  });
}
