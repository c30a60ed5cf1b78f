/**
 * The schedule loop (leader only): fire what is due, then sleep exactly until the next schedule is
 * due (capped at maxSleepMs, in case a change was missed). Changes to schedules and the end of a
 * run a buffered fire waits for wake it early, through NOTIFY; it never polls every second.
 */
import {
  fillMissingNextFires,
  fireDueSchedules,
  nextScheduleDueAt,
  type LeaderFence,
  type Pool,
} from '@dtss/db';
import { PassRunner } from './passRunner';

export interface ScheduleLoopOptions {
  /** The scheduler's clock (a test can run the loop in its own time). */
  clock: () => Date;
  /** The current lease, or null when this process does not lead. */
  fence: () => LeaderFence | null;
  concurrency: number;
  maxSleepMs: number;
  log: (line: string) => void;
  /** Seconds from each instant (jitter included) to its run's creation, for the metrics. */
  onFired?: (delaysSeconds: number[]) => void;
}

export class ScheduleLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly runner: PassRunner;
  /** The last pass saw a buffered fire: a run ending may let it start. */
  private waitingBuffer = false;
  /** A new leader first gives a next instant to schedules that have none. */
  private needsFill = true;

  constructor(
    private readonly pool: Pool,
    private readonly opts: ScheduleLoopOptions,
  ) {
    this.runner = new PassRunner(
      () => this.pass(),
      (err) => {
        opts.log(`schedule loop: ${err.message}`);
        this.sleepUntil(new Date(opts.clock().getTime() + 1_000));
      },
    );
  }

  start(): void {
    this.needsFill = true;
    this.runner.start();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.runner.stop();
    clearTimeout(this.timer);
  }

  /** A schedule changed (or anything else that may make one due sooner). */
  wake(): void {
    this.runner.wake();
  }

  /** A run ended: only interesting when a buffered fire waits for it. */
  runEnded(): void {
    if (this.waitingBuffer) this.runner.wake();
  }

  private async pass(): Promise<void> {
    clearTimeout(this.timer);
    const fence = this.opts.fence();
    if (!fence) return;
    if (this.needsFill) {
      const filled = await fillMissingNextFires(this.pool, this.opts.clock());
      if (filled) this.opts.log(`gave ${filled} schedule(s) their next fire time`);
      this.needsFill = false;
    }
    const passNow = this.opts.clock();
    const result = await fireDueSchedules(this.pool, {
      now: passNow,
      fence,
      concurrency: this.opts.concurrency,
    });
    if (!result.leader) return;
    if (this.opts.onFired) {
      const firedAt = Date.now();
      const delays = result.schedules.flatMap((s) =>
        s.fired.filter((f) => f.created).map((f) => (firedAt - f.instant.getTime()) / 1000),
      );
      if (delays.length) this.opts.onFired(delays);
    }
    this.waitingBuffer = result.schedules.some((s) => s.buffered !== null);
    for (const s of result.schedules) {
      for (const r of s.refused) {
        this.opts.log(`schedule ${s.scheduleId}: ${r.instant.toISOString()} not run: ${r.message}`);
      }
    }
    for (const e of result.errors) this.opts.log(`schedule ${e.scheduleId}: ${e.error.message}`);
    // A schedule that failed is retried after a second, not in a tight loop; so is one that was
    // already due when the pass began but was not fired (changed under the pass). A schedule due
    // only after the pass's clock (a timer that fired a little early) is waited for exactly.
    const now = this.opts.clock().getTime();
    const next = await nextScheduleDueAt(this.pool);
    const dueButNotFired = next !== null && next.getTime() <= passNow.getTime();
    const floor = result.errors.length
      ? now + 1_000
      : result.schedules.length || !dueButNotFired
        ? now
        : now + 250;
    this.sleepUntil(new Date(Math.max(floor, next?.getTime() ?? now + this.opts.maxSleepMs)));
  }

  private sleepUntil(at: Date | null): void {
    clearTimeout(this.timer);
    if (!this.runner.active) return;
    const delay = at ? at.getTime() - this.opts.clock().getTime() : this.opts.maxSleepMs;
    this.timer = setTimeout(
      () => this.runner.wake(),
      Math.min(Math.max(delay, 0), this.opts.maxSleepMs),
    );
  }
}
