import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  defaultOther,
  headline,
  signedDuration,
  sortTasks,
  spanMs,
  type CompareRunInput,
  type CompareTaskInput,
} from './compareRuns';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);

function task(
  key: string,
  start: number | null,
  end: number | null,
  more: Partial<CompareTaskInput> = {},
): CompareTaskInput {
  return {
    key,
    status: end === null ? (start === null ? 'pending' : 'running') : 'succeeded',
    attempts: start === null ? 0 : 1,
    startedAt: start === null ? null : at(start),
    finishedAt: end === null ? null : at(end),
    output: null,
    ...more,
  };
}

function run(
  number: number,
  tasks: CompareTaskInput[],
  span: [number, number | null],
  params = {},
): CompareRunInput {
  return {
    id: `run-${number}`,
    number,
    status: span[1] === null ? 'running' : 'succeeded',
    params,
    startedAt: at(span[0]),
    finishedAt: span[1] === null ? null : at(span[1]),
    tasks,
  };
}

describe('compareRuns', () => {
  const a = run(
    6,
    [
      task('extract', 0, 10, { output: { rows: 10 } }),
      task('transform', 10, 20),
      task('load', 20, 25),
      task('gone', 0, 1),
    ],
    [0, 25],
    { n: 1, mode: 'delta' },
  );
  const b = run(
    7,
    [
      task('extract', 0, 12, { output: { rows: 12, note: 'late' } }),
      task('transform', 12, 42, { attempts: 3, status: 'succeeded' }),
      task('load', 42, 44),
      task('fresh', 0, 2),
    ],
    [0, 44],
    { n: 2, mode: 'delta' },
  );
  const cmp = compareRuns(a, b, { order: ['extract', 'fresh', 'transform', 'load', 'unknown'] });

  it('pairs tasks by key, in the given order, then the rest of A, then of B', () => {
    expect(cmp.tasks.map((t) => t.key)).toEqual(['extract', 'fresh', 'transform', 'load', 'gone']);
    const fresh = cmp.tasks.find((t) => t.key === 'fresh')!;
    expect(fresh.a).toBeNull();
    expect(fresh.b).toMatchObject({ durationMs: 2000 });
    expect(fresh.deltaMs).toBeNull();
    expect(fresh.attemptsDelta).toBeNull();
    expect(cmp.tasks.find((t) => t.key === 'gone')!.b).toBeNull();
  });

  it('computes duration and attempt differences, B − A', () => {
    const transform = cmp.tasks.find((t) => t.key === 'transform')!;
    expect(transform.a).toEqual({
      status: 'succeeded',
      durationMs: 10_000,
      running: false,
      attempts: 1,
    });
    expect(transform.deltaMs).toBe(20_000);
    expect(transform.attemptsDelta).toBe(2);
    expect(cmp.tasks.find((t) => t.key === 'load')!.deltaMs).toBe(-3000);
  });

  it('names the three tasks that added the most time, and only those that added any', () => {
    expect(cmp.topSlowdowns.map((t) => [t.key, t.deltaMs])).toEqual([
      ['transform', 20_000],
      ['extract', 2000],
    ]);
    expect(cmp.tasks.filter((t) => t.slowdown).map((t) => t.key)).toEqual(['extract', 'transform']);
    const many = compareRuns(
      run(
        1,
        ['a', 'b', 'c', 'd'].map((k) => task(k, 0, 1)),
        [0, 1],
      ),
      run(
        2,
        ['a', 'b', 'c', 'd'].map((k, i) => task(k, 0, 2 + i)),
        [0, 5],
      ),
    );
    expect(many.topSlowdowns.map((t) => t.key)).toEqual(['d', 'c', 'b']);
  });

  it('diffs outputs and params path by path', () => {
    expect(cmp.tasks.find((t) => t.key === 'extract')!.output.changes).toEqual([
      { kind: 'changed', path: ['rows'], before: 10, after: 12 },
      { kind: 'added', path: ['note'], after: 'late' },
    ]);
    expect(cmp.tasks.find((t) => t.key === 'load')!.output.changes).toEqual([]);
    expect(cmp.params.changes).toEqual([{ kind: 'changed', path: ['n'], before: 1, after: 2 }]);
  });

  it('totals the runs and says how B compares', () => {
    expect(cmp.totals).toEqual({ aMs: 25_000, bMs: 44_000, deltaMs: 19_000, ratio: 0.76 });
    expect(cmp.partial).toBe(false);
    expect(headline(cmp, a, b)).toBe('Run #7 took 19.0 s longer than run #6 (+76%).');
    const reverse = compareRuns(b, a);
    expect(headline(reverse, b, a)).toBe('Run #6 took 19.0 s less than run #7 (−43%).');
    expect(headline(compareRuns(a, a), a, a)).toBe('Run #6 took as long as run #6.');
  });

  it('counts a running task and run up to now, and says "so far"', () => {
    const live = run(8, [task('extract', 0, null)], [0, null]);
    const c = compareRuns(a, live, { now: T0 + 30_000 });
    expect(c.tasks[0]!.b).toMatchObject({ running: true, durationMs: 30_000, status: 'running' });
    expect(c.partial).toBe(true);
    expect(headline(c, a, live)).toBe('Run #8 took 5.00 s longer than run #6 so far (+20%).');
    const notStarted = { ...live, startedAt: null };
    expect(headline(compareRuns(a, notStarted), a, notStarted)).toBeNull();
  });
});

describe('sortTasks', () => {
  const cmp = compareRuns(
    run(1, [task('a', 0, 5), task('b', 0, 5), task('c', 0, 5), task('x', 0, 1)], [0, 5]),
    run(2, [task('a', 0, 6), task('b', 0, 1), task('c', 0, 5), task('y', 0, 1)], [0, 6]),
  );

  it('keeps graph order, or puts the biggest difference (either way) first', () => {
    expect(sortTasks(cmp.tasks, 'graph').map((t) => t.key)).toEqual(['a', 'b', 'c', 'x', 'y']);
    expect(sortTasks(cmp.tasks, 'difference').map((t) => t.key)).toEqual([
      'b', // −4 s
      'a', // +1 s
      'c', // ±0
      'x', // only in A
      'y', // only in B
    ]);
  });
});

describe('formatting', () => {
  it('signs differences', () => {
    expect(signedDuration(1500)).toBe('+1.50 s');
    expect(signedDuration(-250)).toBe('−250 ms');
    expect(signedDuration(0)).toBe('±0 ms');
  });

  it('measures spans up to now while open', () => {
    expect(spanMs(null, null, 0)).toBeNull();
    expect(spanMs(at(0), at(2), 0)).toBe(2000);
    expect(spanMs(at(0), null, T0 + 500)).toBe(500);
    expect(spanMs(at(5).toISOString(), at(2).toISOString(), 0)).toBe(0);
  });
});

describe('defaultOther', () => {
  const runs = [
    { id: 'r4', createdAt: at(40) },
    { id: 'r3', createdAt: at(30) },
    { id: 'r2', createdAt: at(20) },
  ];
  it('picks the run just before, else the newest other, else none', () => {
    expect(defaultOther(runs, { id: 'r3', createdAt: at(30) })).toBe('r2');
    expect(defaultOther(runs, { id: 'r2', createdAt: at(20) })).toBe('r4');
    expect(defaultOther(runs, { id: 'r1', createdAt: at(10) })).toBe('r4');
    expect(defaultOther([runs[0]!], { id: 'r4', createdAt: at(40) })).toBeNull();
  });
});
