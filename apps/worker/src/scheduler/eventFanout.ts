/**
 * At-least-once event fan-out: publishers fan out their events themselves; the leader finishes
 * any whose fan-out did not complete (processedAt still null), on a timer.
 */
import { retryUnprocessedEvents, type Pool } from '@dtss/db';
import { PassRunner } from './passRunner';

export class EventFanoutRetry {
  private readonly runner: PassRunner;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly opts: { intervalMs: number; log: (line: string) => void },
  ) {
    this.runner = new PassRunner(
      () => this.pass(),
      (err) => opts.log(`event fan-out retry: ${err.message}`),
    );
  }

  start(): void {
    this.runner.start();
    this.timer = setInterval(() => this.runner.wake(), this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.runner.stop();
  }

  private async pass(): Promise<void> {
    const { events, runsCreated } = await retryUnprocessedEvents(this.pool);
    if (events) {
      this.opts.log(`finished the fan-out of ${events} event(s): ${runsCreated} run(s) created`);
    }
  }
}
