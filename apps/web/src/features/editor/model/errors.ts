// Validation errors (from @dtss/core's validateWorkflow) sorted for display: per task for the
// canvas nodes, per field for the task form, the rest for the workflow panel.
import { formatPath, type PathSegment, type ValidationError } from '@dtss/core';

export interface GroupedErrors {
  /** Errors about a task (path `tasks.<id>…`), plus cycle errors on every task of the cycle. */
  byTask: Map<string, ValidationError[]>;
  /** Everything else: top-level fields, defaults, schedules, triggers, the `tasks` map itself. */
  general: ValidationError[];
}

/** `dependency cycle a → b → c → a (…)`: reported on a's needs, but every task in it is involved. */
const CYCLE_MESSAGE = /^dependency cycle (.+?) \(/;

export function groupErrors(errors: readonly ValidationError[]): GroupedErrors {
  const byTask = new Map<string, ValidationError[]>();
  const general: ValidationError[] = [];
  const add = (id: string, error: ValidationError) => {
    const list = byTask.get(id);
    if (!list) byTask.set(id, [error]);
    else if (!list.includes(error)) list.push(error);
  };
  for (const error of errors) {
    const owner = taskOf(error);
    if (owner === null) {
      general.push(error);
      continue;
    }
    add(owner.id, error);
    for (const id of cycleMembers(error)) add(id, error);
  }
  return { byTask, general };
}

/**
 * Messages for one task by field path relative to the task, spelled as @dtss/core's formatPath
 * does: `command`, `request.url`, `retries.maxAttempts`, `env.FOO`, `env["MY VAR"]`,
 * `needs[1]`; `''` for errors about the task as a whole. A cycle through the task that is
 * reported on another task is listed under `needs`.
 */
export function fieldErrors(
  errors: readonly ValidationError[],
  taskId: string,
): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const add = (field: string, message: string) => {
    const list = fields.get(field);
    if (list) list.push(message);
    else fields.set(field, [message]);
  };
  for (const error of errors) {
    const owner = taskOf(error);
    if (owner === null) continue;
    if (owner.id === taskId) add(formatPath(owner.rest), error.message);
    else if (cycleMembers(error).includes(taskId)) add('needs', error.message);
  }
  return fields;
}

function taskOf(error: ValidationError): { id: string; rest: PathSegment[] } | null {
  const path = parsePath(error.path);
  if (!path || path[0] !== 'tasks' || typeof path[1] !== 'string') return null;
  return { id: path[1], rest: path.slice(2) };
}

function cycleMembers(error: ValidationError): string[] {
  const match = CYCLE_MESSAGE.exec(error.message);
  return match ? [...new Set(match[1]!.split(' → '))] : [];
}

const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const INDEX = /\[(\d+)\]/y;
const QUOTED = /\["((?:[^"\\]|\\.)*)"\]/y;

/**
 * The inverse of @dtss/core's formatPath: `tasks.load.needs[0]` → ['tasks', 'load', 'needs', 0],
 * `tasks["1bad"]` → ['tasks', '1bad']. Null for text that formatPath cannot have written.
 */
export function parsePath(text: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (text[pos] === '[') {
      INDEX.lastIndex = pos;
      const index = INDEX.exec(text);
      if (index) {
        segments.push(Number(index[1]));
        pos = INDEX.lastIndex;
        continue;
      }
      QUOTED.lastIndex = pos;
      const quoted = QUOTED.exec(text);
      if (!quoted) return null;
      try {
        segments.push(JSON.parse(`"${quoted[1]}"`) as string);
      } catch {
        return null;
      }
      pos = QUOTED.lastIndex;
      continue;
    }
    if (segments.length > 0) {
      if (text[pos] !== '.') return null;
      pos++;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(text);
    if (!name) return null;
    segments.push(name[0]);
    pos = NAME.lastIndex;
  }
  return segments;
}
