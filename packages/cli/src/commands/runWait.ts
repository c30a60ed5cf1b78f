// `dtss run --wait`: follows a run as it happens. Status changes arrive on LISTEN dtss_run_events;
// the run is re-read (getRun) for each batch of notices, for the details they do not carry (exit
// code, attempt, when), and reconciled in full when a notice was truncated and every 2 s as a
// safety net, so a change whose notice was missed (or never sent) is still printed.
import {
  getRun,
  RUN_EVENTS_CHANNEL,
  type Pool,
  type PoolClient,
  type RunEventsNotice,
  type RunView,
  type TaskAttemptView,
  type TaskRunView,
} from '@dtss/db';
import { failureReason, lastFinishedAttempt } from '../format/runView';
import { formatClock } from '../format/time';

const TERMINAL_RUN = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);
const TERMINAL_TASK = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'timed_out']);
const RECONCILE_EVERY_MS = 2_000;

type WatchEvent =
  { kind: 'notice'; notice: RunEventsNotice } | { kind: 'tick' } | { kind: 'interrupt' };

export interface FollowOptions {
  json: boolean;
  /** Read the whole run first (for a run that existed before we listened). */
  reconcileFirst: boolean;
  write?: (text: string) => void;
  reconcileEveryMs?: number;
}

export interface FollowResult {
  /** The run as last read; its final state unless `interrupted`. */
  view: RunView | null;
  interrupted: boolean;
}

/**
 * A connection listening on dtss_run_events. Open it before creating the run, so the notices of
 * the run's first changes are not missed; they wait in the queue until `follow` reads them.
 */
export class RunListener {
  private queue: WatchEvent[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private client: PoolClient | null,
  ) {}

  static async open(pool: Pool): Promise<RunListener> {
    const client = await pool.connect();
    const listener = new RunListener(pool, client);
    client.on('notification', (message) => {
      if (message.channel !== RUN_EVENTS_CHANNEL || !message.payload) return;
      try {
        listener.push({ kind: 'notice', notice: JSON.parse(message.payload) as RunEventsNotice });
      } catch {
        // Not ours to judge: the periodic re-read covers whatever this notice meant.
      }
    });
    // Losing the connection degrades to re-reading every few seconds; it must not crash the CLI.
    client.on('error', () => listener.dropClient());
    await client.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    return listener;
  }

  /** Stops `follow` (Ctrl-C); the run itself goes on. */
  interrupt(): void {
    this.push({ kind: 'interrupt' });
  }

  async follow(runId: string, options: FollowOptions): Promise<FollowResult> {
    const printer = new ChangePrinter(runId, options.json, options.write ?? defaultWrite);
    const timer = setInterval(
      () => this.push({ kind: 'tick' }),
      options.reconcileEveryMs ?? RECONCILE_EVERY_MS,
    );
    if (options.reconcileFirst) this.push({ kind: 'tick' });
    let view: RunView | null = null;
    try {
      for (;;) {
        const batch = await this.take();
        if (batch.some((e) => e.kind === 'interrupt')) return { view, interrupted: true };
        const notices = batch.flatMap((e) =>
          e.kind === 'notice' && e.notice.runId === runId ? [e.notice] : [],
        );
        const reconcile =
          batch.some((e) => e.kind === 'tick') || notices.some((n) => n.truncated === true);
        if (notices.length === 0 && !reconcile) continue;
        view = await getRun(this.pool, runId);
        if (!view) throw new Error(`run ${runId} no longer exists`);
        for (const notice of notices) {
          for (const change of notice.changes) {
            if (change.task) printer.task(change.task, change.status, view);
            else printer.run(change.status, view);
          }
        }
        if (reconcile || TERMINAL_RUN.has(view.status)) printer.reconcile(view);
        if (TERMINAL_RUN.has(view.status)) return { view, interrupted: false };
      }
    } finally {
      clearInterval(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.query(`UNLISTEN ${RUN_EVENTS_CHANNEL}`).catch(() => undefined);
    client.release();
  }

  private dropClient(): void {
    const client = this.client;
    this.client = null;
    client?.release(true);
  }

  private push(event: WatchEvent): void {
    this.queue.push(event);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Every event that has arrived, waiting for at least one. */
  private async take(): Promise<WatchEvent[]> {
    while (this.queue.length === 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.queue.splice(0);
  }
}

function defaultWrite(text: string): void {
  process.stdout.write(text);
}

/**
 * Prints each task's changes once, in order: `12:00:01.234  extract  running`. Times come from the
 * run as stored (when the task was queued, when the attempt started or ended). An attempt that
 * ended before anyone saw it running still gets its `running` line first.
 */
class ChangePrinter {
  private readonly printed = new Map<string, string>();
  /** Last attempt number printed as running, per task. */
  private readonly attempts = new Map<string, number>();
  private runStatus: string | null = null;
  private width = 0;

  constructor(
    private readonly runId: string,
    private readonly json: boolean,
    private readonly write: (text: string) => void,
  ) {}

  task(key: string, status: string, view: RunView): void {
    const previous = this.printed.get(key) ?? 'pending';
    if (previous === status || TERMINAL_TASK.has(previous)) return;
    this.width = Math.max(this.width, ...view.tasks.map((t) => t.key.length));
    const task = view.tasks.find((t) => t.key === key);
    const attempt = !task
      ? undefined
      : status === 'running'
        ? task.attemptHistory.at(-1)
        : status === 'queued' || status === 'pending'
          ? undefined
          : lastFinishedAttempt(task);
    if (task && attempt && status !== 'running' && (this.attempts.get(key) ?? 0) < attempt.number) {
      this.emit(key, 'running', new Date(attempt.startedAt), task, attempt);
    }
    if (attempt) this.attempts.set(key, attempt.number);
    this.emit(key, status, timeOf(status, task, attempt), task, attempt);
    this.printed.set(key, status);
  }

  run(status: string, view: RunView): void {
    if (this.runStatus === status) return;
    this.runStatus = status;
    if (!this.json) return; // the text form ends with a summary instead
    const at = TERMINAL_RUN.has(status)
      ? view.finishedAt
      : status === 'running'
        ? view.startedAt
        : view.createdAt;
    this.line({ at: new Date(at ?? Date.now()).toISOString(), runId: this.runId, status });
  }

  /** Prints whatever the stored run shows that was not printed yet. */
  reconcile(view: RunView): void {
    for (const t of view.tasks) if (t.status !== 'pending') this.task(t.key, t.status, view);
    this.run(view.status, view);
  }

  private emit(
    key: string,
    status: string,
    at: Date,
    task: TaskRunView | undefined,
    attempt: TaskAttemptView | undefined,
  ): void {
    const reason =
      task && status !== 'running' && status !== 'succeeded' ? failureReason(task, attempt) : null;
    if (this.json) {
      this.line({
        at: at.toISOString(),
        runId: this.runId,
        task: key,
        status,
        ...(attempt ? { attempt: attempt.number } : {}),
        ...(status !== 'running' && attempt?.exitCode !== null && attempt?.exitCode !== undefined
          ? { exitCode: attempt.exitCode }
          : {}),
        ...(reason ? { reason } : {}),
      });
      return;
    }
    const detail = describe(status, task, attempt, reason);
    this.write(`${formatClock(at)}  ${key.padEnd(this.width)}  ${status}${detail}\n`);
  }

  private line(value: Record<string, unknown>): void {
    this.write(`${JSON.stringify(value)}\n`);
  }
}

/** When a change happened, as far as the stored run tells; now when it does not. */
function timeOf(
  status: string,
  task: TaskRunView | undefined,
  attempt: TaskAttemptView | undefined,
): Date {
  const at =
    status === 'queued'
      ? task?.queuedAt
      : status === 'running'
        ? (attempt?.startedAt ?? task?.startedAt)
        : status === 'retry_wait'
          ? attempt?.finishedAt
          : (task?.finishedAt ?? attempt?.finishedAt);
  return at ? new Date(at) : new Date();
}

function describe(
  status: string,
  task: TaskRunView | undefined,
  attempt: TaskAttemptView | undefined,
  reason: string | null,
): string {
  const of = attempt && task ? `attempt ${attempt.number}/${task.maxAttempts}` : null;
  if (status === 'retry_wait') {
    const next = task?.nextAttemptAt
      ? `; next at ${formatClock(new Date(task.nextAttemptAt))}`
      : '';
    return ` (${[of, reason].filter(Boolean).join(': ')}${next})`;
  }
  if ((status === 'running' || status === 'succeeded') && attempt && attempt.number > 1) {
    return ` (${of})`;
  }
  return reason ? ` (${reason})` : '';
}
