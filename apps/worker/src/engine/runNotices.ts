/**
 * Coalesces the task changes of this worker's claims and completions into one NOTIFY per run every
 * few milliseconds, sent after those transactions committed. A NOTIFY inside each claim and
 * completion serialised their commits on Postgres's notify lock and woke every listening session
 * once per statement; coalesced, a busy worker sends a handful per second instead of one per batch.
 * A change of a run's own status (its end) is still announced by the transaction that makes it, so
 * anyone waiting for a run's end hears it at once and reliably; task changes are live status, and
 * ones lost with a crashed worker are repaired by the run's next notice or a listener's re-read.
 */
import { announceRunChanges, type Pool, type RunChange, type RunNoticeSink } from '@dtss/db';

/** How long a change waits for company: invisible to a person watching, long for a busy worker. */
export const NOTICE_DELAY_MS = 20;

export class RunNoticeBuffer implements RunNoticeSink {
  private pending = new Map<string, RunChange[]>();
  private timer: NodeJS.Timeout | null = null;
  /** The flush in flight: flushes go out one after another so a run's changes stay in order. */
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly onError: (message: string) => void,
    private readonly delayMs = NOTICE_DELAY_MS,
  ) {}

  add(runId: string, changes: RunChange[]): void {
    if (changes.length === 0) return;
    const list = this.pending.get(runId);
    if (list) list.push(...changes);
    else this.pending.set(runId, [...changes]);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Sends what is pending now (also on shutdown); resolves once it has been sent. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return this.flushing;
    const notices = [...this.pending].map(([runId, changes]) => ({ runId, changes }));
    this.pending = new Map();
    this.flushing = this.flushing.then(() =>
      announceRunChanges(this.pool, notices).catch((err: unknown) => {
        // Live status only: the changes are committed, listeners re-read on the next notice.
        this.onError(`run notices not sent: ${(err as Error).message}`);
      }),
    );
    return this.flushing;
  }
}
