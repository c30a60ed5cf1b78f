// Positions for tasks that have none (added in the YAML tab, or pasted as text), without moving
// any task that has one: each goes right of its upstream (or left of its downstream), and down
// until it overlaps nothing. With no position at all, the whole graph is laid out.
import { topologicalLayers } from '@dtss/core';
import { dagInputOf, edgesOf, needsOf } from '../model/edges';
import type { EditorState, Pos } from '../model/types';
import { computeLayout, LAYOUT_SPACING } from './computeLayout';

export interface Size {
  width: number;
  height: number;
}

/** The canvas's node size (TaskNode's NODE_WIDTH × NODE_HEIGHT). */
export const DEFAULT_NODE_SIZE: Size = { width: 184, height: 52 };

type Rect = { x: number; y: number; width: number; height: number };

/**
 * Positions for the tasks of `state` that have none (only those; empty when none is missing).
 * `sizes` gives node sizes by task id; missing entries use `fallback`.
 */
export function placeMissing(
  state: EditorState,
  sizes: Readonly<Record<string, Size>> = {},
  fallback: Size = DEFAULT_NODE_SIZE,
): Record<string, Pos> {
  const { tasks } = state.workflow;
  const ids = Object.keys(tasks);
  const has = (id: string) => Object.hasOwn(state.positions, id);
  const missing = ids.filter((id) => !has(id));
  if (missing.length === 0) return {};
  const sizeOf = (id: string): Size => (Object.hasOwn(sizes, id) ? sizes[id]! : fallback);

  if (missing.length === ids.length) {
    return computeLayout({
      nodes: ids.map((id) => ({ id, ...sizeOf(id) })),
      edges: edgesOf(state.workflow),
    });
  }

  const placed = new Map<string, Rect>();
  for (const id of ids) if (has(id)) placed.set(id, { ...state.positions[id]!, ...sizeOf(id) });
  const downstream = new Map<string, string[]>();
  for (const { source, target } of edgesOf(state.workflow)) {
    if (!downstream.has(source)) downstream.set(source, []);
    downstream.get(source)!.push(target);
  }
  const bounds = boundsOf([...placed.values()]);
  let nextOrphanX = bounds.left;
  const orphanY = bounds.bottom + LAYOUT_SPACING.layer;

  const result: Record<string, Pos> = {};
  for (const id of upstreamFirst(state, missing)) {
    const size = sizeOf(id);
    const ups = needsOf(tasks[id])
      .map((need) => placed.get(need))
      .filter((rect): rect is Rect => rect !== undefined);
    const downs = (downstream.get(id) ?? [])
      .map((next) => placed.get(next))
      .filter((rect): rect is Rect => rect !== undefined);
    let at: Pos;
    if (ups.length > 0) {
      at = { x: Math.max(...ups.map((r) => r.x + r.width)) + LAYOUT_SPACING.layer, y: ups[0]!.y };
    } else if (downs.length > 0) {
      at = {
        x: Math.min(...downs.map((r) => r.x)) - LAYOUT_SPACING.layer - size.width,
        y: downs[0]!.y,
      };
    } else {
      at = { x: nextOrphanX, y: orphanY };
      nextOrphanX += size.width + LAYOUT_SPACING.node;
    }
    const free = freeSpot({ ...at, ...size }, placed);
    placed.set(id, free);
    result[id] = { x: free.x, y: free.y };
  }
  return result;
}

/** `state` with placeMissing's positions added; `state` itself when every task has a position. */
export function withMissingPlaced(
  state: EditorState,
  sizes?: Readonly<Record<string, Size>>,
  fallback?: Size,
): EditorState {
  const added = placeMissing(state, sizes, fallback);
  if (Object.keys(added).length === 0) return state;
  return { workflow: state.workflow, positions: { ...state.positions, ...added } };
}

/** The missing ids with upstream before downstream (definition order when the graph has a cycle). */
function upstreamFirst(state: EditorState, missing: string[]): string[] {
  const wanted = new Set(missing);
  try {
    return topologicalLayers(dagInputOf(state.workflow))
      .flat()
      .filter((id) => wanted.has(id));
  } catch {
    return missing;
  }
}

/** `rect` moved down past whatever it overlaps, until it overlaps nothing. */
function freeSpot(rect: Rect, placed: ReadonlyMap<string, Rect>): Rect {
  const spot = { ...rect };
  for (;;) {
    let below = -Infinity;
    for (const other of placed.values()) {
      if (overlaps(spot, other)) below = Math.max(below, other.y + other.height);
    }
    if (below === -Infinity) return spot;
    spot.y = below + LAYOUT_SPACING.node;
  }
}

function overlaps(a: Rect, b: Rect): boolean {
  const gap = LAYOUT_SPACING.node / 2;
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

function boundsOf(rects: Rect[]): { left: number; bottom: number } {
  return {
    left: Math.min(...rects.map((r) => r.x)),
    bottom: Math.max(...rects.map((r) => r.y + r.height)),
  };
}
