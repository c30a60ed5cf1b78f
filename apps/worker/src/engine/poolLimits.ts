/**
 * Pool slot limits as this worker knows them, re-read every few seconds: a limit changed in the
 * database reaches every worker within one refresh.
 */
import { readPoolLimits, type Pool } from '@dtss/db';

export class PoolLimits {
  private limits = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly refreshMs: number,
    private readonly onError: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  slotsFor(poolName: string): number | null {
    return this.limits.get(poolName) ?? null;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      this.limits = await readPoolLimits(this.pool);
    } catch (err) {
      this.onError(`pool limits: ${(err as Error).message}`);
    }
  }
}
