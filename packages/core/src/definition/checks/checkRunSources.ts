// Schedules and triggers start runs, so their params must satisfy the workflow's params spec.
import { checkParams } from '../params/validateParams';
import { validateValue } from '../params/validateValue';
import type { ParamsSpec } from '../params/valueSchema';
import type { Issue } from '../issue';
import type { Schedule } from '../scheduleSchema';
import type { Trigger } from '../triggerSchema';
import type { Indexed } from '../runSources';
import { parseTemplate } from '../../template/parseTemplate';
import { didYouMean } from '../../util/suggest';
import { checkEventOnlyTemplate } from './checkTemplates';
import { checkUpstreamRunTemplate } from './checkUpstreamRunTemplate';

export function checkScheduleParams(
  spec: ParamsSpec,
  schedules: ReadonlyArray<Indexed<Schedule>>,
): Issue[] {
  return schedules.flatMap(
    ({ index, value }) =>
      checkParams(spec, value.params, { path: ['schedules', index, 'params'] }).issues,
  );
}

/**
 * Trigger params are literal values (checked now) or templates over the event (checked for what
 * they read; their values are only known when an event arrives).
 */
export function checkTriggerParams(
  spec: ParamsSpec,
  triggers: ReadonlyArray<Indexed<Trigger>>,
): Issue[] {
  const issues: Issue[] = [];
  triggers.forEach(({ index: i, value: trigger }) => {
    const base = ['triggers', i, 'params'];
    for (const [name, value] of Object.entries(trigger.params)) {
      const path = [...base, name];
      const schema = spec[name];
      if (!schema) {
        const known = Object.keys(spec);
        issues.push({
          path,
          message: `unknown param "${name}"${didYouMean(name, known) || (known.length ? ` (known: ${known.join(', ')})` : ' (none are declared)')}`,
        });
        continue;
      }
      if (typeof value === 'string' && value.includes('{{')) {
        if (trigger.after) checkUpstreamRunTemplate(value, path, issues);
        else checkEventOnlyTemplate(value, path, issues);
        const parsed = parseTemplate(value);
        const single =
          parsed.ok &&
          parsed.template.parts.length === 1 &&
          parsed.template.parts[0]!.type === 'expression';
        if (parsed.ok && !single && schema.type !== 'string') {
          issues.push({
            path,
            message: `this template renders to a string, but param "${name}" is ${schema.type === 'integer' ? 'an' : 'a'} ${schema.type} (use a lone "{{ … }}" to pass a value with its type)`,
          });
        }
        continue;
      }
      issues.push(...validateValue(schema, value, path).issues);
    }
    for (const [name, schema] of Object.entries(spec)) {
      if (schema.required && schema.default === undefined && !Object.hasOwn(trigger.params, name)) {
        issues.push({
          path: [...base, name],
          message: `missing required param "${name}" (${schema.type}): give a value or map it from the event, e.g. "{{ event.payload.${name} }}"`,
        });
      }
    }
  });
  return issues;
}
