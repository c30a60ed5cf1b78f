/**
 * Watches the cluster from the database while the suite runs (twice a second, on its own
 * connection, riding out the outages it causes): who holds the scheduler lease, and every sweep
 * of a lost worker (`workers.swept_at` is overwritten when a worker is lost again, so its history
 * exists only here). Then waits until the workload has played out.
 */
import type { Pool } from '@dtss/db';
import { sleep } from './cluster';

export interface LeaseChange {
  holderId: string;
  fencingToken: string;
  acquiredAt: Date;
  /** When the monitor first saw it. */
  seenAt: number;
}

export interface Sweep {
  workerId: string;
  workerName: string;
  sweptAt: Date;
}

export class Monitor {
  readonly leases: LeaseChange[] = [];
  readonly sweeps: Sweep[] = [];
  private readonly seenSweeps = new Set<string>();
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly pool: Pool) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.sample().catch(() => {});
        await sleep(500);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.sample().catch(() => {});
  }

  private async sample(): Promise<void> {
    const [lease, swept] = await Promise.all([
      this.pool.query<{ holder_id: string; fencing_token: string; acquired_at: Date }>(
        `SELECT holder_id, fencing_token::text, acquired_at FROM leases WHERE name = 'scheduler'`,
      ),
      this.pool.query<{ id: string; name: string; swept_at: Date }>(
        `SELECT id, name, swept_at FROM workers WHERE swept_at IS NOT NULL`,
      ),
    ]);
    const l = lease.rows[0];
    const last = this.leases[this.leases.length - 1];
    if (l && (!last || last.holderId !== l.holder_id || last.fencingToken !== l.fencing_token))
      this.leases.push({
        holderId: l.holder_id,
        fencingToken: l.fencing_token,
        acquiredAt: l.acquired_at,
        seenAt: Date.now(),
      });
    for (const s of swept.rows) {
      const key = `${s.id}@${s.swept_at.getTime()}`;
      if (this.seenSweeps.has(key)) continue;
      this.seenSweeps.add(key);
      this.sweeps.push({ workerId: s.id, workerName: s.name, sweptAt: s.swept_at });
    }
  }
}

export interface Progress {
  runs: number;
  activeRuns: number;
  activeTasks: number;
  /** Tick schedules whose last instant has not been fired yet. */
  schedulesBehind: number;
  /** Events whose fan-out has not been completed. */
  eventsPending: number;
}

export async function readProgress(pool: Pool, ticksTo: Date): Promise<Progress> {
  const { rows } = await pool.query<Progress>(
    `SELECT (SELECT count(*)::int FROM workflow_runs) AS runs,
            (SELECT count(*)::int FROM workflow_runs
              WHERE status IN ('queued', 'running')) AS "activeRuns",
            (SELECT count(*)::int FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
              WHERE r.status IN ('queued', 'running')
                AND t.status NOT IN ('succeeded', 'failed', 'timed_out', 'skipped', 'cancelled'))
              AS "activeTasks",
            (SELECT count(*)::int FROM schedules
              WHERE enabled AND (last_fire_at IS NULL OR last_fire_at < $1)) AS "schedulesBehind",
            (SELECT count(*)::int FROM events WHERE processed_at IS NULL) AS "eventsPending"`,
    [ticksTo],
  );
  return rows[0]!;
}

/**
 * Waits until nothing is left to do: every run ended, every schedule fired its last instant,
 * every event fanned out. Gives up after `stallMs` without progress or `maxMs` in all (then the
 * checks report what is stuck). Returns whether it settled.
 */
export async function waitUntilSettled(
  pool: Pool,
  ticksTo: Date,
  opts: { stallMs: number; maxMs: number; log: (line: string) => void },
): Promise<{ settled: boolean; waitedMs: number; last: Progress | null }> {
  const started = Date.now();
  let last: Progress | null = null;
  let lastChange = Date.now();
  let lastLog = 0;
  for (;;) {
    let p: Progress | null = null;
    try {
      p = await readProgress(pool, ticksTo);
    } catch {
      // The database may be recovering from the last fault.
    }
    if (p) {
      if (!last || JSON.stringify(p) !== JSON.stringify(last)) lastChange = Date.now();
      last = p;
      if (!p.activeRuns && !p.schedulesBehind && !p.eventsPending)
        return { settled: true, waitedMs: Date.now() - started, last };
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        opts.log(
          `waiting: ${p.activeRuns} runs active (${p.activeTasks} tasks), ` +
            `${p.schedulesBehind} schedules behind, ${p.eventsPending} events pending`,
        );
      }
    }
    const now = Date.now();
    if (now - lastChange > opts.stallMs || now - started > opts.maxMs)
      return { settled: false, waitedMs: now - started, last };
    await sleep(1_000);
  }
}
