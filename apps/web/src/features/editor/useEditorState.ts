'use client';
import { useCallback, useMemo, useState } from 'react';
import {
  canRedo,
  canUndo,
  createHistory,
  push,
  redo as redoHistory,
  undo as undoHistory,
  type EditorState,
} from './model';
import { currentOf } from './model/historyAccess';

/**
 * The editor's document with its undo history. Every change goes through `commit`; a `mergeKey`
 * folds consecutive changes of one field (typing) into one undo step.
 */
export function useEditorState(initial: EditorState) {
  const [history, setHistory] = useState(() => createHistory(initial));
  const state = currentOf(history);
  const commit = useCallback(
    (next: EditorState | ((s: EditorState) => EditorState), mergeKey?: string) =>
      setHistory((h) => {
        const cur = currentOf(h);
        const value = typeof next === 'function' ? next(cur) : next;
        return value === cur ? h : push(h, value, mergeKey);
      }),
    [],
  );
  const undo = useCallback(() => setHistory((h) => (canUndo(h) ? undoHistory(h) : h)), []);
  const redo = useCallback(() => setHistory((h) => (canRedo(h) ? redoHistory(h) : h)), []);
  return useMemo(
    () => ({ state, commit, undo, redo, canUndo: canUndo(history), canRedo: canRedo(history) }),
    [state, commit, undo, redo, history],
  );
}
export type EditorStore = ReturnType<typeof useEditorState>;
