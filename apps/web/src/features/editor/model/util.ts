// Small helpers shared by the model modules. Internal: not re-exported from index.ts.
import type { EditorState, TaskDoc, WorkflowDoc } from './types';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Structural equality of JSON-like values (what YAML parses to). Key order counts: it is part of
 * the document an author sees, so a reordered mapping is a change.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key, i) => key === keysB[i] && deepEqual(recordA[key], recordB[key]));
}

/** A new state with `tasks` replaced (positions kept unless given). */
export function withTasks(
  state: EditorState,
  tasks: Record<string, TaskDoc>,
  positions: EditorState['positions'] = state.positions,
): EditorState {
  const workflow: WorkflowDoc = { ...state.workflow, tasks };
  return { workflow, positions };
}

/** Own-property lookup, so ids such as "constructor" never find Object.prototype members. */
export function hasOwn(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}
