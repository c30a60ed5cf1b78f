import { buildDag, findCycles, validateWorkflow } from '@dtss/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { connect, dagInputOf, disconnect, edgesOf, needsOf, upstreamPath } from './edges';
import { layeredState, seeded, stateOf } from './fixtures';
import type { EditorState, TaskDoc } from './types';

const chain = () =>
  stateOf({
    a: { kind: 'noop' },
    b: { kind: 'noop', needs: ['a'] },
    c: { kind: 'noop', needs: 'b' },
  });

function expectOk(r: ReturnType<typeof connect>): EditorState {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.state;
}

describe('needsOf', () => {
  it('reads one id, a list, nothing, and skips entries that are not ids', () => {
    expect(needsOf({ kind: 'noop', needs: 'a' })).toEqual(['a']);
    expect(needsOf({ kind: 'noop', needs: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(needsOf({ kind: 'noop' })).toEqual([]);
    expect(needsOf({ kind: 'noop', needs: ['a', 3, null] as unknown as string[] })).toEqual(['a']);
    expect(needsOf(null)).toEqual([]);
    expect(needsOf('shell')).toEqual([]);
  });
});

describe('edgesOf', () => {
  it('draws source → target for each need, with stable ids', () => {
    expect(edgesOf(chain().workflow)).toEqual([
      { id: 'a->b', source: 'a', target: 'b' },
      { id: 'b->c', source: 'b', target: 'c' },
    ]);
  });

  it('skips unknown ids, self-dependencies and repeats (validation reports them)', () => {
    const { workflow } = stateOf({
      a: { kind: 'noop' },
      b: { kind: 'noop', needs: ['a', 'a', 'b', 'zz'] },
      c: null as unknown as TaskDoc,
    });
    expect(edgesOf(workflow)).toEqual([{ id: 'a->b', source: 'a', target: 'b' }]);
  });
});

describe('connect', () => {
  it('adds the dependency, writing needs right after kind', () => {
    const state = stateOf({
      a: { kind: 'shell', command: 'x' },
      b: { kind: 'shell', command: 'y' },
    });
    const next = expectOk(connect(state, 'a', 'b'));
    expect(next.workflow.tasks.b).toEqual({ kind: 'shell', needs: ['a'], command: 'y' });
    expect(Object.keys(next.workflow.tasks.b!)).toEqual(['kind', 'needs', 'command']);
    expect(next.workflow.tasks.a).toBe(state.workflow.tasks.a);
    expect(next.positions).toBe(state.positions);
    expect(state.workflow.tasks.b).toEqual({ kind: 'shell', command: 'y' });
  });

  it('turns a single id into a list and appends to lists', () => {
    const state = stateOf({
      a: { kind: 'noop' },
      x: { kind: 'noop' },
      b: { kind: 'noop', needs: 'x' },
      c: { kind: 'noop', needs: ['x'] },
    });
    expect(expectOk(connect(state, 'a', 'b')).workflow.tasks.b!.needs).toEqual(['x', 'a']);
    expect(expectOk(connect(state, 'a', 'c')).workflow.tasks.c!.needs).toEqual(['x', 'a']);
  });

  it('refuses self-loops, duplicates and unknown tasks', () => {
    const state = chain();
    expect(connect(state, 'a', 'a')).toEqual({ ok: false, reason: 'task "a" cannot need itself' });
    expect(connect(state, 'a', 'b')).toEqual({ ok: false, reason: '"b" already needs "a"' });
    expect(connect(state, 'b', 'c')).toEqual({ ok: false, reason: '"c" already needs "b"' });
    expect(connect(state, 'zz', 'a')).toEqual({ ok: false, reason: 'unknown task "zz"' });
    expect(connect(state, 'a', 'toString')).toEqual({
      ok: false,
      reason: 'unknown task "toString"',
    });
  });

  it('refuses a cycle, naming it in execution order', () => {
    // c needs b, a needs c: a → … is b → c → a; "b needs a" would close it.
    const state = stateOf({
      b: { kind: 'noop' },
      c: { kind: 'noop', needs: ['b'] },
      a: { kind: 'noop', needs: ['c'] },
    });
    expect(connect(state, 'a', 'b')).toEqual({
      ok: false,
      reason: 'would close a cycle: b → c → a → b',
    });
    expect(connect(chain(), 'b', 'a')).toEqual({
      ok: false,
      reason: 'would close a cycle: a → b → a',
    });
  });

  it('names the shortest way round', () => {
    const state = stateOf({
      a: { kind: 'noop' },
      long1: { kind: 'noop', needs: ['a'] },
      long2: { kind: 'noop', needs: ['long1'] },
      z: { kind: 'noop', needs: ['long2', 'a'] },
    });
    expect(connect(state, 'z', 'a')).toEqual({
      ok: false,
      reason: 'would close a cycle: a → z → a',
    });
  });

  it("agrees with @dtss/core's findCycles on random graphs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (size, pairs, s, t) => {
          // A random DAG: edges only from lower to higher index.
          const tasks: Record<string, TaskDoc> = {};
          for (let i = 0; i < size; i++) tasks[`t${i}`] = { kind: 'noop' };
          let state = stateOf(tasks);
          for (const [x, y] of pairs) {
            const [lo, hi] = [x % size, y % size].sort((p, q) => p - q) as [number, number];
            if (lo === hi) continue;
            const r = connect(state, `t${lo}`, `t${hi}`);
            if (r.ok) state = r.state;
          }
          const source = `t${s % size}`;
          const target = `t${t % size}`;
          if (source === target || needsOf(state.workflow.tasks[target]).includes(source)) return;
          const forced = stateOf({
            ...state.workflow.tasks,
            [target]: { kind: 'noop', needs: [...needsOf(state.workflow.tasks[target]), source] },
          });
          const cycles = findCycles(buildDag(dagInputOf(forced.workflow)));
          const r = connect(state, source, target);
          expect(r.ok).toBe(cycles.length === 0);
          if (!r.ok) {
            // The named path is a real cycle of the graph with the new edge.
            const path = r.reason.replace('would close a cycle: ', '').split(' → ');
            expect(path[0]).toBe(target);
            expect(path.at(-1)).toBe(target);
            for (let i = 0; i + 1 < path.length; i++) {
              expect(needsOf(forced.workflow.tasks[path[i + 1]!])).toContain(path[i]);
            }
          }
        },
      ),
    );
  });

  it('keeps a valid workflow valid', () => {
    const state = stateOf({
      a: { kind: 'shell', command: 'echo a' },
      b: { kind: 'shell', command: 'echo {{ tasks.a.output }}' },
    });
    expect(validateWorkflow(state.workflow).ok).toBe(false); // a is not upstream of b yet
    expect(validateWorkflow(expectOk(connect(state, 'a', 'b')).workflow).ok).toBe(true);
  });

  it('handles 500 tasks and ~1,000 edges (behaviour only)', () => {
    const state = layeredState(500, 10);
    expect(edgesOf(state.workflow).length).toBeGreaterThan(900);
    const random = seeded(7);
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const source = `t${Math.floor(random() * 500)}`;
      const target = `t${Math.floor(random() * 500)}`;
      const r = connect(state, source, target);
      if (!r.ok) {
        refused++;
        continue;
      }
      expect(findCycles(buildDag(dagInputOf(r.state.workflow)))).toEqual([]);
    }
    // Backward edges (from a later layer to an earlier one) often close cycles.
    expect(refused).toBeGreaterThan(0);
    // From the last layer to the first: a long way round.
    const last = connect(state, 't499', 't0');
    const path = upstreamPath(state.workflow.tasks, 't499', 't0');
    expect(last.ok).toBe(path === null);
  });
});

describe('upstreamPath', () => {
  it('follows needs from one task to another', () => {
    expect(upstreamPath(chain().workflow.tasks, 'c', 'a')).toEqual(['c', 'b', 'a']);
    expect(upstreamPath(chain().workflow.tasks, 'a', 'c')).toBeNull();
  });
});

describe('disconnect', () => {
  it('removes one dependency and drops an empty needs', () => {
    const state = stateOf({
      a: { kind: 'noop' },
      x: { kind: 'noop' },
      b: { kind: 'noop', needs: ['a', 'x'] },
      c: { kind: 'noop', needs: 'a' },
    });
    const once = disconnect(state, 'a', 'b');
    expect(once.workflow.tasks.b).toEqual({ kind: 'noop', needs: ['x'] });
    expect(once.workflow.tasks.c).toBe(state.workflow.tasks.c);
    expect(disconnect(state, 'a', 'c').workflow.tasks.c).toEqual({ kind: 'noop' });
  });

  it('returns the same state when there is nothing to remove', () => {
    const state = chain();
    expect(disconnect(state, 'c', 'a')).toBe(state);
    expect(disconnect(state, 'a', 'zz')).toBe(state);
  });

  it('keeps needs entries it does not understand', () => {
    const state = stateOf({
      a: { kind: 'noop' },
      b: { kind: 'noop', needs: ['a', 7] as unknown as string[] },
    });
    expect(disconnect(state, 'a', 'b').workflow.tasks.b!.needs).toEqual([7]);
  });
});
