'use client';
import { createContext, useContext, useEffect, useRef, type RefObject } from 'react';

/**
 * Statuses that change faster than the canvas's node objects: a run page's stream writes a
 * task's new status here the moment it arrives. The node paints it on its element directly (a
 * data attribute, a colour and a word) instead of rendering: a React render of one node walks
 * past its hundreds of siblings, and 200 task ends a second of those kept the main thread from
 * reading the stream. The node renders it too (it reads the source when rendering), so React
 * never paints an older status over a newer one.
 */
export interface LiveStatusSource {
  get(task: string): string | undefined;
  /** Calls `onChange` when this task's status changes; returns the unsubscribe. */
  subscribe(task: string, onChange: () => void): () => void;
}

export const LiveStatusContext = createContext<LiveStatusSource | null>(null);

/**
 * The task's status to render (the live one when the canvas has a source that knows it), and a
 * subscription that hands later changes to `paint` with the element `ref` points at.
 */
export function useLiveStatus<E extends HTMLElement>(
  task: string,
  fallback: string | undefined,
  paint: (element: E, status: string) => void,
): { status: string | undefined; ref: RefObject<E | null> } {
  const source = useContext(LiveStatusContext);
  const ref = useRef<E>(null);
  const latestPaint = useRef(paint);
  useEffect(() => {
    latestPaint.current = paint;
  });
  useEffect(() => {
    if (!source) return;
    return source.subscribe(task, () => {
      const status = source.get(task);
      if (ref.current && status) latestPaint.current(ref.current, status);
    });
  }, [source, task]);
  return { status: source?.get(task) ?? fallback, ref };
}
