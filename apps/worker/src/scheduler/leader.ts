/**
 * Lease-based leader election over Postgres. The holder renews at a third of the TTL; a holder that
 * cannot renew in time considers itself deposed before the lease can expire for others, so two
 * leaders never act on the same fencing token. A follower retries when the lease expires, so a
 * dead leader is replaced at most one TTL after its last renewal.
 */
import {
  acquireLease,
  msUntilLeaseExpiry,
  releaseLease,
  renewLease,
  type Lease,
  type Pool,
} from '@dtss/db';

export interface LeaderOptions {
  name: string;
  holderId: string;
  ttlMs: number;
  onElected: (lease: Lease) => void;
  onDeposed: () => void;
  onError: (e: Error) => void;
}

export class LeaderElector {
  private lease: Lease | null = null;
  /** Local monotonic deadline of the lease, measured from before the request that won it. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly opts: LeaderOptions,
  ) {}

  get current(): Lease | null {
    return this.lease;
  }

  start(): void {
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { ttlMs } = this.opts;
    const sentAt = performance.now();
    let nextMs = ttlMs / 3;
    try {
      if (this.lease) {
        const renewed = await renewLease(this.pool, this.lease, ttlMs);
        if (!renewed) this.depose();
        else {
          this.lease = renewed;
          this.validUntil = sentAt + ttlMs;
        }
      } else {
        const got = await acquireLease(this.pool, this.opts.name, this.opts.holderId, ttlMs);
        if (got) {
          this.lease = got;
          this.validUntil = sentAt + ttlMs;
          this.opts.onElected(got);
        } else {
          // Try again the moment the holder's lease runs out, not up to TTL/3 later.
          const left = await msUntilLeaseExpiry(this.pool, this.opts.name);
          nextMs = Math.min(nextMs, left + 20);
        }
      }
    } catch (err) {
      this.opts.onError(err as Error);
      // Unable to reach the database: once our lease may have run out, stop acting as leader.
      if (this.lease && performance.now() >= this.validUntil) this.depose();
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), nextMs);
  }

  private depose(): void {
    this.lease = null;
    this.opts.onDeposed();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.lease) await releaseLease(this.pool, this.lease).catch(() => {});
    this.lease = null;
  }
}
