/**
 * Cross-workflow triggers, driven by the leader: every run-level end heard on dtss_run_events
 * starts the runs of the triggers that follow that workflow; a periodic scan catches ends that
 * were not heard (leader change, dropped connection). Both paths are idempotent per (upstream run,
 * trigger), so hearing an end twice is harmless.
 */
import { findPendingAfterRunTriggers, fireAfterRunTriggers, type Pool } from '@dtss/db';
import { PassRunner } from './passRunner';

export class WorkflowTriggers {
  private readonly pending = new Set<string>();
  private readonly runner: PassRunner;
  private timer: NodeJS.Timeout | undefined;
  private scanDue = true;

  constructor(
    private readonly pool: Pool,
    private readonly opts: { scanIntervalMs: number; log: (line: string) => void },
  ) {
    this.runner = new PassRunner(
      () => this.pass(),
      (err) => opts.log(`workflow triggers: ${err.message}`),
    );
  }

  start(): void {
    this.scanDue = true;
    this.runner.start();
    this.timer = setInterval(() => {
      this.scanDue = true;
      this.runner.wake();
    }, this.opts.scanIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.runner.stop();
    this.pending.clear();
  }

  /** A run ended (heard on dtss_run_events). */
  runEnded(runId: string): void {
    this.pending.add(runId);
    this.runner.wake();
  }

  /** Every end may have been missed (reconnected): scan now. */
  rescan(): void {
    this.scanDue = true;
    this.runner.wake();
  }

  private async pass(): Promise<void> {
    const runIds = [...this.pending];
    this.pending.clear();
    for (const runId of runIds) await this.fire(runId);
    if (!this.scanDue) return;
    this.scanDue = false;
    const missed = await findPendingAfterRunTriggers(this.pool);
    const byRun = new Map<string, string[]>();
    for (const m of missed)
      byRun.set(m.upstreamRunId, [...(byRun.get(m.upstreamRunId) ?? []), m.triggerId]);
    for (const [runId, triggerIds] of byRun) await this.fire(runId, triggerIds);
  }

  private async fire(runId: string, triggerIds?: string[]): Promise<void> {
    try {
      const outcomes = await fireAfterRunTriggers(this.pool, runId, { triggerIds });
      for (const o of outcomes) {
        if (o.refused) this.opts.log(`trigger ${o.triggerId} after run ${runId}: ${o.refused}`);
        else if (o.created) this.opts.log(`run ${o.runId} started after run ${runId}`);
      }
    } catch (err) {
      // Left for the next scan, which finds the pair again.
      this.opts.log(`after run ${runId}: ${(err as Error).message}`);
    }
  }
}
