import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, type DagInput } from './buildDag';
import { findCycles } from './findCycles';
import { topologicalLayers } from './topologicalLayers';
import { ancestorsOf, descendantsOf, downstreamOf, leaves, roots, upstreamOf } from './traverse';

const diamond: DagInput = {
  tasks: {
    extract: {},
    clean: { needs: ['extract'] },
    enrich: { needs: ['extract'] },
    load: { needs: ['enrich', 'clean'] },
    report: { needs: ['load'] },
  },
};

/** A random DAG: edges only go from lower to higher index, so it is acyclic by construction. */
const randomDag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
    ),
  )
  .map(([n, pairs, order]) => {
    // `order` renames positions so definition order is not always topological order.
    const name = (i: number) => `t${order[i]}`;
    const tasks: Record<string, { needs: string[] }> = {};
    for (let i = 0; i < n; i++) tasks[name(i)] = { needs: [] };
    for (const [a, b] of pairs) {
      if (a === b) continue;
      const [from, to] = a < b ? [a, b] : [b, a];
      tasks[name(to)]!.needs.push(name(from));
    }
    return { tasks } satisfies DagInput;
  });

describe('topologicalLayers', () => {
  it('layers by longest distance from a root, keeping definition order within a layer', () => {
    expect(topologicalLayers(diamond)).toEqual([
      ['extract'],
      ['clean', 'enrich'],
      ['load'],
      ['report'],
    ]);
  });

  it('contains each task once and puts every task after all it needs (random DAGs)', () => {
    fc.assert(
      fc.property(randomDag, (input) => {
        const layers = topologicalLayers(input);
        const layerOf = new Map<string, number>();
        layers.forEach((layer, i) => layer.forEach((id) => layerOf.set(id, i)));
        expect(layers.flat().length).toBe(Object.keys(input.tasks).length);
        expect(new Set(layers.flat()).size).toBe(layers.flat().length);
        for (const [id, task] of Object.entries(input.tasks)) {
          for (const need of task.needs) expect(layerOf.get(need)!).toBeLessThan(layerOf.get(id)!);
        }
        expect(findCycles(buildDag(input))).toEqual([]);
      }),
    );
  });

  it('handles a 10,000-task chain without recursion', () => {
    const tasks: Record<string, { needs: string[] }> = {};
    for (let i = 0; i < 10_000; i++) tasks[`t${i}`] = { needs: i === 0 ? [] : [`t${i - 1}`] };
    expect(topologicalLayers({ tasks }).length).toBe(10_000);
    tasks.t0!.needs.push('t9999');
    const cycles = findCycles(buildDag({ tasks }));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.length).toBe(10_001);
    expect(() => topologicalLayers({ tasks })).toThrow('cycle');
  });
});

describe('findCycles', () => {
  it('reports one closed path per cycle, in execution order', () => {
    const dag = buildDag({
      tasks: {
        a: { needs: ['c'] },
        b: { needs: ['a'] },
        c: { needs: ['b'] },
        x: { needs: ['y'] },
        y: { needs: ['x'] },
        z: {},
      },
    });
    expect(findCycles(dag)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['x', 'y', 'x'],
    ]);
  });

  it('finds a correct closed path after adding a back-edge to a random DAG', () => {
    fc.assert(
      fc.property(randomDag, fc.nat(), fc.nat(), (input, pickA, pickB) => {
        const layers = topologicalLayers(input);
        if (layers.length < 2) return;
        // A back-edge: an early task needs a task that (transitively) depends on it.
        const ids = Object.keys(input.tasks);
        const late = ids[pickA % ids.length]!;
        const ancestors = ancestorsOf(input, late);
        if (ancestors.length === 0) return;
        const early = ancestors[pickB % ancestors.length]!;
        const tasks = structuredClone(input.tasks);
        tasks[early]!.needs.push(late);
        const cycles = findCycles(buildDag({ tasks }));
        expect(cycles.length).toBeGreaterThan(0);
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          expect(new Set(cycle.slice(1)).size).toBe(cycle.length - 1);
          for (let i = 1; i < cycle.length; i++)
            expect(tasks[cycle[i]!]!.needs).toContain(cycle[i - 1]);
        }
        expect(cycles.some((cycle) => cycle.includes(early) && cycle.includes(late))).toBe(true);
      }),
    );
  });
});

describe('graph helpers', () => {
  it('answer neighbourhood questions in definition order', () => {
    const dag = buildDag(diamond);
    expect(roots(dag)).toEqual(['extract']);
    expect(leaves(dag)).toEqual(['report']);
    expect(downstreamOf(dag, 'extract')).toEqual(['clean', 'enrich']);
    expect(upstreamOf(dag, 'load')).toEqual(['clean', 'enrich']);
    expect(ancestorsOf(dag, 'report')).toEqual(['extract', 'clean', 'enrich', 'load']);
    expect(descendantsOf(diamond, 'enrich')).toEqual(['load', 'report']);
    expect(ancestorsOf(dag, 'extract')).toEqual([]);
  });

  it('throws for unknown task ids', () => {
    expect(() => upstreamOf(diamond, 'nope')).toThrow('unknown task "nope"');
  });
});
