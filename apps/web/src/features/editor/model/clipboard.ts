// Copy and paste of tasks, inside one editor and between tabs (through the system clipboard as
// JSON). A clipboard is a fragment of the `tasks` mapping: its needs only name tasks in it.
import { edgesOf, mapNeeds } from './edges';
import { rewriteTaskRefs } from './templates';
import type { EdgeRef, EditorState, Pos, TaskDoc } from './types';
import { hasOwn, isRecord, withTasks } from './util';

export const CLIPBOARD_FORMAT = 'dtss.editor.tasks';

export interface Clipboard {
  format: typeof CLIPBOARD_FORMAT;
  version: 1;
  /** Copied tasks by id, in definition order; `needs` keep only ids inside the copy. */
  tasks: Record<string, TaskDoc>;
  /** The dependencies among the copied tasks (derived from their needs; informational). */
  edges: EdgeRef[];
  /** Node positions relative to the top-left corner of the copied nodes. */
  positions: Record<string, Pos>;
}

/** Vertical step for tasks that had no position when copied. */
const UNPLACED_STEP = 80;
const MAX_TASK_ID_LENGTH = 64;

/**
 * The tasks `ids` (unknown ids and tasks that are not mappings are left out) with the edges among
 * them. Values are deep-copied, so the clipboard never shares objects with the state.
 */
export function copyTasks(state: EditorState, ids: readonly string[]): Clipboard {
  const chosen = new Set(ids.filter((id) => hasOwn(state.workflow.tasks, id)));
  const tasks: Record<string, TaskDoc> = {};
  for (const [id, task] of Object.entries(state.workflow.tasks)) {
    if (!chosen.has(id) || !isRecord(task)) continue;
    tasks[id] = mapNeeds(structuredClone(task), (need) => (chosen.has(need) ? need : null));
  }
  return {
    format: CLIPBOARD_FORMAT,
    version: 1,
    tasks,
    edges: plainEdges(tasks),
    positions: relativePositions(state.positions, Object.keys(tasks)),
  };
}

function plainEdges(tasks: Record<string, TaskDoc>): EdgeRef[] {
  return edgesOf({ tasks }).map(({ source, target }) => ({ source, target }));
}

function relativePositions(all: Record<string, Pos>, ids: string[]): Record<string, Pos> {
  const placed = ids.filter((id) => hasOwn(all, id));
  const minX = Math.min(...placed.map((id) => all[id]!.x));
  const minY = Math.min(...placed.map((id) => all[id]!.y));
  const maxY = Math.max(...placed.map((id) => all[id]!.y - minY), -UNPLACED_STEP);
  const positions: Record<string, Pos> = {};
  let below = maxY;
  for (const id of ids) {
    if (hasOwn(all, id)) positions[id] = { x: all[id]!.x - minX, y: all[id]!.y - minY };
    else positions[id] = { x: 0, y: (below += UNPLACED_STEP) };
  }
  return positions;
}

/**
 * Adds the clipboard's tasks with fresh ids (`extract_copy`, `extract_copy2`, …), their top-left
 * corner at `at`. Needs and `{{ tasks.<id>… }}` references among the pasted tasks follow the new
 * ids; needs naming tasks outside the clipboard are dropped.
 */
export function pasteTasks(
  state: EditorState,
  clip: Clipboard,
  at: Pos,
): { state: EditorState; ids: string[] } {
  const taken = new Set(Object.keys(state.workflow.tasks));
  const renames = new Map<string, string>();
  for (const id of Object.keys(clip.tasks)) {
    const fresh = copyId(id, taken);
    taken.add(fresh);
    renames.set(id, fresh);
  }
  const tasks = { ...state.workflow.tasks };
  const positions = { ...state.positions };
  let unplaced = 0;
  for (const [id, task] of Object.entries(clip.tasks)) {
    const fresh = renames.get(id)!;
    const copied = rewriteTaskRefs(structuredClone(task), renames);
    tasks[fresh] = mapNeeds(copied, (need) => renames.get(need) ?? null);
    const rel = hasOwn(clip.positions, id)
      ? clip.positions[id]!
      : { x: 0, y: UNPLACED_STEP * unplaced++ };
    positions[fresh] = { x: at.x + rel.x, y: at.y + rel.y };
  }
  return { state: withTasks(state, tasks, positions), ids: [...renames.values()] };
}

function copyId(id: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '_copy' : `_copy${n}`;
    const candidate = id.slice(0, MAX_TASK_ID_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * A clipboard from text (what `JSON.stringify(copyTasks(…))` wrote), or null when the text is not
 * one. Needs are cut to the copied tasks, edges recomputed from them, and positions that are not
 * finite numbers dropped.
 */
export function parseClipboard(text: string): Clipboard | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.format !== CLIPBOARD_FORMAT || value.version !== 1) return null;
  if (!isRecord(value.tasks) || Object.keys(value.tasks).length === 0) return null;
  const ids = new Set(Object.keys(value.tasks));
  const tasks: Record<string, TaskDoc> = {};
  for (const [id, task] of Object.entries(value.tasks)) {
    if (!isRecord(task) || typeof task.kind !== 'string') return null;
    tasks[id] = mapNeeds(task as TaskDoc, (need) => (ids.has(need) ? need : null));
  }
  const positions: Record<string, Pos> = {};
  const rawPositions = isRecord(value.positions) ? value.positions : {};
  for (const id of ids) {
    const pos = rawPositions[id];
    if (isRecord(pos) && Number.isFinite(pos.x) && Number.isFinite(pos.y)) {
      positions[id] = { x: pos.x as number, y: pos.y as number };
    }
  }
  return { format: CLIPBOARD_FORMAT, version: 1, tasks, edges: plainEdges(tasks), positions };
}
