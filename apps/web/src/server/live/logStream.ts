// GET /api/stream/runs/:id/logs[?task=<key>[&attempt=<n>]][&follow=false][&format=compact] — a
// run's log lines:
// first the stored ones after Last-Event-ID, then live ones as workers store them (with
// follow=false the stream ends once the stored ones are sent). Events:
//   log  { task, attempt, seq, lines: [{ line, text, stream, time }] }  one stored chunk;
//        its id is the stream's cursor after it (see logCursor.ts), so a reconnect resumes exactly;
//        with format=compact the lines are { first, text, streams, times } (src/lib/logWire.ts)
//   end  { runId, status }  the run has ended (or follow=false) and every stored line was sent;
//        the stream closes
// Comment lines (": heartbeat") keep idle connections open.
import type { LogNotice } from '@dtss/db';
import { z } from 'zod';
import { problem } from './access';
import type { StreamDeps } from './deps';
import type { HubEvent } from './hub';
import {
  CursorError,
  decodeCursor,
  encodeCursor,
  type AttemptRef,
  type LogCursor,
} from './logCursor';
import {
  readRunAttempts,
  readRunTasks,
  readUnsentAttemptChunks,
  readUnsentRunChunks,
  type LogFilter,
  type RunTask,
  type StoredChunk,
} from './logQueries';
import { compactLines } from '@/lib/logWire';
import { sseResponse, type SseOptions, type SseSink } from './sse';
import { isTerminalRun } from './terminal';
import { webLog } from '../log';

const PAGE_CHUNKS = 50;

const querySchema = z
  .object({
    task: z.string().min(1).max(200).optional(),
    attempt: z.coerce.number().int().positive().max(1_000_000).optional(),
    follow: z.enum(['true', 'false']).default('true'),
    format: z.enum(['lines', 'compact']).default('lines'),
  })
  .refine((q) => q.attempt === undefined || q.task !== undefined, {
    message: '?attempt= needs ?task=',
  });

export async function logStreamResponse(
  request: Request,
  deps: StreamDeps,
  runId: string,
  opts: SseOptions = {},
): Promise<Response> {
  const url = new URL(request.url);
  const query = querySchema.safeParse({
    task: url.searchParams.get('task') ?? undefined,
    attempt: url.searchParams.get('attempt') ?? undefined,
    follow: url.searchParams.get('follow') ?? undefined,
    format: url.searchParams.get('format') ?? undefined,
  });
  if (!query.success) {
    return problem(400, query.error.issues.map((i) => i.message).join('; '));
  }
  const tasks = await readRunTasks(deps.pool, runId);
  const filter: LogFilter = {};
  if (query.data.task !== undefined) {
    const task = tasks.find((t) => t.key === query.data.task);
    if (!task) return problem(404, `run ${runId} has no task "${query.data.task}"`);
    filter.taskRunId = task.taskRunId;
    filter.attemptNumber = query.data.attempt;
  }
  const attempts = await readRunAttempts(deps.pool, runId, tasks);
  let cursor: LogCursor;
  try {
    cursor = decodeCursor(request.headers.get('last-event-id'), attempts);
  } catch (error) {
    if (error instanceof CursorError) return problem(400, error.message);
    throw error;
  }
  return sseResponse(
    request,
    async (sink) => {
      const follower = new LogFollower(deps, runId, tasks, attempts, sink, {
        cursor,
        filter,
        follow: query.data.follow === 'true',
        compact: query.data.format === 'compact',
      });
      const unsubscribe = await deps.hub.subscribe(runId, (event) => follower.push(event));
      follower.start();
      return unsubscribe;
    },
    opts,
  );
}

/** Sends one stream's chunks in order; one database read at a time. */
class LogFollower {
  private readonly attempts = new Map<string, AttemptRef>();
  private started = false;
  private busy = false;
  private dirtyAll = false;
  private readonly dirtyAttempts = new Set<string>();
  private checkStatus = false;
  private ending = false;
  private readonly cursor: LogCursor;
  private readonly filter: LogFilter;
  /** false: end after the stored chunks instead of waiting for the run to end. */
  private readonly follow: boolean;
  /** Lines in the compact form (src/lib/logWire.ts). */
  private readonly compact: boolean;

  constructor(
    private readonly deps: StreamDeps,
    private readonly runId: string,
    private readonly tasks: RunTask[],
    attempts: AttemptRef[],
    private readonly sink: SseSink,
    options: { cursor: LogCursor; filter: LogFilter; follow: boolean; compact: boolean },
  ) {
    for (const a of attempts) this.attempts.set(a.attemptId, a);
    this.cursor = options.cursor;
    this.filter = options.filter;
    this.follow = options.follow;
    this.compact = options.compact;
  }

  push(event: HubEvent): void {
    if (event.channel === 'resync') {
      this.dirtyAll = true;
      this.checkStatus = true;
    } else if (event.channel === 'dtss_logs') {
      if (!this.matchesTask(event.notice)) return;
      this.dirtyAttempts.add(event.notice.attemptId);
    } else if (event.notice.truncated || event.notice.changes.some((c) => !c.task)) {
      this.checkStatus = true;
    } else {
      return;
    }
    if (this.started) this.drain();
  }

  start(): void {
    this.started = true;
    // The run's status is read before the first scan: if it has already ended, that scan sees
    // every chunk its workers stored before ending it.
    this.checkStatus = true;
    this.dirtyAll = true;
    if (!this.follow) this.ending = true;
    this.drain();
  }

  private matchesTask(notice: LogNotice): boolean {
    return this.filter.taskRunId === undefined || notice.taskRunId === this.filter.taskRunId;
  }

  private drain(): void {
    if (this.busy || this.sink.closed) return;
    this.busy = true;
    this.work()
      .catch((error: unknown) => {
        webLog().error({ err: error, runId: this.runId }, `[live] log stream ${this.runId} failed`);
        this.sink.send({ event: 'error', data: { message: 'stream failed; reconnect' } });
        this.sink.close();
      })
      .finally(() => {
        this.busy = false;
        if (this.hasWork() && !this.sink.closed) this.drain();
      });
  }

  private hasWork(): boolean {
    return this.checkStatus || this.dirtyAll || this.dirtyAttempts.size > 0;
  }

  private async work(): Promise<void> {
    while (this.hasWork() && !this.sink.closed) {
      if (this.checkStatus) {
        this.checkStatus = false;
        if (!this.ending && (await this.runHasEnded())) {
          this.ending = true;
          this.dirtyAll = true;
        }
      }
      if (this.dirtyAll) {
        this.dirtyAll = false;
        this.dirtyAttempts.clear();
        await this.pump((limit) =>
          readUnsentRunChunks(this.deps.pool, this.runId, this.cursor, this.filter, limit),
        );
        continue;
      }
      for (const attemptId of [...this.dirtyAttempts]) {
        this.dirtyAttempts.delete(attemptId);
        const ref = await this.attempt(attemptId);
        if (
          this.filter.attemptNumber !== undefined &&
          ref.attemptNumber !== this.filter.attemptNumber
        ) {
          continue;
        }
        await this.pump((limit) =>
          readUnsentAttemptChunks(
            this.deps.pool,
            attemptId,
            this.cursor.get(attemptId) ?? -1,
            limit,
          ),
        );
      }
    }
    if (this.ending && !this.sink.closed) {
      const status = await this.runStatus();
      this.sink.send({
        event: 'end',
        data: { runId: this.runId, status },
        id: encodeCursor(this.cursor, this.attempts),
      });
      this.sink.close();
    }
  }

  /** Reads pages until nothing unsent is left, sending each chunk as it comes. */
  private async pump(read: (limit: number) => Promise<StoredChunk[]>): Promise<void> {
    for (;;) {
      const chunks = await read(PAGE_CHUNKS);
      for (const chunk of chunks) {
        if (this.sink.closed) return;
        const ref = await this.attempt(chunk.attemptId);
        // A page read concurrently with another can repeat a chunk; the cursor decides.
        if (chunk.seq <= (this.cursor.get(chunk.attemptId) ?? -1)) continue;
        this.cursor.set(chunk.attemptId, chunk.seq);
        this.sink.send({
          event: 'log',
          id: encodeCursor(this.cursor, this.attempts),
          data: {
            task: ref.taskKey,
            attempt: ref.attemptNumber,
            seq: chunk.seq,
            ...(this.compact ? compactLines(chunk.lines) : { lines: chunk.lines }),
          },
        });
      }
      if (chunks.length < PAGE_CHUNKS) return;
    }
  }

  /** The attempt's names; attempts that started after the stream opened are read on demand. */
  private async attempt(attemptId: string): Promise<AttemptRef> {
    let ref = this.attempts.get(attemptId);
    if (ref) return ref;
    for (const a of await readRunAttempts(this.deps.pool, this.runId, this.tasks)) {
      this.attempts.set(a.attemptId, a);
    }
    ref = this.attempts.get(attemptId);
    if (!ref) throw new Error(`attempt ${attemptId} is not part of run ${this.runId}`);
    return ref;
  }

  private async runStatus(): Promise<string | null> {
    const { rows } = await this.deps.pool.query<{ status: string }>(
      'SELECT status FROM workflow_runs WHERE id = $1',
      [this.runId],
    );
    return rows[0]?.status ?? null;
  }

  private async runHasEnded(): Promise<boolean> {
    const status = await this.runStatus();
    return status === null || isTerminalRun(status);
  }
}
