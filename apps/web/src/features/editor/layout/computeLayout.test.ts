import { describe, expect, it } from 'vitest';
import { edgesOf } from '../model/edges';
import { layeredState, seeded } from '../model/fixtures';
import { computeLayout, layoutKey, type LayoutInput, type Pos } from './computeLayout';
import { hash53 } from './layoutKey';

const W = 184;
const H = 52;
const node = (id: string, width = W, height = H) => ({ id, width, height });

const diamond: LayoutInput = {
  nodes: ['a', 'b', 'c', 'd'].map((id) => node(id)),
  edges: [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'b', target: 'd' },
    { source: 'c', target: 'd' },
  ],
};

function expectNoOverlap(input: LayoutInput, positions: Record<string, Pos>) {
  const rects = input.nodes.map((n) => ({ ...positions[n.id]!, w: n.width, h: n.height }));
  rects.sort((p, q) => p.x - q.x);
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length && rects[j]!.x < rects[i]!.x + rects[i]!.w; j++) {
      const [p, q] = [rects[i]!, rects[j]!];
      expect(p.y + p.h <= q.y || q.y + q.h <= p.y, `overlap ${JSON.stringify([p, q])}`).toBe(true);
    }
  }
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seeded(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('computeLayout', () => {
  it('places every node, upstream left of downstream (LR)', () => {
    const p = computeLayout(diamond);
    expect(Object.keys(p).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const { source, target } of diamond.edges) {
      expect(p[target]!.x).toBeGreaterThanOrEqual(p[source]!.x + W);
    }
    expect(p.b!.x).toBe(p.c!.x);
    expect(p.b!.y).not.toBe(p.c!.y);
    expectNoOverlap(diamond, p);
    for (const pos of Object.values(p)) {
      expect(Number.isInteger(pos.x) && Number.isInteger(pos.y)).toBe(true);
    }
  });

  it('lays layers top to bottom with TB', () => {
    const p = computeLayout(diamond, 'TB');
    for (const { source, target } of diamond.edges) {
      expect(p[target]!.y).toBeGreaterThanOrEqual(p[source]!.y + H);
    }
  });

  it('depends on the structure, not on the order of nodes and edges', () => {
    const reordered = {
      nodes: shuffled(diamond.nodes, 1),
      edges: shuffled(diamond.edges, 2),
    };
    expect(computeLayout(reordered)).toEqual(computeLayout(diamond));
    expect(computeLayout(diamond)).toEqual(computeLayout(diamond));
  });

  it('ignores duplicate, dangling and self edges, and lays out cycles', () => {
    const messy: LayoutInput = {
      nodes: [node('a'), node('b'), node('a', 999, 999)],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'a', target: 'b' },
        { source: 'b', target: 'b' },
        { source: 'b', target: 'ghost' },
        { source: 'b', target: 'a' },
      ],
    };
    const p = computeLayout(messy);
    expect(Object.keys(p).sort()).toEqual(['a', 'b']);
    expectNoOverlap({ nodes: [node('a'), node('b')], edges: [] }, p);
  });

  it('handles empty graphs and bad sizes', () => {
    expect(computeLayout({ nodes: [], edges: [] })).toEqual({});
    const p = computeLayout({ nodes: [node('a', NaN, -1)], edges: [] });
    expect(Number.isFinite(p.a!.x) && Number.isFinite(p.a!.y)).toBe(true);
  });

  it('lays out 500 tasks and ~1,000 edges (behaviour only)', () => {
    const { workflow } = layeredState(500, 10);
    const input: LayoutInput = {
      nodes: Object.keys(workflow.tasks).map((id) => node(id)),
      edges: edgesOf(workflow),
    };
    expect(input.edges.length).toBeGreaterThan(900);
    const p = computeLayout(input);
    expect(Object.keys(p)).toHaveLength(500);
    for (const { source, target } of input.edges) {
      expect(p[target]!.x).toBeGreaterThan(p[source]!.x);
    }
    expectNoOverlap(input, p);
  });
});

describe('layoutKey', () => {
  it('is the same for the same structure in any order, whatever the sizes', () => {
    const key = layoutKey(diamond);
    expect(key).toMatch(/^4n4e-LR-[0-9a-f]{14}$/);
    expect(
      layoutKey({
        nodes: shuffled(diamond.nodes, 3).map((n) => ({ id: n.id })),
        edges: [
          ...shuffled(diamond.edges, 4),
          { source: 'a', target: 'b' },
          { source: 'a', target: 'zz' },
        ],
      }),
    ).toBe(key);
  });

  it('changes with the ids, the edges and the direction', () => {
    const key = layoutKey(diamond);
    expect(layoutKey({ ...diamond, edges: diamond.edges.slice(1) })).not.toBe(key);
    expect(
      layoutKey({ ...diamond, edges: [...diamond.edges.slice(1), { source: 'd', target: 'a' }] }),
    ).not.toBe(key);
    expect(layoutKey({ ...diamond, nodes: [...diamond.nodes, node('e')] })).not.toBe(key);
    expect(layoutKey(diamond, 'TB')).not.toBe(key);
    // Ids are not confused by joining: ["ab"] vs ["a", "b"].
    expect(layoutKey({ nodes: [{ id: 'a,b' }], edges: [] })).not.toBe(
      layoutKey({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [] }),
    );
  });

  it('hashes to 14 hex digits, differently for near-identical strings', () => {
    expect(hash53('t1->t2')).toMatch(/^[0-9a-f]{14}$/);
    expect(hash53('t1->t2')).toBe(hash53('t1->t2'));
    expect(hash53('t1->t2')).not.toBe(hash53('t2->t1'));
    const seen = new Set(Array.from({ length: 10_000 }, (_, i) => hash53(`task_${i}`)));
    expect(seen.size).toBe(10_000);
  });
});
