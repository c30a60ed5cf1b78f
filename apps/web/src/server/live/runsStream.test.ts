import { describe, expect, it } from 'vitest';
import type { HubEvent, HubListener } from './hub';
import {
  authorizeRuns,
  MAX_STREAM_RUNS,
  parseRunIds,
  runsStreamResponse,
  type RunSummary,
} from './runsStream';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('parseRunIds', () => {
  it('takes comma-separated run ids, trimmed, without duplicates', () => {
    expect(parseRunIds(` ${A},${B.toUpperCase()} ,${A},`)).toEqual({ ok: true, runIds: [A, B] });
  });

  it('refuses a missing list, a bad id and too many ids, saying why', () => {
    expect(parseRunIds(null)).toEqual({
      ok: false,
      message: '?ids= is required: run ids separated by commas',
    });
    expect(parseRunIds(' , ')).toMatchObject({ ok: false });
    expect(parseRunIds(`${A},nope`)).toEqual({ ok: false, message: 'not a run id: "nope"' });
    expect(parseRunIds(`x${'y'.repeat(60)}`)).toEqual({
      ok: false,
      message: `not a run id: "x${'y'.repeat(39)}…"`,
    });
    const many = Array.from(
      { length: MAX_STREAM_RUNS + 1 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(parseRunIds(many.join(','))).toEqual({
      ok: false,
      message: `at most 200 runs per stream (got 201)`,
    });
    expect(parseRunIds(many.slice(0, MAX_STREAM_RUNS).join(','))).toMatchObject({ ok: true });
  });
});

describe('authorizeRuns', () => {
  const db = {
    query: async () => ({
      rows: [
        { id: A, team_id: 'team-1' },
        { id: B, team_id: 'team-1' },
        { id: C, team_id: 'team-2' },
      ],
    }),
  } as never;

  it('allows runs of teams the caller belongs to, asking once per team', async () => {
    const asked: string[] = [];
    const roleOf = async (teamId: string) => {
      asked.push(teamId);
      return 'viewer' as const;
    };
    expect(await authorizeRuns(db, [A, B, C], roleOf)).toEqual({
      ok: true,
      teamIds: ['team-1', 'team-2'],
    });
    expect(asked).toEqual(['team-1', 'team-2']);
  });

  it('answers a foreign run exactly like an unknown one', async () => {
    const roleOf = async (teamId: string) => (teamId === 'team-1' ? ('editor' as const) : null);
    expect(await authorizeRuns(db, [A, C], roleOf)).toEqual({
      ok: false,
      status: 404,
      message: `no run ${C}`,
    });
    const unknown = '44444444-4444-4444-8444-444444444444';
    expect(await authorizeRuns(db, [A, unknown], roleOf)).toEqual({
      ok: false,
      status: 404,
      message: `no run ${unknown}`,
    });
  });
});

// ── The stream, against a fake hub and fake reads ──────────────────────────────────────────────

class FakeHub {
  readonly listeners = new Map<string, Set<HubListener>>();
  async subscribe(runId: string, listener: HubListener): Promise<() => void> {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  count(runId: string): number {
    return this.listeners.get(runId)?.size ?? 0;
  }
  emit(runId: string, changes: { task?: string; status: string }[], truncated?: boolean) {
    const event: HubEvent = {
      channel: 'dtss_run_events',
      notice: { runId, changes, ...(truncated ? { truncated } : {}) },
    } as HubEvent;
    for (const l of this.listeners.get(runId) ?? []) l(event);
  }
  resync() {
    for (const set of this.listeners.values()) for (const l of set) l({ channel: 'resync' });
  }
}

function summary(runId: string, status: string, done = 0): RunSummary {
  return {
    runId,
    status,
    tasksTotal: 2,
    tasksDone: done,
    tasksFailed: 0,
    startedAt: new Date('2026-01-01T00:00:00Z'),
    finishedAt: null,
  };
}

interface Msg {
  event: string;
  data: unknown;
}

function open(runIds: string[], state: Map<string, RunSummary>, hub = new FakeHub()) {
  const abort = new AbortController();
  const reads: string[][] = [];
  const response = runsStreamResponse(
    new Request('http://test/api/stream/runs', { signal: abort.signal }),
    {
      hub,
      readSummaries: async (ids) => {
        reads.push([...ids]);
        if (state.has('explode')) throw new Error('database down');
        return ids.flatMap((id) => (state.has(id) ? [state.get(id)!] : []));
      },
    },
    runIds,
    { heartbeatMs: 60_000 },
  );
  const messages: Msg[] = [];
  let ended = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data !== undefined) messages.push({ event, data: JSON.parse(data) });
      }
    }
    ended = true;
  })();
  const waitFor = async (probe: () => boolean, what: string) => {
    const deadline = Date.now() + 2_000;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`no ${what}: ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const count = (event: string) => messages.filter((m) => m.event === event).length;
  return {
    response,
    hub,
    messages,
    reads,
    count,
    waitFor,
    isEnded: () => ended,
    close: () => abort.abort(),
  };
}

describe('runsStreamResponse', () => {
  it('starts with a snapshot of every run, then forwards status changes and drops stale ones', async () => {
    const state = new Map([
      [A, summary(A, 'running')],
      [B, summary(B, 'queued')],
    ]);
    const s = open([A, B, C], state);
    expect(s.response.headers.get('content-type')).toContain('text/event-stream');
    await s.waitFor(() => s.count('snapshot') === 1, 'snapshot');
    expect(s.messages[0]).toEqual({
      event: 'snapshot',
      data: {
        runs: [
          { ...summary(A, 'running'), startedAt: '2026-01-01T00:00:00.000Z' },
          { ...summary(B, 'queued'), startedAt: '2026-01-01T00:00:00.000Z' },
        ],
        missing: [C],
      },
    });
    // The missing run is not followed any more.
    expect(s.hub.count(C)).toBe(0);
    expect(s.hub.count(A)).toBe(1);

    s.hub.emit(A, [{ status: 'running' }, { task: 'x', status: 'running' }]);
    s.hub.emit(A, [{ status: 'queued' }]); // stale: backwards
    s.hub.emit(A, [{ task: 'x', status: 'running' }]); // a repeat
    s.hub.emit(B, [{ status: 'running' }]);
    s.hub.emit(C, [{ status: 'running' }]); // not followed
    await s.waitFor(() => s.count('run') === 1, 'run event');
    await new Promise((r) => setTimeout(r, 20));
    expect(s.messages.slice(1)).toEqual([
      { event: 'task', data: { runId: A, task: 'x', status: 'running' } },
      { event: 'run', data: { runId: B, status: 'running' } },
    ]);
    s.close();
    await s.waitFor(() => s.isEnded(), 'close');
    expect(s.hub.count(A) + s.hub.count(B)).toBe(0);
  });

  it('sends a summary of a run that ended, unfollows it, and ends once every run has', async () => {
    const state = new Map([
      [A, summary(A, 'running')],
      [B, summary(B, 'running')],
    ]);
    const s = open([A, B], state);
    await s.waitFor(() => s.count('snapshot') === 1, 'snapshot');

    state.set(A, { ...summary(A, 'succeeded', 2), finishedAt: new Date('2026-01-01T00:01:00Z') });
    s.hub.emit(A, [{ task: 'b', status: 'succeeded' }, { status: 'succeeded' }]);
    await s.waitFor(() => s.count('summary') === 1, 'summary');
    expect(s.messages.slice(1)).toEqual([
      { event: 'task', data: { runId: A, task: 'b', status: 'succeeded' } },
      { event: 'run', data: { runId: A, status: 'succeeded' } },
      {
        event: 'summary',
        data: {
          runs: [
            {
              ...summary(A, 'succeeded', 2),
              startedAt: '2026-01-01T00:00:00.000Z',
              finishedAt: '2026-01-01T00:01:00.000Z',
            },
          ],
          missing: [],
        },
      },
    ]);
    expect(s.reads.at(-1)).toEqual([A]);
    expect(s.hub.count(A)).toBe(0);
    expect(s.hub.count(B)).toBe(1);
    expect(s.isEnded()).toBe(false);

    state.set(B, summary(B, 'cancelled', 2));
    s.hub.emit(B, [{ status: 'cancelled' }]);
    await s.waitFor(() => s.isEnded(), 'the end');
    expect(s.messages.at(-1)).toEqual({ event: 'end', data: { runIds: [A, B] } });
    expect(s.hub.count(B)).toBe(0);
  });

  it('ends at once when every run has already ended', async () => {
    const s = open([A], new Map([[A, summary(A, 'failed', 2)]]));
    await s.waitFor(() => s.isEnded(), 'the end');
    expect(s.messages.map((m) => m.event)).toEqual(['snapshot', 'end']);
  });

  it('re-reads every run after a hub resync, and one run after a truncated notice', async () => {
    const state = new Map([
      [A, summary(A, 'running')],
      [B, summary(B, 'running')],
    ]);
    const s = open([A, B], state);
    await s.waitFor(() => s.count('snapshot') === 1, 'snapshot');
    state.set(A, summary(A, 'running', 1));
    s.hub.resync();
    await s.waitFor(() => s.count('snapshot') === 2, 'second snapshot');
    expect(s.reads).toEqual([
      [A, B],
      [A, B],
    ]);
    // Known task statuses were forgotten with the snapshot: the next one is news.
    s.hub.emit(B, [{ task: 'x', status: 'running' }], true);
    await s.waitFor(() => s.count('summary') === 1, 'summary');
    expect(s.reads.at(-1)).toEqual([B]);
    expect(s.messages.at(-1)).toMatchObject({ event: 'summary', data: { missing: [] } });
    s.close();
  });

  it('tells the client to reconnect when a read fails', async () => {
    const state = new Map<string, RunSummary>([['explode', summary(A, 'running')]]);
    const errors = console.error;
    console.error = () => {};
    try {
      const s = open([A], state);
      await s.waitFor(() => s.isEnded(), 'the end');
      expect(s.messages).toEqual([
        { event: 'error', data: { message: 'stream failed; reconnect' } },
      ]);
      expect(s.hub.count(A)).toBe(0);
    } finally {
      console.error = errors;
    }
  });
});
