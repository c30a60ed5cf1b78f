import { describe, expect, it } from 'vitest';
import {
  MAX_FOLLOWED,
  needsNewStream,
  patchPages,
  runsToFollow,
  streamEffect,
  type LiveRow,
} from './runsLive';

function row(id: string, status: LiveRow['status'], extra: Partial<LiveRow> = {}): LiveRow {
  return {
    id,
    status,
    tasksTotal: 2,
    tasksDone: 0,
    tasksFailed: 0,
    startedAt: new Date('2026-01-01T00:00:00Z'),
    finishedAt: null,
    ...extra,
  };
}

describe('streamEffect', () => {
  it('patches a status at once and asks for the counts to be read again', () => {
    expect(streamEffect('run', { runId: 'a', status: 'succeeded' })).toEqual({
      patches: [{ runId: 'a', status: 'succeeded' }],
      refetch: true,
      end: false,
    });
    expect(streamEffect('task', { runId: 'a', task: 'x', status: 'running' })).toEqual({
      patches: [],
      refetch: true,
      end: false,
    });
  });

  it('takes counts and timings from snapshots and summaries, dates revived', () => {
    const effect = streamEffect('summary', {
      runs: [
        {
          runId: 'a',
          status: 'failed',
          tasksTotal: 3,
          tasksDone: 3,
          tasksFailed: 1,
          startedAt: '2026-01-01T00:00:00.000Z',
          finishedAt: '2026-01-01T00:01:00.000Z',
        },
        { runId: 'b', status: 'nonsense' },
      ],
      missing: ['c'],
    });
    expect(effect).toEqual({
      patches: [
        {
          runId: 'a',
          status: 'failed',
          tasksTotal: 3,
          tasksDone: 3,
          tasksFailed: 1,
          startedAt: new Date('2026-01-01T00:00:00.000Z'),
          finishedAt: new Date('2026-01-01T00:01:00.000Z'),
        },
      ],
      refetch: false,
      end: false,
    });
  });

  it('ends on `end` and ignores what it does not know', () => {
    expect(streamEffect('end', { runIds: [] }).end).toBe(true);
    for (const [event, data] of [
      ['run', { runId: 'a', status: 'exploded' }],
      ['run', null],
      ['task', {}],
      ['whatever', { runId: 'a' }],
      ['snapshot', { runs: 'no' }],
    ] as const) {
      expect(streamEffect(event, data)).toEqual({ patches: [], refetch: false, end: false });
    }
  });
});

describe('patchPages', () => {
  it('changes only the rows patched, keeping the identity of what did not change', () => {
    const pages = [
      { items: [row('a', 'running'), row('b', 'running')] },
      { items: [row('c', 'failed')] },
    ];
    const next = patchPages(pages, [
      { runId: 'a', status: 'succeeded' },
      { runId: 'a', tasksDone: 2 },
      { runId: 'zz', status: 'failed' },
    ]);
    expect(next).not.toBe(pages);
    expect(next[0]!.items[0]).toMatchObject({ status: 'succeeded', tasksDone: 2 });
    expect(next[0]!.items[1]).toBe(pages[0]!.items[1]);
    expect(next[1]).toBe(pages[1]);
    // Nothing new: the very same pages.
    expect(patchPages(pages, [{ runId: 'b', status: 'running' }])).toBe(pages);
    expect(patchPages(pages, [{ runId: 'b', startedAt: new Date('2026-01-01T00:00:00Z') }])).toBe(
      pages,
    );
    expect(patchPages(pages, [])).toBe(pages);
  });
});

describe('runsToFollow and needsNewStream', () => {
  it('follows the active rows shown, at most the server cap', () => {
    expect(runsToFollow([row('a', 'running'), row('b', 'failed'), row('c', 'queued')])).toEqual([
      'a',
      'c',
    ]);
    const many = Array.from({ length: MAX_FOLLOWED + 5 }, (_, i) => row(`r${i}`, 'running'));
    expect(runsToFollow(many)).toHaveLength(MAX_FOLLOWED);
  });

  it('reconnects only for runs not followed yet', () => {
    expect(needsNewStream(null, ['a'])).toBe(true);
    expect(needsNewStream(null, [])).toBe(false);
    expect(needsNewStream(['a', 'b'], ['a'])).toBe(false);
    expect(needsNewStream(['a', 'b'], ['b', 'c'])).toBe(true);
  });
});
