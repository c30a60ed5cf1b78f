/**
 * Recovery time of each fault, from the attempts' own timestamps: from the moment it struck until
 * every attempt that was running where it struck is running again (a new attempt started, or the
 * same attempt was heard from again: a log line stored or its result accepted) or its task ended.
 * A killed leader recovers when another scheduler holds the lease. The CPU load stops nothing and
 * has no recovery time.
 */
import type { Pool } from '@dtss/db';
import type { FaultRecord } from './faults';
import type { LeaseChange } from './monitor';

export interface Recovery {
  /** Seconds, or null when nothing was affected (or it never recovered: see `unrecovered`). */
  seconds: number | null;
  affected: number;
  unrecovered: number;
  /** The affected task that took longest, and what ended its wait. */
  slowest?: { runId: string; task: string; how: string };
}

export async function measureRecovery(
  pool: Pool,
  fault: FaultRecord,
  leases: LeaseChange[],
): Promise<Recovery> {
  if (fault.skipped || fault.kind === 'cpu_load')
    return { seconds: null, affected: 0, unrecovered: 0 };
  if (fault.kind === 'leader_kill') {
    const next = leases.find(
      (l) => l.holderId !== fault.leader?.holderId && l.acquiredAt.getTime() >= fault.at - 1_000,
    );
    return next
      ? {
          seconds: Math.max(0, next.acquiredAt.getTime() - fault.at) / 1000,
          affected: 1,
          unrecovered: 0,
        }
      : { seconds: null, affected: 1, unrecovered: 1 };
  }
  if (!fault.affected.length) return { seconds: null, affected: 0, unrecovered: 0 };
  const { rows } = await pool.query<{
    run_id: string;
    task_key: string;
    next_start: Date | null;
    accepted: Date | null;
    heard: Date | null;
    ended: Date | null;
  }>(
    `SELECT t.run_id, t.task_key,
            (SELECT min(n.started_at) FROM task_attempts n
              WHERE n.task_run_id = x.task_run_id AND n.attempt_number > x.attempt_number)
              AS next_start,
            (SELECT a.finished_at FROM task_attempts a
              WHERE a.id = x.attempt_id AND a.status <> 'lost') AS accepted,
            (SELECT min(c.created_at) FROM log_chunks c
              WHERE c.attempt_id = x.attempt_id AND c.created_at > $4
                AND NOT EXISTS (SELECT 1 FROM task_attempts a
                                 WHERE a.id = x.attempt_id AND a.status = 'lost')) AS heard,
            CASE WHEN t.finished_at > $4 THEN t.finished_at END AS ended
       FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS x(task_run_id, attempt_id, attempt_number)
       JOIN task_runs t ON t.id = x.task_run_id`,
    [
      fault.affected.map((a) => a.taskRunId),
      fault.affected.map((a) => a.attemptId),
      fault.affected.map((a) => a.attemptNumber),
      new Date(fault.at),
    ],
  );
  let unrecovered = 0;
  let slowest: { at: number; runId: string; task: string; how: string } | null = null;
  for (const r of rows) {
    const candidates: [string, Date | null][] = [
      ['next attempt started', r.next_start],
      ['its result accepted', r.accepted],
      ['a log line stored', r.heard],
      ['its task ended', r.ended],
    ];
    const ways = candidates.filter((w): w is [string, Date] => w[1] !== null);
    if (!ways.length) {
      unrecovered++;
      continue;
    }
    const [how, when] = ways.reduce((a, b) => (b[1] < a[1] ? b : a));
    if (!slowest || when.getTime() > slowest.at)
      slowest = { at: when.getTime(), runId: r.run_id, task: r.task_key, how };
  }
  return {
    seconds: slowest ? Math.max(0, slowest.at - fault.at) / 1000 : null,
    affected: rows.length,
    unrecovered,
    ...(slowest ? { slowest: { runId: slowest.runId, task: slowest.task, how: slowest.how } } : {}),
  };
}

export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
