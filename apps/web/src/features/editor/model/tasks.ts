// Adding, changing, removing and renaming tasks.
import { TASK_ID_PATTERN } from '@dtss/core';
import { mapNeeds } from './edges';
import { rewriteTaskRefs } from './templates';
import type { EdgeRef, EditResult, EditorState, Pos, TaskDoc } from './types';
import { hasOwn, isRecord, withTasks } from './util';

/** Longest task id @dtss/core accepts (TASK_ID_PATTERN: 1 + 63 characters). */
const MAX_TASK_ID_LENGTH = 64;

/**
 * A readable id for a new task of `kind`: `shell_1`, `shell_2`, … One more than the highest number
 * in use, so a deleted task's id is not handed out again (a stale `{{ tasks.shell_1.… }}` left in
 * another task would silently point at the newcomer).
 */
export function newTaskId(state: EditorState, kind: string): string {
  const base = idBase(kind);
  const suffix = new RegExp(`^${escapeRegExp(base)}_(\\d+)$`);
  let highest = 0;
  for (const id of Object.keys(state.workflow.tasks)) {
    const match = suffix.exec(id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  let n = highest + 1;
  while (hasOwn(state.workflow.tasks, `${base}_${n}`)) n++;
  return `${base}_${n}`;
}

/** A kind name reduced to what a task id may hold, leaving room for `_<n>`. */
function idBase(kind: string): string {
  let base = kind.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z_]/.test(base)) base = `task${base === '' ? '' : `_${base}`}`;
  return base.slice(0, MAX_TASK_ID_LENGTH - 8);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The smallest task of `kind` that passes validation. Unknown kinds get just `{ kind }` (which
 * validation reports).
 */
export function defaultTask(kind: string): TaskDoc {
  switch (kind) {
    case 'shell':
      return { kind, command: 'echo hello' };
    case 'node':
      return { kind, script: "console.log('hello')" };
    case 'python':
      return { kind, script: "print('hello')" };
    case 'http':
      return { kind, request: { url: 'https://example.com' } };
    default:
      return { kind };
  }
}

/** Adds a default task of `kind` at `pos` (top-left of its node). */
export function addTask(
  state: EditorState,
  kind: string,
  pos: Pos,
): { state: EditorState; id: string } {
  const id = newTaskId(state, kind);
  const tasks = { ...state.workflow.tasks, [id]: defaultTask(kind) };
  return {
    state: withTasks(state, tasks, { ...state.positions, [id]: { x: pos.x, y: pos.y } }),
    id,
  };
}

/** Replaces task `id`. Unknown ids and an identical object return the same state. */
export function updateTask(state: EditorState, id: string, next: TaskDoc): EditorState {
  const tasks = state.workflow.tasks;
  if (!hasOwn(tasks, id) || tasks[id] === next) return state;
  return withTasks(state, { ...tasks, [id]: next });
}

/**
 * Removes tasks and edges at once (a canvas selection). A removed task also disappears from every
 * `needs` and from positions. Returns the same state when nothing was removed.
 */
export function removeElements(
  state: EditorState,
  remove: { tasks: readonly string[]; edges: readonly EdgeRef[] },
): EditorState {
  const tasks = state.workflow.tasks;
  const gone = new Set(remove.tasks.filter((id) => hasOwn(tasks, id)));
  const cut = new Map<string, Set<string>>();
  for (const { source, target } of remove.edges) {
    if (!cut.has(target)) cut.set(target, new Set());
    cut.get(target)!.add(source);
  }
  let changed = gone.size > 0;
  const next: Record<string, TaskDoc> = {};
  for (const [id, task] of Object.entries(tasks)) {
    if (gone.has(id)) continue;
    const sources = cut.get(id);
    const updated = isRecord(task)
      ? mapNeeds(task, (need) => (gone.has(need) || sources?.has(need) ? null : need))
      : task;
    if (updated !== task) changed = true;
    next[id] = updated;
  }
  if (!changed) return state;
  const positions = { ...state.positions };
  for (const id of gone) delete positions[id];
  return withTasks(state, next, positions);
}

/**
 * Renames a task: its key (in place, so the YAML keeps its order), every `needs` naming it, its
 * position, and `{{ tasks.<from>.… }}` references in the strings of every task.
 */
export function renameTask(state: EditorState, from: string, to: string): EditResult {
  const tasks = state.workflow.tasks;
  if (!hasOwn(tasks, from)) return { ok: false, reason: `unknown task "${from}"` };
  if (from === to) return { ok: true, state };
  if (!TASK_ID_PATTERN.test(to)) {
    return {
      ok: false,
      reason: `invalid task id "${to}": use up to 64 letters, digits, "_" or "-", starting with a letter or "_"`,
    };
  }
  if (hasOwn(tasks, to)) return { ok: false, reason: `a task "${to}" already exists` };

  const renames = new Map([[from, to]]);
  const next: Record<string, TaskDoc> = {};
  for (const [id, task] of Object.entries(tasks)) {
    const rewritten = rewriteTaskRefs(task, renames);
    next[id === from ? to : id] = isRecord(rewritten)
      ? mapNeeds(rewritten, (need) => (need === from ? to : need))
      : rewritten;
  }
  const positions: Record<string, Pos> = {};
  for (const [id, pos] of Object.entries(state.positions)) positions[id === from ? to : id] = pos;
  return { ok: true, state: withTasks(state, next, positions) };
}
