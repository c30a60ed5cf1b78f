import { describe, expect, it } from 'vitest';
import { forecastRun, type ForecastTask, type TaskHistory } from './forecastRun';

const graph = {
  tasks: {
    extract: {},
    fast: { needs: ['extract'] },
    slow: { needs: ['extract'] },
    load: { needs: ['fast', 'slow'] },
  },
};
const ended = (startedAt: number, finishedAt: number): ForecastTask => ({
  ended: true,
  queuedAt: startedAt,
  startedAt,
  finishedAt,
});
const pending: ForecastTask = { ended: false, queuedAt: null, startedAt: null, finishedAt: null };

describe('forecastRun', () => {
  it('a finished run: its real end, and the chain through the task that ended last', () => {
    const tasks = new Map([
      ['extract', ended(0, 10)],
      ['fast', ended(10, 15)],
      ['slow', ended(10, 40)],
      ['load', ended(41, 50)],
    ]);
    const f = forecastRun(graph, tasks, new Map(), { now: 999, runStartedAt: 0 });
    expect(f.end).toBe(50);
    expect(f.criticalPath).toEqual(['extract', 'slow', 'load']);
    expect(f.unknown).toEqual([]);
    expect([...f.projected.values()].every((p) => !p.estimated)).toBe(true);
  });

  it('a running run: unended tasks projected from history, ETA and path follow the estimate', () => {
    const history = new Map<string, TaskHistory>([
      ['fast', { waitMs: 1, runMs: 100 }],
      ['slow', { waitMs: 1, runMs: 20 }],
      ['load', { waitMs: 2, runMs: 30 }],
    ]);
    const tasks = new Map([
      ['extract', ended(0, 10)],
      ['fast', { ended: false, queuedAt: 10, startedAt: 12, finishedAt: null }],
      ['slow', ended(11, 31)],
      ['load', pending],
    ]);
    const f = forecastRun(graph, tasks, history, { now: 50, runStartedAt: 0 });
    // fast: started 12, usually 100 → 112; load ready at 112, waits 2, runs 30 → 144.
    expect(f.projected.get('fast')).toEqual({ start: 12, end: 112, estimated: true });
    expect(f.end).toBe(144);
    expect(f.criticalPath).toEqual(['extract', 'fast', 'load']);
  });

  it('a task running longer than usual is projected to end no earlier than now', () => {
    const tasks = new Map([
      ['extract', { ended: false, queuedAt: 0, startedAt: 1, finishedAt: null }],
      ['fast', pending],
      ['slow', pending],
      ['load', pending],
    ]);
    const history = new Map([['extract', { waitMs: 0, runMs: 5 }]]);
    const f = forecastRun(graph, tasks, history, { now: 500, runStartedAt: 0 });
    expect(f.projected.get('extract')!.end).toBe(500);
    // Without history the others take no time: the ETA is a lower bound, and says which.
    expect(f.unknown.sort()).toEqual(['fast', 'load', 'slow']);
    expect(f.end).toBe(500);
  });

  it('tasks that ended without starting (skipped) end when their upstream did', () => {
    const tasks = new Map([
      ['extract', ended(0, 10)],
      ['fast', { ended: true, queuedAt: null, startedAt: null, finishedAt: null }],
      ['slow', ended(10, 20)],
      ['load', { ended: true, queuedAt: null, startedAt: null, finishedAt: 21 }],
    ]);
    const f = forecastRun(graph, tasks, new Map(), { now: 99, runStartedAt: 0 });
    expect(f.projected.get('fast')).toEqual({ start: 10, end: 10, estimated: false });
    expect(f.end).toBe(21);
    expect(f.criticalPath).toEqual(['extract', 'slow', 'load']);
  });

  it('no tasks: no end and no path', () => {
    const f = forecastRun({ tasks: {} }, new Map(), new Map(), { now: 1, runStartedAt: null });
    expect(f).toMatchObject({ end: null, criticalPath: [] });
  });
});
