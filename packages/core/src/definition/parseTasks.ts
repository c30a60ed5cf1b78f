// Structural validation of the `tasks` section, task by task, against each task's kind.
import { describeValue, quote } from '../util/describeValue';
import { didYouMean } from '../util/suggest';
import { TASK_ID_PATTERN } from './fields';
import type { Issue, Path } from './issue';
import { getTaskKind, TASK_KIND_NAMES } from './kinds';
import { LIMITS } from './limits';
import { retrySpellingProblems, type RetriesInput } from './retryPolicy';
import { taskSchemaFor } from './taskSchema';
import { parseWithSchema } from './zodIssues';

/** A task that passed its schema: fields as authored (defaults not merged yet). */
export type ParsedTask = Record<string, unknown> & {
  kind: string;
  needs?: string[];
  retries?: RetriesInput;
  timeout?: number | null;
  timeoutMs?: number | null;
};

export interface ParsedTasks {
  /** Tasks that passed their schema, by id. */
  parsed: Map<string, ParsedTask>;
  /**
   * Every task id → its `needs` as written, even for tasks that failed their schema; entries that
   * are not strings are null, so positions (needs[2]) stay right in messages.
   */
  needs: Map<string, Array<string | null>>;
  issues: Issue[];
  /** False when `tasks` is missing, not an object, or over the size limit. */
  usable: boolean;
}

export function parseTasks(raw: unknown): ParsedTasks {
  const result: ParsedTasks = { parsed: new Map(), needs: new Map(), issues: [], usable: false };
  const fail = (path: Path, message: string) => {
    result.issues.push({ path, message });
    return result;
  };
  if (raw === undefined) return fail([], 'missing required field "tasks"');
  if (Array.isArray(raw)) {
    return fail(
      ['tasks'],
      'expected an object keyed by task id (tasks: { extract: { kind: shell, … } }), got a list',
    );
  }
  if (typeof raw !== 'object' || raw === null)
    return fail(['tasks'], `expected an object keyed by task id, got ${describeValue(raw)}`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return fail(['tasks'], 'a workflow needs at least one task');
  if (entries.length > LIMITS.maxTasks) {
    return fail(
      ['tasks'],
      `too many tasks: ${entries.length.toLocaleString('en-US')} (a workflow may have at most ${LIMITS.maxTasks.toLocaleString('en-US')}; split it into several workflows)`,
    );
  }
  result.usable = true;
  for (const [id, task] of entries) {
    result.needs.set(id, needsOf(task));
    const parsed = parseTask(id, task, result.issues);
    if (parsed) result.parsed.set(id, parsed);
  }
  return result;
}

function parseTask(id: string, raw: unknown, issues: Issue[]): ParsedTask | undefined {
  const path: Path = ['tasks', id];
  const before = issues.length;
  if (!TASK_ID_PATTERN.test(id)) {
    issues.push({
      path,
      message: `invalid task id ${quote(id)}: use up to 64 letters, digits, "_" or "-", starting with a letter or "_"`,
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({
      path,
      message: `expected a task (an object with a kind), got ${describeValue(raw)}`,
    });
    return undefined;
  }
  const task = raw as Record<string, unknown>;
  const kinds = TASK_KIND_NAMES.join(', ');
  if (task.kind === undefined || task.kind === null) {
    issues.push({ path, message: `missing required field "kind" (expected one of: ${kinds})` });
    return undefined;
  }
  const kind = typeof task.kind === 'string' ? getTaskKind(task.kind) : undefined;
  if (!kind) {
    const shown = typeof task.kind === 'string' ? quote(task.kind) : describeValue(task.kind);
    const hint = typeof task.kind === 'string' ? didYouMean(task.kind, TASK_KIND_NAMES) : '';
    issues.push({
      path: [...path, 'kind'],
      message: `unknown kind ${shown} (expected one of: ${kinds})${hint}`,
    });
    return undefined;
  }

  const parsed = parseWithSchema(taskSchemaFor(kind), task, {
    path,
    context: `for kind ${kind.kind}`,
  });
  if (!parsed.ok) issues.push(...parsed.issues);
  for (const problem of kind.checkConfig?.(task) ?? [])
    issues.push({ ...problem, path: [...path, ...problem.path] });
  if (task.timeout !== undefined && task.timeoutMs !== undefined) {
    issues.push({
      path: [...path, 'timeout'],
      message: 'give either "timeout" or "timeoutMs", not both',
    });
  }
  if (parsed.ok) {
    const value = parsed.value as ParsedTask;
    for (const problem of retrySpellingProblems(value.retries)) {
      issues.push({ path: [...path, 'retries', problem.field], message: problem.message });
    }
  }
  return issues.length === before && parsed.ok ? (parsed.value as ParsedTask) : undefined;
}

function needsOf(task: unknown): Array<string | null> {
  if (typeof task !== 'object' || task === null) return [];
  const needs = (task as { needs?: unknown }).needs;
  if (typeof needs === 'string') return [needs];
  return Array.isArray(needs) ? needs.map((n) => (typeof n === 'string' ? n : null)) : [];
}
