import { describe, expect, it } from 'vitest';
import { applyRunEvent, reviveRunView } from './liveRun';

// A snapshot as the stream sends it: JSON.stringify of a RunView.
const snapshot = JSON.parse(
  JSON.stringify({
    id: 'r1',
    number: 7,
    teamId: 't',
    workflowId: 'w',
    workflowName: 'etl',
    version: 2,
    status: 'running',
    triggerKind: 'manual',
    params: { limit: 5 },
    logicalDate: null,
    createdAt: new Date('2026-12-06T01:00:00Z'),
    startedAt: new Date('2026-12-06T01:00:01Z'),
    finishedAt: null,
    error: null,
    tasks: [
      {
        key: 'extract',
        status: 'succeeded',
        kind: 'shell',
        pool: 'default',
        attempts: 1,
        maxAttempts: 3,
        queuedAt: new Date('2026-12-06T01:00:01Z'),
        startedAt: new Date('2026-12-06T01:00:02Z'),
        finishedAt: new Date('2026-12-06T01:00:05Z'),
        nextAttemptAt: null,
        output: null,
        error: null,
        attemptHistory: [
          {
            number: 1,
            status: 'succeeded',
            workerId: 'w1',
            startedAt: new Date('2026-12-06T01:00:02Z'),
            finishedAt: new Date('2026-12-06T01:00:05Z'),
            exitCode: 0,
            httpStatus: null,
            error: null,
          },
        ],
      },
      {
        key: 'load',
        status: 'pending',
        kind: 'shell',
        pool: 'default',
        attempts: 0,
        maxAttempts: 1,
        queuedAt: null,
        startedAt: null,
        finishedAt: null,
        nextAttemptAt: null,
        output: null,
        error: null,
        attemptHistory: [],
      },
    ],
  }),
) as unknown;

describe('reviveRunView', () => {
  it('gives the dates back as Dates and keeps the rest', () => {
    const v = reviveRunView(snapshot);
    expect(v.createdAt).toEqual(new Date('2026-12-06T01:00:00Z'));
    expect(v.finishedAt).toBeNull();
    expect(v.tasks[0]!.finishedAt).toEqual(new Date('2026-12-06T01:00:05Z'));
    expect(v.tasks[0]!.attemptHistory[0]!.startedAt).toEqual(new Date('2026-12-06T01:00:02Z'));
    expect(v.tasks[1]!.startedAt).toBeNull();
    expect(v.params).toEqual({ limit: 5 });
  });
});

describe('applyRunEvent', () => {
  const v = reviveRunView(snapshot);

  it("changes one task's status and keeps every other object", () => {
    const next = applyRunEvent(v, { type: 'task', task: 'load', status: 'running' });
    expect(next.tasks[1]!.status).toBe('running');
    expect(next.tasks[0]).toBe(v.tasks[0]);
  });

  it("changes the run's status on run and end events", () => {
    expect(applyRunEvent(v, { type: 'end', status: 'succeeded' }).status).toBe('succeeded');
    expect(applyRunEvent(v, { type: 'run', status: 'cancelled' }).status).toBe('cancelled');
  });

  it('returns the same view for repeats, unknown tasks and unknown statuses', () => {
    expect(applyRunEvent(v, { type: 'task', task: 'extract', status: 'succeeded' })).toBe(v);
    expect(applyRunEvent(v, { type: 'task', task: 'nope', status: 'running' })).toBe(v);
    expect(applyRunEvent(v, { type: 'task', task: 'load', status: 'exploded' })).toBe(v);
    expect(applyRunEvent(v, { type: 'run', status: 'running' })).toBe(v);
  });
});
