// Undo/redo of editor states. A history is an immutable value: every operation returns a new one.

import type { EditorState } from './types';

/** Most states a history keeps (past + present + future); the oldest are forgotten first. */
export const HISTORY_LIMIT = 200;

export interface History {
  readonly past: readonly EditorState[];
  readonly present: EditorState;
  readonly future: readonly EditorState[];
  /** Merge key of the last push, while further pushes with it may replace `present`. */
  readonly mergeKey: string | null;
}

export function createHistory(state: EditorState): History {
  return { past: [], present: state, future: [], mergeKey: null };
}

/** The state the editor shows. */
export function currentOf(history: History): EditorState {
  return history.present;
}

/**
 * Records `state` as the new present and clears redo. Consecutive pushes with the same non-empty
 * `mergeKey` replace the present instead (typing in one field is one undo step). Pushing the
 * present itself changes nothing.
 */
export function push(history: History, state: EditorState, mergeKey?: string): History {
  if (state === history.present) return history;
  const key = mergeKey ? mergeKey : null;
  if (key !== null && key === history.mergeKey) {
    return { past: history.past, present: state, future: [], mergeKey: key };
  }
  const past = [...history.past, history.present];
  return {
    past: past.length > HISTORY_LIMIT - 1 ? past.slice(past.length - (HISTORY_LIMIT - 1)) : past,
    present: state,
    future: [],
    mergeKey: key,
  };
}

export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History): boolean {
  return history.future.length > 0;
}

/** One step back; the same history when there is nothing to undo. */
export function undo(history: History): History {
  if (!canUndo(history)) return history;
  return {
    past: history.past.slice(0, -1),
    present: history.past[history.past.length - 1]!,
    future: [history.present, ...history.future],
    mergeKey: null,
  };
}

/** One step forward; the same history when there is nothing to redo. */
export function redo(history: History): History {
  if (!canRedo(history)) return history;
  return {
    past: [...history.past, history.present],
    present: history.future[0]!,
    future: history.future.slice(1),
    mergeKey: null,
  };
}
