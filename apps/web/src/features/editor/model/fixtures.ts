// Test fixtures for the editor model and layout (imported by *.test.ts only).
import type { EditorState, Pos, TaskDoc } from './types';

export function stateOf(
  tasks: Record<string, TaskDoc>,
  positions: Record<string, Pos> = {},
  extra: Record<string, unknown> = {},
): EditorState {
  return { workflow: { name: 'test', ...extra, tasks }, positions };
}

/** A seeded generator (LCG), so big fixtures are the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A layered DAG of noop tasks: `layers` layers of equal size; each task after the first layer needs
 * 1-3 tasks, mostly of the previous layer (about 2 × size edges). Positioned on a grid.
 */
export function layeredState(size = 500, layers = 10, seed = 42): EditorState {
  const random = seeded(seed);
  const per = Math.ceil(size / layers);
  const tasks: Record<string, TaskDoc> = {};
  const positions: Record<string, Pos> = {};
  for (let i = 0; i < size; i++) {
    const layer = Math.floor(i / per);
    const needs = new Set<string>();
    if (layer > 0) {
      const count = 1 + Math.floor(random() * 3.2);
      for (let j = 0; j < count; j++) {
        const from = random() < 0.8 ? layer - 1 : Math.floor(random() * layer);
        needs.add(`t${from * per + Math.floor(random() * per)}`);
      }
    }
    tasks[`t${i}`] = needs.size > 0 ? { kind: 'noop', needs: [...needs] } : { kind: 'noop' };
    positions[`t${i}`] = { x: layer * 260, y: (i % per) * 80 };
  }
  return stateOf(tasks, positions);
}
