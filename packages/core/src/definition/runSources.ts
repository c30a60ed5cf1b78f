// Schedules and triggers: parsed entry by entry, named, and put in their normalized shape.
import type { z } from 'zod';
import type { Issue } from './issue';
import { pickDuration } from './normalizeTask';
import type { Schedule, scheduleSchema } from './scheduleSchema';
import type { Trigger, triggerSchema } from './triggerSchema';
import { parseWithSchema } from './zodIssues';

/** A list entry with its position in the section, since entries before it may have failed to parse. */
export type Indexed<T> = { index: number; value: T };

/** Parses list entries one by one; the ones that parse keep their index for later messages. */
export function parseEntries<T extends z.ZodType>(
  schema: T,
  entries: unknown[],
  section: string,
  issues: Issue[],
): Array<Indexed<z.output<T>>> {
  const parsed: Array<Indexed<z.output<T>>> = [];
  entries.forEach((entry, index) => {
    const result = parseWithSchema(schema, entry, { path: [section, index] });
    if (result.ok) parsed.push({ index, value: result.value });
    else issues.push(...result.issues);
  });
  return parsed;
}

export function normalizeSchedules(
  entries: Array<Indexed<z.output<typeof scheduleSchema>>>,
  issues: Issue[],
): Array<Indexed<Schedule>> {
  for (const { index: i, value: s } of entries) {
    for (const key of ['catchupWindow', 'jitter'] as const) {
      if (s[key] !== undefined && s[`${key}Ms`] !== undefined) {
        issues.push({
          path: ['schedules', i, key],
          message: `give either "${key}" or "${key}Ms", not both`,
        });
      }
    }
    if (s.startAt !== null && s.endAt !== null && s.startAt >= s.endAt) {
      issues.push({
        path: ['schedules', i, 'endAt'],
        message: `endAt (${s.endAt}) must be after startAt (${s.startAt})`,
      });
    }
  }
  return nameEntries(entries, 'schedules', 'schedule', issues).map(({ index, value: s }) => ({
    index,
    value: {
      name: s.name,
      description: s.description,
      cron: s.cron,
      timezone: s.timezone,
      params: s.params,
      enabled: s.enabled,
      catchup: s.catchup,
      catchupWindowMs: pickDuration(s.catchupWindow, s.catchupWindowMs, null),
      overlap: s.overlap,
      jitterMs: pickDuration(s.jitter, s.jitterMs, 0)!,
      startAt: s.startAt,
      endAt: s.endAt,
    },
  }));
}

export function normalizeTriggers(
  entries: Array<Indexed<z.output<typeof triggerSchema>>>,
  issues: Issue[],
): Array<Indexed<Trigger>> {
  return nameEntries(entries, 'triggers', 'trigger', issues).map(({ index, value: t }) => ({
    index,
    value: {
      name: t.name,
      description: t.description,
      event: t.event ?? null,
      ...(t.after ? { after: t.after } : {}),
      filter: t.filter,
      params: t.params,
      enabled: t.enabled,
    },
  }));
}

/**
 * Gives unnamed schedules/triggers a positional name (`schedule-1` for schedules[0]) and reports
 * duplicate names. Entries carry their index in the section, as some may have failed to parse.
 */
function nameEntries<T extends { name?: string }>(
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
      issues.push({
        path: [section, index, 'name'],
        message: `duplicate name "${value.name}" (also ${section}[${first}])`,
      });
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
