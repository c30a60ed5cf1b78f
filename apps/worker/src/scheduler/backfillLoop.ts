/**
 * Backfills, driven by the leader: a pass creates runs while each backfill has fewer than
 * maxConcurrency active, and ends the finished ones. Woken by new backfills (NOTIFY), by the end of
 * any run while backfills are running, and by a periodic safety pass.
 */
import { advanceBackfills, type LeaderFence, type Pool } from '@dtss/db';
import { PassRunner } from './passRunner';

export class BackfillLoop {
  private readonly runner: PassRunner;
  private timer: NodeJS.Timeout | undefined;
  /** The last pass found running backfills: run ends matter. */
  private running = true;

  constructor(
    private readonly pool: Pool,
    private readonly opts: {
      fence: () => LeaderFence | null;
      intervalMs: number;
      log: (line: string) => void;
    },
  ) {
    this.runner = new PassRunner(
      () => this.pass(),
      (err) => opts.log(`backfills: ${err.message}`),
    );
  }

  start(): void {
    this.running = true;
    this.runner.start();
    this.timer = setInterval(() => this.runner.wake(), this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.runner.stop();
  }

  wake(): void {
    this.running = true;
    this.runner.wake();
  }

  runEnded(): void {
    if (this.running) this.runner.wake();
  }

  private async pass(): Promise<void> {
    const fence = this.opts.fence();
    if (!fence) return;
    const progress = await advanceBackfills(this.pool, { fence });
    this.running = progress.some((p) => !p.finished);
    for (const p of progress) {
      if (p.created) this.opts.log(`backfill ${p.backfillId}: ${p.created} run(s) created`);
      if (p.finished) this.opts.log(`backfill ${p.backfillId} ${p.finished}`);
    }
  }
}
