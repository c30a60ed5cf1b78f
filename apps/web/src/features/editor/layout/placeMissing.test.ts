import { describe, expect, it } from 'vitest';
import { edgesOf } from '../model/edges';
import { layeredState, stateOf } from '../model/fixtures';
import type { EditorState, Pos } from '../model/types';
import { computeLayout } from './computeLayout';
import { DEFAULT_NODE_SIZE, placeMissing, withMissingPlaced } from './placeMissing';

const { width: W, height: H } = DEFAULT_NODE_SIZE;

function expectNoOverlap(positions: Record<string, Pos>) {
  const rects = Object.values(positions).sort((p, q) => p.x - q.x);
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length && rects[j]!.x < rects[i]!.x + W; j++) {
      const [p, q] = [rects[i]!, rects[j]!];
      expect(p.y + H <= q.y || q.y + H <= p.y, `overlap ${JSON.stringify([p, q])}`).toBe(true);
    }
  }
}

const placed: EditorState = stateOf(
  {
    a: { kind: 'noop' },
    b: { kind: 'noop', needs: ['a'] },
  },
  { a: { x: 0, y: 0 }, b: { x: 300, y: 0 } },
);

describe('placeMissing', () => {
  it('returns nothing when every task has a position', () => {
    expect(placeMissing(placed)).toEqual({});
    expect(withMissingPlaced(placed)).toBe(placed);
  });

  it('lays the whole graph out when no task has a position', () => {
    const state = stateOf(placed.workflow.tasks);
    expect(placeMissing(state)).toEqual(
      computeLayout({
        nodes: ['a', 'b'].map((id) => ({ id, ...DEFAULT_NODE_SIZE })),
        edges: edgesOf(state.workflow),
      }),
    );
  });

  it('puts a new task right of its upstream, without moving anything', () => {
    const state = stateOf(
      { ...placed.workflow.tasks, c: { kind: 'noop', needs: ['b'] } },
      placed.positions,
    );
    const added = placeMissing(state);
    expect(Object.keys(added)).toEqual(['c']);
    expect(added.c!.x).toBeGreaterThanOrEqual(300 + W);
    expect(added.c!.y).toBe(0);
    const next = withMissingPlaced(state);
    expect(next.positions.a).toBe(state.positions.a);
    expect(next.positions.b).toBe(state.positions.b);
    expect(next.workflow).toBe(state.workflow);
  });

  it('puts siblings under each other and chains of new tasks in order', () => {
    const state = stateOf(
      {
        ...placed.workflow.tasks,
        // Defined before their upstream, to check upstream-first placement.
        d: { kind: 'noop', needs: ['c1'] },
        c1: { kind: 'noop', needs: ['b'] },
        c2: { kind: 'noop', needs: 'b' },
      },
      placed.positions,
    );
    const added = placeMissing(state);
    expect(added.c1!.x).toBe(added.c2!.x);
    expect(added.c1!.y).not.toBe(added.c2!.y);
    expect(added.d!.x).toBeGreaterThanOrEqual(added.c1!.x + W);
    expectNoOverlap({ ...state.positions, ...added });
  });

  it('puts a new upstream left of its downstream, and unrelated tasks below', () => {
    const state = stateOf(
      {
        ...placed.workflow.tasks,
        up: { kind: 'noop' },
        a2: { kind: 'noop', needs: ['up'] },
        lone1: { kind: 'noop' },
        lone2: { kind: 'noop' },
      },
      { ...placed.positions, a2: { x: 600, y: 200 } },
    );
    const added = placeMissing(state);
    expect(added.up!.x + W).toBeLessThanOrEqual(600);
    expect(added.lone1!.y).toBeGreaterThanOrEqual(200 + H);
    expect(added.lone2!.y).toBe(added.lone1!.y);
    expect(added.lone2!.x).toBeGreaterThan(added.lone1!.x);
    expectNoOverlap({ ...state.positions, ...added });
  });

  it('uses the given node sizes', () => {
    const state = stateOf(
      { ...placed.workflow.tasks, c: { kind: 'noop', needs: ['b'] } },
      placed.positions,
    );
    const wideB = placeMissing(state, { b: { width: 500, height: H } });
    expect(wideB.c!.x).toBeGreaterThanOrEqual(800);
  });

  it('copes with cycles and needs on unknown tasks', () => {
    const state = stateOf(
      {
        ...placed.workflow.tasks,
        x: { kind: 'noop', needs: ['y', 'ghost'] },
        y: { kind: 'noop', needs: ['x'] },
      },
      placed.positions,
    );
    const added = placeMissing(state);
    expect(Object.keys(added).sort()).toEqual(['x', 'y']);
    expectNoOverlap({ ...state.positions, ...added });
  });

  it('places half of a 500-task graph without overlaps (behaviour only)', () => {
    const full = layeredState(500, 10);
    const positions = Object.fromEntries(
      Object.entries(full.positions).filter((_, i) => i % 2 === 0),
    );
    const state = { workflow: full.workflow, positions };
    const added = placeMissing(state);
    expect(Object.keys(added)).toHaveLength(250);
    for (const id of Object.keys(positions)) expect(added).not.toHaveProperty(id);
    expectNoOverlap({ ...positions, ...added });
  });
});
