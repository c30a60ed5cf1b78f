// GET /api/stream/runs?ids=<id>,<id>… — the status of many runs at once (the runs list's rows on
// screen), through ONE stream. Events:
//   snapshot  { runs: RunSummary[], missing: runId[] }  every followed run: first, and again after
//             the hub reconnected (notices sent meanwhile are lost)
//   run       { runId, status }                         a run's status changed
//   task      { runId, task, status }                   a task's status changed
//   summary   { runs: RunSummary[], missing: runId[] }  runs read again: once a run has ended
//             (final counts and timings), or after a `truncated` notice
//   end       { runIds }                                every followed run has ended; the stream closes
//   error     { message }
// A run stops being followed once it has ended (its last summary was sent) or is gone (`missing`).
// Like the single-run stream, status is state: a reconnecting client gets a fresh snapshot, so ids
// are only a per-connection counter.
import type { Pool, RunEventsNotice, TeamRole } from '@dtss/db';
import type { StreamDeps } from './deps';
import type { HubEvent, LiveHub } from './hub';
import { sseResponse, type SseOptions, type SseSink } from './sse';
import { isTerminalRun } from './terminal';
import { webLog } from '../log';

/** Runs one stream may follow. */
export const MAX_STREAM_RUNS = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the list shows of a run besides its status event: counts and timings. */
export interface RunSummary {
  runId: string;
  status: string;
  tasksTotal: number;
  tasksDone: number;
  tasksFailed: number;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type ParsedRunIds = { ok: true; runIds: string[] } | { ok: false; message: string };

/** `?ids=` as run ids: comma-separated uuids, duplicates dropped, at most MAX_STREAM_RUNS. */
export function parseRunIds(raw: string | null): ParsedRunIds {
  const parts = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) {
    return { ok: false, message: '?ids= is required: run ids separated by commas' };
  }
  const runIds = [...new Set(parts.map((p) => p.toLowerCase()))];
  if (runIds.length > MAX_STREAM_RUNS) {
    return {
      ok: false,
      message: `at most ${MAX_STREAM_RUNS} runs per stream (got ${runIds.length})`,
    };
  }
  const bad = parts.find((p) => !UUID.test(p));
  if (bad !== undefined) {
    const shown = bad.length > 40 ? `${bad.slice(0, 40)}…` : bad;
    return { ok: false, message: `not a run id: ${JSON.stringify(shown)}` };
  }
  return { ok: true, runIds };
}

export type RunsAccess =
  { ok: true; teamIds: string[] } | { ok: false; status: 404; message: string };

/**
 * The caller may watch every run (a member or token of each run's team: `roleOf` says the
 * caller's role in a team). The first run that does not exist or belongs to a team the caller is
 * not in answers 404 with its id — the same answer either way, so ids cannot be probed.
 */
export async function authorizeRuns(
  db: Pick<Pool, 'query'>,
  runIds: readonly string[],
  roleOf: (teamId: string) => Promise<TeamRole | null>,
): Promise<RunsAccess> {
  const { rows } = await db.query<{ id: string; team_id: string }>(
    'SELECT id, team_id FROM workflow_runs WHERE id = ANY ($1::uuid[])',
    [runIds],
  );
  const teamOf = new Map(rows.map((r) => [r.id, r.team_id]));
  const roles = new Map<string, Promise<TeamRole | null>>();
  for (const runId of runIds) {
    const teamId = teamOf.get(runId);
    if (teamId && !roles.has(teamId)) roles.set(teamId, roleOf(teamId));
    if (!teamId || (await roles.get(teamId)!) === null) {
      return { ok: false, status: 404, message: `no run ${runId}` };
    }
  }
  return { ok: true, teamIds: [...roles.keys()] };
}

/** The runs' summaries; runs that do not exist are left out. */
export async function readRunSummaries(
  db: Pick<Pool, 'query'>,
  runIds: readonly string[],
): Promise<RunSummary[]> {
  const { rows } = await db.query<RunSummary>(
    `SELECT id AS "runId", status, tasks_total AS "tasksTotal", tasks_done AS "tasksDone",
            tasks_failed AS "tasksFailed", started_at AS "startedAt", finished_at AS "finishedAt"
       FROM workflow_runs WHERE id = ANY ($1::uuid[])`,
    [runIds],
  );
  return rows;
}

export interface RunsStreamDeps {
  hub: Pick<LiveHub, 'subscribe'>;
  readSummaries: (runIds: readonly string[]) => Promise<RunSummary[]>;
}

export function runsStreamDeps(deps: StreamDeps): RunsStreamDeps {
  return { hub: deps.hub, readSummaries: (ids) => readRunSummaries(deps.pool, ids) };
}

export function runsStreamResponse(
  request: Request,
  deps: RunsStreamDeps,
  runIds: readonly string[],
  opts: SseOptions = {},
): Response {
  return sseResponse(
    request,
    async (sink) => {
      const follower = new RunsFollower(deps, runIds, sink);
      // Every subscription is listening before the snapshot is read, so no change falls between.
      const subscribed = await Promise.allSettled(
        runIds.map((id) => deps.hub.subscribe(id, (event) => follower.push(event))),
      );
      const unsubscribes = subscribed.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const stopAll = () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        unsubscribes.length = 0;
      };
      const failed = subscribed.find((s) => s.status === 'rejected');
      if (failed) {
        stopAll();
        throw failed.reason;
      }
      runIds.forEach((id, i) => follower.onStop(id, unsubscribes[i]!));
      follower.start();
      return stopAll;
    },
    opts,
  );
}

/** A run's status only moves forward: queued → running → an end. */
function runRank(status: string): number {
  if (status === 'queued') return 0;
  if (status === 'running') return 1;
  return 2;
}

/** Sends the runs' events in order; reads the database at most once at a time. */
class RunsFollower {
  private queue: HubEvent[] = [];
  private started = false;
  private busy = false;
  private scheduled = false;
  private eventId = 0;
  /** Runs still followed, with the status of the run ('') and of each task as last sent. */
  private readonly known = new Map<string, Map<string, string>>();
  private readonly stops = new Map<string, () => void>();
  private readonly runIds: readonly string[];

  constructor(
    private readonly deps: RunsStreamDeps,
    runIds: readonly string[],
    private readonly sink: SseSink,
  ) {
    this.runIds = runIds;
    for (const id of runIds) this.known.set(id, new Map());
  }

  /** How to stop listening for one run once it is no longer followed. */
  onStop(runId: string, stop: () => void): void {
    this.stops.set(runId, stop);
  }

  push(event: HubEvent): void {
    // Notices that arrive before the first read began are already in its snapshot.
    if (!this.started) return;
    // The hub tells each subscription of a resync: one per run of this stream, all in one go.
    if (event.channel === 'resync' && this.queue.some((e) => e.channel === 'resync')) return;
    this.queue.push(event);
    // Drained a moment later, so a burst of notices delivered together is handled as one batch.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.drain();
      });
    }
  }

  start(): void {
    this.started = true;
    this.queue.unshift({ channel: 'resync' });
    this.drain();
  }

  private drain(): void {
    if (this.busy || this.sink.closed) return;
    this.busy = true;
    this.work()
      .catch((error: unknown) => {
        webLog().error({ err: error }, '[live] runs stream failed');
        this.send('error', { message: 'stream failed; reconnect' });
        this.sink.close();
      })
      .finally(() => {
        this.busy = false;
        if (this.queue.length > 0 && !this.sink.closed) this.drain();
      });
  }

  private async work(): Promise<void> {
    while (this.queue.length > 0 && !this.sink.closed) {
      const batch = this.queue.splice(0);
      // One read covers any number of resyncs in the batch (and everything else in it).
      if (batch.some((e) => e.channel === 'resync')) {
        await this.reread([...this.known.keys()], 'snapshot');
        continue;
      }
      const reread = new Set<string>();
      for (const event of batch) {
        if (!isRunNotice(event)) continue;
        const { runId, changes, truncated } = event.notice;
        const known = this.known.get(runId);
        if (!known || reread.has(runId)) continue;
        // Some changes were left out of the notice: the run is read again instead.
        if (truncated) {
          reread.add(runId);
          continue;
        }
        for (const change of changes) {
          const key = change.task ?? '';
          const before = known.get(key);
          if (before === change.status) continue;
          if (!change.task) {
            // A stale notice (committed before the last read) would take the run backwards.
            if (before && runRank(change.status) < runRank(before)) continue;
            known.set('', change.status);
            this.send('run', { runId, status: change.status });
            // The run ended: its final counts and timings are read once more.
            if (isTerminalRun(change.status)) reread.add(runId);
          } else {
            known.set(key, change.status);
            this.send('task', { runId, task: change.task, status: change.status });
          }
        }
      }
      if (reread.size > 0) await this.reread([...reread], 'summary');
    }
  }

  /** Reads runs again and sends them; ended or vanished runs stop being followed. */
  private async reread(runIds: string[], event: 'snapshot' | 'summary'): Promise<void> {
    if (runIds.length === 0) return;
    const runs = await this.deps.readSummaries(runIds);
    if (this.sink.closed) return;
    const found = new Set(runs.map((r) => r.runId));
    const missing = runIds.filter((id) => !found.has(id));
    for (const run of runs) {
      // The tasks' statuses are not part of a summary: whatever comes next is news.
      this.known.set(run.runId, new Map([['', run.status]]));
    }
    this.send(event, { runs, missing });
    for (const id of missing) this.unfollow(id);
    for (const run of runs) if (isTerminalRun(run.status)) this.unfollow(run.runId);
    if (this.known.size === 0) {
      this.send('end', { runIds: this.runIds });
      this.queue = [];
      this.sink.close();
    }
  }

  private unfollow(runId: string): void {
    this.known.delete(runId);
    const stop = this.stops.get(runId);
    this.stops.delete(runId);
    stop?.();
  }

  private send(event: string, data: unknown): void {
    this.sink.send({ event, data, id: String(++this.eventId) });
  }
}

function isRunNotice(
  event: HubEvent,
): event is { channel: 'dtss_run_events'; notice: RunEventsNotice } {
  return event.channel === 'dtss_run_events';
}
