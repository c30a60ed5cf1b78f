import type { RunView as ClientRunView } from '@dtss/client';
import { describe, expect, it } from 'vitest';
import type { RunView } from '../liveRun';
import {
  rowSummary,
  segmentLabel,
  timelineAt,
  timelineBase,
  toMs,
  type TimelineRunInput,
  type TimelineTaskInput,
} from './timelineRows';

// Both RunViews (runs.get's, as the page holds it, and @dtss/client's) are accepted as they are.
const _page: TimelineRunInput = null as unknown as RunView;
const _client: TimelineRunInput = null as unknown as ClientRunView;
void _page;
void _client;

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => at(s).toISOString();

function task(key: string, over: Partial<TimelineTaskInput> = {}): TimelineTaskInput {
  return {
    key,
    status: 'pending',
    queuedAt: null,
    finishedAt: null,
    nextAttemptAt: null,
    attempts: over.attemptHistory?.length ?? 0,
    maxAttempts: 3,
    attemptHistory: [],
    ...over,
  };
}

function finishedRun(): TimelineRunInput {
  return {
    status: 'failed',
    createdAt: at(-5),
    startedAt: at(0),
    finishedAt: at(60),
    tasks: [
      // graph order: extract, load, report, cleanup
      task('extract', {
        status: 'succeeded',
        queuedAt: at(0),
        finishedAt: at(20),
        attemptHistory: [
          { number: 1, status: 'failed', workerId: 'w1', startedAt: at(1), finishedAt: at(4) },
          { number: 2, status: 'succeeded', workerId: 'w2', startedAt: at(9), finishedAt: at(20) },
        ],
      }),
      task('load', {
        status: 'failed',
        queuedAt: at(20),
        finishedAt: at(60),
        attemptHistory: [
          { number: 1, status: 'failed', workerId: 'w1', startedAt: at(30), finishedAt: at(60) },
        ],
      }),
      task('report', { status: 'skipped', finishedAt: at(60) }),
      // queued at the same time as load: graph order breaks the tie (load first)
      task('audit', {
        status: 'cancelled',
        queuedAt: at(20),
        finishedAt: at(45),
      }),
    ],
  };
}

describe('timelineBase', () => {
  it('orders rows by first start, then graph order; never queued last', () => {
    const base = timelineBase(finishedRun());
    expect(base.rows.map((r) => r.key)).toEqual(['extract', 'load', 'audit', 'report']);
    expect(base.rows.map((r) => r.graphIndex)).toEqual([0, 1, 3, 2]);
  });

  it('splits waiting from executing, per attempt', () => {
    const base = timelineBase(finishedRun());
    const extract = base.rows[0]!;
    expect(extract.segments).toEqual([
      { kind: 'wait', start: T0, end: T0 + 1000, open: false },
      { kind: 'run', start: T0 + 1000, end: T0 + 4000, open: false, attempt: 1, status: 'failed' },
      { kind: 'wait', start: T0 + 4000, end: T0 + 9000, open: false },
      {
        kind: 'run',
        start: T0 + 9000,
        end: T0 + 20_000,
        open: false,
        attempt: 2,
        status: 'succeeded',
      },
    ]);
    expect(extract.totals).toEqual({ waitMs: 6000, runMs: 14_000 });
    expect(extract.workers.get(2)).toBe('w2');
    // cancelled while queued: waited until its end; skipped: nothing
    expect(base.rows[2]!.segments).toEqual([
      { kind: 'wait', start: T0 + 20_000, end: T0 + 45_000, open: false },
    ]);
    expect(base.rows[3]!.segments).toEqual([]);
    expect(base.rows[3]!.firstAt).toBeNull();
  });

  it('covers the run from its start to its end, and nothing in it moves', () => {
    const base = timelineBase(finishedRun());
    expect(base).toMatchObject({ start: T0, staticEnd: T0 + 60_000, ended: true, live: false });
    const a = timelineAt(base, T0 + 999_000);
    const b = timelineAt(base, T0 + 5_000_000);
    expect(a.domain).toEqual({ start: T0, end: T0 + 60_000 });
    expect(a.live).toBe(false);
    // Same rows array: no re-layout for a finished run whatever `now` says.
    expect(a.rows).toBe(base.rows);
    expect(b.rows).toBe(base.rows);
  });

  it('starts at the earliest queued task when it is before the run start', () => {
    const run = finishedRun();
    const base = timelineBase({ ...run, startedAt: at(5) });
    expect(base.start).toBe(T0);
  });

  it('reads ISO strings like dates', () => {
    const run = finishedRun();
    const json: TimelineRunInput = {
      ...run,
      createdAt: iso(-5),
      startedAt: iso(0),
      finishedAt: iso(60),
      tasks: run.tasks.map((t) => ({
        ...t,
        queuedAt: t.queuedAt ? new Date(t.queuedAt).toISOString() : null,
        finishedAt: t.finishedAt ? new Date(t.finishedAt).toISOString() : null,
        attemptHistory: t.attemptHistory?.map((a) => ({
          ...a,
          startedAt: new Date(a.startedAt).toISOString(),
          finishedAt: a.finishedAt ? new Date(a.finishedAt).toISOString() : null,
        })),
      })),
    };
    expect(timelineBase(json)).toEqual(timelineBase(run));
    expect(toMs('not a date')).toBeNull();
    expect(toMs(undefined)).toBeNull();
  });
});

function activeRun(): TimelineRunInput {
  return {
    status: 'running',
    createdAt: at(0),
    startedAt: at(0),
    finishedAt: null,
    tasks: [
      task('done', {
        status: 'succeeded',
        queuedAt: at(0),
        finishedAt: at(5),
        attemptHistory: [
          { number: 1, status: 'succeeded', workerId: 'w', startedAt: at(1), finishedAt: at(5) },
        ],
      }),
      task('running', {
        status: 'running',
        queuedAt: at(5),
        attemptHistory: [
          { number: 1, status: 'running', workerId: 'w', startedAt: at(6), finishedAt: null },
        ],
      }),
      task('backoff', {
        status: 'retry_wait',
        queuedAt: at(5),
        nextAttemptAt: at(30),
        attemptHistory: [
          { number: 1, status: 'failed', workerId: 'w', startedAt: at(5), finishedAt: at(8) },
        ],
      }),
      task('queued', { status: 'queued', queuedAt: at(7) }),
      task('pending'),
    ],
  };
}

describe('timelineAt (live)', () => {
  it('grows open segments to now and keeps closed rows as they are', () => {
    const base = timelineBase(activeRun());
    expect(base.live).toBe(true);
    expect(base.ended).toBe(false);
    const t1 = timelineAt(base, T0 + 10_000);
    const t2 = timelineAt(base, T0 + 20_000);
    expect(t1.domain).toEqual({ start: T0, end: T0 + 10_000 });
    expect(t2.domain).toEqual({ start: T0, end: T0 + 20_000 });
    expect(t2.live).toBe(true);
    const byKey = (rows: typeof t2.rows, k: string) => rows.find((r) => r.key === k)!;
    // untouched rows: the very same objects
    expect(byKey(t2.rows, 'done')).toBe(byKey(base.rows, 'done'));
    expect(byKey(t2.rows, 'pending')).toBe(byKey(base.rows, 'pending'));
    expect(byKey(t2.rows, 'running').segments.at(-1)).toEqual({
      kind: 'run',
      start: T0 + 6000,
      end: T0 + 20_000,
      open: true,
      attempt: 1,
      status: 'running',
    });
    expect(byKey(t2.rows, 'backoff').segments.at(-1)).toEqual({
      kind: 'wait',
      start: T0 + 8000,
      end: T0 + 20_000,
      open: true,
    });
    expect(byKey(t2.rows, 'queued').segments).toEqual([
      { kind: 'wait', start: T0 + 7000, end: T0 + 20_000, open: true },
    ]);
    expect(byKey(t2.rows, 'queued').totals).toEqual({ waitMs: 13_000, runMs: 0 });
    expect(byKey(t2.rows, 'pending').segments).toEqual([]);
  });

  it('orders a live run by when tasks entered it', () => {
    const base = timelineBase(activeRun());
    // backoff and running both queued at 5s; backoff's first attempt started at 5s
    expect(base.rows.map((r) => r.key)).toEqual([
      'done',
      'running',
      'backoff',
      'queued',
      'pending',
    ]);
  });

  it('keeps a task the stream just ended open until its end time is read', () => {
    const run = activeRun();
    const tasks = run.tasks.map((t) => (t.key === 'running' ? { ...t, status: 'succeeded' } : t));
    const base = timelineBase({ ...run, tasks });
    const row = timelineAt(base, T0 + 12_000).rows.find((r) => r.key === 'running')!;
    expect(row.live).toBe(true);
    expect(row.segments.at(-1)).toMatchObject({ end: T0 + 12_000, open: true });
    // Once the run is over, it is over (no end time will come).
    const over = timelineBase({ ...run, tasks, status: 'succeeded', finishedAt: at(9) });
    const closed = over.rows.find((r) => r.key === 'running')!;
    expect(closed.live).toBe(false);
  });

  it('a queued run with nothing started yet still runs to now', () => {
    const base = timelineBase({
      status: 'queued',
      createdAt: at(0),
      startedAt: null,
      finishedAt: null,
      tasks: [task('a')],
    });
    expect(base.live).toBe(false);
    expect(timelineAt(base, T0 + 3000)).toMatchObject({
      domain: { start: T0, end: T0 + 3000 },
      live: true,
    });
  });
});

describe('labels', () => {
  it('names each bar', () => {
    const run = { kind: 'run', start: 0, end: 3_200, open: false, attempt: 2, status: 'failed' };
    expect(segmentLabel('extract', run as never)).toBe('extract attempt 2 · failed · ran 3.2s');
    expect(segmentLabel('extract', run as never, { worker: 'w-1' })).toBe(
      'extract attempt 2 · failed · ran 3.2s · on w-1',
    );
    expect(segmentLabel('extract', { ...run, open: true, status: 'running' } as never)).toBe(
      'extract attempt 2 · running · running for 3.2s',
    );
    const wait = { kind: 'wait' as const, start: 0, end: 1_100, open: false };
    expect(segmentLabel('extract', wait)).toBe('extract waited 1.1s for a worker');
    expect(segmentLabel('extract', wait, { afterAttempt: true })).toBe(
      'extract waited 1.1s for a worker (retry back-off)',
    );
    expect(segmentLabel('extract', { ...wait, open: true })).toBe(
      'extract waiting for a worker · 1.1s so far',
    );
  });

  it('sums a row', () => {
    const base = timelineBase(finishedRun());
    expect(rowSummary(base.rows[0]!)).toEqual({
      short: 'wait 6s · run 14s',
      long: 'extract: waited 6s for a worker (30% of its time), executed 14s over 2 attempts',
    });
    expect(rowSummary(base.rows[3]!).short).toBe('—');
    expect(rowSummary(base.rows[3]!).long).toBe('report: not started (skipped)');
  });
});

it('builds a 1,000-task run quickly', () => {
  const tasks: TimelineTaskInput[] = Array.from({ length: 1000 }, (_, i) =>
    task(`t${i}`, {
      status: 'succeeded',
      queuedAt: at(i),
      finishedAt: at(i + 10),
      attemptHistory: [
        { number: 1, status: 'failed', workerId: 'w', startedAt: at(i + 1), finishedAt: at(i + 3) },
        {
          number: 2,
          status: 'succeeded',
          workerId: 'w',
          startedAt: at(i + 5),
          finishedAt: at(i + 10),
        },
      ],
    }),
  );
  const run: TimelineRunInput = {
    status: 'succeeded',
    createdAt: at(0),
    startedAt: at(0),
    finishedAt: at(1010),
    tasks: [...tasks].reverse(),
  };
  const t = performance.now();
  const base = timelineBase(run);
  timelineAt(base, Date.now());
  expect(performance.now() - t).toBeLessThan(200);
  expect(base.rows[0]!.key).toBe('t0');
  expect(base.rows.at(-1)!.key).toBe('t999');
  expect(base.rows[0]!.segments).toHaveLength(4);
});
