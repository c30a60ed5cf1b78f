/**
 * The fault injectors and their seeded random schedule. Each injection is recorded with its time
 * (wall clock, the same clock as the database's on this machine), its target and the attempts
 * running where it struck, so the report can tell how long the system took to recover.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { Pool } from '@dtss/db';
import { sleep, type Cluster } from './cluster';
import type { Netns } from './netns';
import type { Random } from './random';

export const FAULT_KINDS = [
  'worker_kill',
  'leader_kill',
  'worker_stop',
  'partition',
  'pg_restart',
  'pg_terminate',
  'cpu_load',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  /** Milliseconds after the workload's start (the earliest moment; faults never overlap, except
   * the CPU load, which runs in the background). */
  at: number;
  kind: FaultKind;
  /** How long it lasts (stop, partition, database down, CPU load), ms. */
  holdMs: number;
  /** Which worker (worker faults), drawn from the workers that run at that moment. */
  pick: number;
}

/** An attempt running where a fault struck. */
export interface AffectedAttempt {
  taskRunId: string;
  attemptId: string;
  attemptNumber: number;
  workerName: string | null;
}

export interface FaultRecord {
  kind: FaultKind;
  /** Epoch ms when it struck, and when it was lifted (signal sent, link up, server started). */
  at: number;
  endedAt: number;
  target: string | null;
  detail: string;
  affected: AffectedAttempt[];
  /** leader_kill: the lease holder that was killed. */
  leader?: { holderId: string; fencingToken: string };
  /** Set when the injector could not do it (nothing to hit, a command failed). */
  skipped?: string;
}

export interface FaultScheduleOptions {
  durationMs: number;
  /** No fault starts before this or after durationMs - tailMs. */
  firstAtMs: number;
  tailMs: number;
  /** How many of each kind (at least one each, in random order first, then the rest shuffled). */
  counts: Record<FaultKind, number>;
  gapMs: [number, number];
  lostAfterMs: number;
  cpuLoadMs: number;
}

/**
 * The schedule: one of each kind first (in random order), then the others shuffled, separated by
 * random gaps. SIGSTOP always outlasts the lost-worker timeout; a partition does half the time.
 */
export function planFaults(o: FaultScheduleOptions, random: Random): PlannedFault[] {
  const kinds = FAULT_KINDS.filter((k) => o.counts[k] > 0);
  const rest = kinds.flatMap((k) => Array.from({ length: o.counts[k] - 1 }, () => k));
  const order = [...random.shuffle(kinds), ...random.shuffle(rest)];
  const hold = (kind: FaultKind): number => {
    switch (kind) {
      case 'worker_stop':
        return o.lostAfterMs + random.int(3_000, 8_000);
      case 'partition':
        return random.next() < 0.5
          ? random.int(2_000, 5_000)
          : o.lostAfterMs + random.int(3_000, 8_000);
      case 'pg_restart':
        return random.int(2_000, 6_000);
      case 'cpu_load':
        return o.cpuLoadMs;
      default:
        return 0;
    }
  };
  const planned: PlannedFault[] = [];
  let t = o.firstAtMs;
  for (const [i, kind] of order.entries()) {
    const holdMs = hold(kind);
    // The CPU load runs in the background: the next fault does not wait for it.
    const blocking = kind === 'cpu_load' ? 0 : holdMs;
    // One of each kind always; the repeats only while they fit before the tail.
    if (i >= kinds.length && t + blocking > o.durationMs - o.tailMs) break;
    planned.push({ at: t, kind, holdMs, pick: random.int(0, 1_000_000) });
    t += blocking + random.int(o.gapMs[0], o.gapMs[1]);
  }
  return planned;
}

/** What the injectors need from the rest of the suite. */
export interface FaultContext {
  cluster: Cluster;
  netns: Netns | null;
  pool: Pool;
  log: (line: string) => void;
}

/** Children of the suite that must not outlive it: the CPU burners. */
const burners = new Set<ChildProcess>();
/** A SIGSTOPped worker or a cut link to undo if the suite is interrupted. */
let pendingUndo: (() => Promise<void>) | null = null;

export async function undoFaults(): Promise<void> {
  for (const b of burners) killGroup(b);
  burners.clear();
  const undo = pendingUndo;
  pendingUndo = null;
  await undo?.().catch(() => {});
}

export async function runFaults(
  ctx: FaultContext,
  planned: PlannedFault[],
  startedAt: number,
): Promise<FaultRecord[]> {
  const records: FaultRecord[] = [];
  for (const f of planned) {
    const wait = startedAt + f.at - Date.now();
    if (wait > 0) await sleep(wait);
    let record: FaultRecord;
    try {
      record = await inject(ctx, f);
    } catch (err) {
      record = {
        kind: f.kind,
        at: Date.now(),
        endedAt: Date.now(),
        target: null,
        detail: '',
        affected: [],
        skipped: `failed: ${(err as Error).message}`,
      };
    }
    records.push(record);
    ctx.log(
      `fault ${records.length}/${planned.length} ${record.kind}` +
        `${record.target ? ` ${record.target}` : ''}: ${record.skipped ?? record.detail}` +
        `${record.affected.length ? ` (${record.affected.length} attempts running there)` : ''}`,
    );
  }
  return records;
}

async function inject(ctx: FaultContext, f: PlannedFault): Promise<FaultRecord> {
  const { cluster, pool } = ctx;
  const base = { kind: f.kind, target: null, affected: [], detail: '' };
  switch (f.kind) {
    case 'worker_kill':
    case 'worker_stop': {
      const running = cluster.workers.filter((w) => cluster.pid(w.name) !== undefined);
      if (!running.length) return skipped(f, 'no worker running');
      // A worker with attempts running, when there is one: hitting an idle one tests little.
      const everywhere = await runningOn(pool, null, null);
      const busy = running.filter((w) => everywhere.some((a) => a.workerName === w.name));
      const candidates = busy.length ? busy : running;
      const w = candidates[f.pick % candidates.length]!;
      const pid = cluster.pid(w.name)!;
      const affected = await runningOn(pool, w.name, pid);
      if (f.kind === 'worker_kill') {
        const at = Date.now();
        process.kill(pid, 'SIGKILL');
        return { ...base, at, endedAt: at, target: w.name, affected, detail: `SIGKILL pid ${pid}` };
      }
      const at = Date.now();
      process.kill(pid, 'SIGSTOP');
      pendingUndo = async () => void process.kill(pid, 'SIGCONT');
      await sleep(f.holdMs);
      pendingUndo = null;
      process.kill(pid, 'SIGCONT');
      return {
        ...base,
        at,
        endedAt: Date.now(),
        target: w.name,
        affected,
        detail: `SIGSTOP pid ${pid} for ${(f.holdMs / 1000).toFixed(1)} s, then SIGCONT`,
      };
    }
    case 'leader_kill': {
      // Right after a previous kill the lease may be vacant, or still held by the dead leader, for
      // up to its TTL: wait for one of our running schedulers to hold it.
      let lease: { holder_id: string; fencing_token: string } | undefined;
      let pid = 0;
      let name: string | undefined;
      for (let waited = 0; !name && waited <= 30_000; waited += 500) {
        const { rows } = await pool.query<{ holder_id: string; fencing_token: string }>(
          `SELECT holder_id, fencing_token::text FROM leases
            WHERE name = 'scheduler' AND expires_at > now()`,
        );
        lease = rows[0];
        pid = lease ? Number(lease.holder_id.split(':')[1]) : 0;
        // Only ever a process of ours.
        name = cluster.schedulerNames.find((n) => cluster.pid(n) === pid);
        if (!name) await sleep(500);
      }
      if (!lease || !name)
        return skipped(
          f,
          `no scheduler of ours held the lease for 30 s (${lease?.holder_id ?? 'vacant'})`,
        );
      const at = Date.now();
      process.kill(pid, 'SIGKILL');
      return {
        ...base,
        at,
        endedAt: at,
        target: name,
        detail: `SIGKILL leader pid ${pid} (fencing token ${lease.fencing_token})`,
        leader: { holderId: lease.holder_id, fencingToken: lease.fencing_token },
      };
    }
    case 'partition': {
      if (!ctx.netns) return skipped(f, 'no network namespace (ip netns unavailable)');
      const netns = ctx.netns;
      const w = cluster.workers.find((x) => x.namespaced)!;
      const pid = cluster.pid(w.name);
      const affected = pid === undefined ? [] : await runningOn(pool, w.name, pid);
      const at = Date.now();
      await netns.partition();
      pendingUndo = () => netns.heal();
      await sleep(f.holdMs);
      pendingUndo = null;
      await netns.heal();
      return {
        ...base,
        at,
        endedAt: Date.now(),
        target: w.name,
        affected,
        detail: `veth down for ${(f.holdMs / 1000).toFixed(1)} s, then up`,
      };
    }
    case 'pg_restart': {
      const affected = await runningOn(pool, null, null);
      const at = Date.now();
      await cluster.killPostgres();
      pendingUndo = () => cluster.startPostgres();
      const down = Date.now() - at;
      await sleep(Math.max(0, f.holdMs - down));
      pendingUndo = null;
      await cluster.startPostgres();
      return {
        ...base,
        at,
        endedAt: Date.now(),
        affected,
        detail: `immediate stop (SIGQUIT), started again after ${((Date.now() - at) / 1000).toFixed(1)} s`,
      };
    }
    case 'pg_terminate': {
      const affected = await runningOn(pool, null, null);
      const at = Date.now();
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND backend_type = 'client backend'
            AND application_name NOT LIKE 'dtss-chaos%'`,
      );
      return {
        ...base,
        at,
        endedAt: at,
        affected,
        detail: `pg_terminate_backend of ${rows[0]!.n} connections`,
      };
    }
    case 'cpu_load': {
      const n = os.availableParallelism();
      const at = Date.now();
      for (let i = 0; i < n; i++) {
        const b = spawn('sh', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' });
        burners.add(b);
        b.on('exit', () => burners.delete(b));
        setTimeout(() => killGroup(b), f.holdMs).unref();
      }
      return {
        ...base,
        at,
        endedAt: at + f.holdMs,
        detail: `${n} busy loops for ${(f.holdMs / 1000).toFixed(0)} s`,
      };
    }
  }
}

function skipped(f: PlannedFault, why: string): FaultRecord {
  const now = Date.now();
  return {
    kind: f.kind,
    at: now,
    endedAt: now,
    target: null,
    detail: '',
    affected: [],
    skipped: why,
  };
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Attempts running now (on one worker process, or everywhere). Running tasks are read through
 * running runs, as the engine itself does (task rows have no index on status).
 */
async function runningOn(
  pool: Pool,
  workerName: string | null,
  pid: number | null,
): Promise<AffectedAttempt[]> {
  const { rows } = await pool.query<AffectedAttempt>(
    `SELECT t.id AS "taskRunId", t.attempt_id AS "attemptId", t.attempt_count AS "attemptNumber",
            w.name AS "workerName"
       FROM workflow_runs r
       JOIN task_runs t ON t.run_id = r.id
       LEFT JOIN workers w ON w.id = t.worker_id
      WHERE r.status = 'running' AND t.status = 'running' AND t.attempt_id IS NOT NULL
        AND ($1::text IS NULL OR (w.name = $1 AND w.pid = $2 AND w.status <> 'stopped'))`,
    [workerName, pid],
  );
  return rows;
}
