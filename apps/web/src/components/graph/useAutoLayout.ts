'use client';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { computeLayout } from '@/features/editor/layout/computeLayout';
import { layoutKey } from '@/features/editor/layout/layoutKey';
import { cachedLayout, rememberLayout } from './layoutCache';
import { NODE_HEIGHT, NODE_WIDTH } from './TaskNode';

type Pos = { x: number; y: number };
interface GraphShape {
  ids: string[];
  edges: { source: string; target: string }[];
}

let worker: Worker | null | undefined;
let nextRequest = 0;
const pending = new Map<number, (positions: Record<string, Pos>) => void>();
// One object for "nothing to place": a fresh {} per render would re-run every effect that reads it.
const NONE: Record<string, Pos> = Object.freeze({}) as Record<string, Pos>;

function layoutWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('../../features/editor/layout/layout.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.onmessage = (e: MessageEvent<{ id: number; positions: Record<string, Pos> }>) => {
      pending.get(e.data.id)?.(e.data.positions);
      pending.delete(e.data.id);
    };
  } catch {
    worker = null; // no Worker (old browser, strict CSP): lay out on the main thread
  }
  return worker;
}

// The worker starts as soon as a canvas's code loads, while the page is still hydrating: its
// script and dagre are ready by the time a graph needs laying out.
if (typeof window !== 'undefined') layoutWorker();

/** The layout cache changes only through this module's own renders: nothing to subscribe to. */
function noSubscription(): () => void {
  return () => {};
}

function layoutOff(input: Parameters<typeof computeLayout>[0]): Promise<Record<string, Pos>> {
  const w = layoutWorker();
  if (!w) return Promise.resolve(computeLayout(input));
  const id = ++nextRequest;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, input });
  });
}

/**
 * Positions for tasks that have none, laid out off the main thread (a Web Worker running
 * dagre) and cached by structure. Stored positions always win; `null` until the layout is ready
 * when some task needs one.
 */
export function useAutoLayout(
  shape: GraphShape,
  stored: Record<string, Pos>,
): Record<string, Pos> | null {
  const needsLayout = shape.ids.some((id) => !stored[id]);
  const key = useMemo(
    () =>
      needsLayout ? layoutKey({ nodes: shape.ids.map((id) => ({ id })), edges: shape.edges }) : '',
    [needsLayout, shape],
  );
  // The browser's cache is read through useSyncExternalStore so that hydration sees what the server
  // rendered (no layout: the server has no cache) and the cached layout follows in the next render;
  // reading it in a state initialiser made the hydrated tree differ, and React then threw the
  // server's HTML away and rendered the whole page again (React error 418).
  const cached = useSyncExternalStore(
    noSubscription,
    () => (key ? cachedLayout(key, shape.ids) : null),
    () => null,
  );
  const [result, setResult] = useState<{ key: string; positions: Record<string, Pos> } | null>(
    null,
  );
  const latest = useRef(key);
  latest.current = key;
  useEffect(() => {
    if (!key) return;
    if (cachedLayout(key, shape.ids)) return;
    const input = {
      nodes: shape.ids.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges: shape.edges,
    };
    performance.mark('dtss:layout-start');
    void layoutOff(input).then((positions) => {
      performance.measure('dtss:layout', 'dtss:layout-start');
      rememberLayout(key, positions);
      if (latest.current === key) setResult({ key, positions });
    });
  }, [key, shape]);
  if (!needsLayout) return NONE;
  if (cached) return cached;
  return result !== null && result.key === key ? result.positions : null;
}
