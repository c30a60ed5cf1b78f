/**
 * Firing schedules (the scheduler leader's job). For each due schedule: work out which instants to
 * run (catch-up policy), apply the overlap policy to each, create the runs, then advance the
 * schedule in one fenced statement.
 *
 * Runs are created before the schedule advances, each with the idempotency key
 * `schedule:<id>:<instant>`: a leader that dies between the two leaves the schedule where it was,
 * and its successor's fire of the same instant returns the existing run. So no instant is lost and
 * none gets two runs, whatever the interleaving of leaders.
 */
import { jitterDelayMs, planCatchup, type CatchupMode } from '@dtss/core';
import type { Pool } from '../../pool';
import { cancelRun } from '../runs/cancelRun';
import { createRun } from '../runs/createRun';
import { RunRequestError } from '../runs/types';
import { cronSpec } from './cronSpecs';
import { fenceCondition, holdsLease, type LeaderFence } from './leaderFence';
import { computeNextFireAt } from './recomputeNextFire';
import type { CatchupPolicy, OverlapPolicy } from './types';

export interface DueSchedule {
  id: string;
  teamId: string;
  workflowId: string;
  cron: string;
  timezone: string;
  params: Record<string, unknown>;
  enabled: boolean;
  startAt: Date | null;
  endAt: Date | null;
  jitterMs: number;
  overlapPolicy: OverlapPolicy;
  catchupPolicy: CatchupPolicy;
  catchupWindowMs: number | null;
  lastFireAt: Date | null;
  nextFireAt: Date | null;
  bufferedFireAt: Date | null;
  /** The workflow is paused or archived: instants pass without runs. */
  workflowPaused: boolean;
}

export interface FireOptions {
  /** The scheduler's clock (tests pass their own). */
  now: Date;
  /** The leader's lease; the schedule only advances while it is held. */
  fence?: LeaderFence | null;
}

export interface ScheduleFireResult {
  scheduleId: string;
  /** Instants that got a run now (or already had one: idempotent). */
  fired: { instant: Date; runId: string; created: boolean }[];
  /** Instants not run because a run of this schedule was still active (overlap = skip). */
  skippedActive: Date[];
  /** overlap = buffer_one: the instant now waiting for the active run to end. */
  buffered: Date | null;
  /** Runs cancelled by overlap = cancel_previous. */
  cancelledRuns: string[];
  /** Instants refused by createRun (bad params, archived workflow...): logged, not retried. */
  refused: { instant: Date; message: string }[];
  nextFireAt: Date | null;
  /** false when the lease was lost or the schedule changed meanwhile: nothing was advanced. */
  advanced: boolean;
}

const CATCHUP_MODE: Record<CatchupPolicy, CatchupMode> = {
  skip: 'none',
  latest: 'latest',
  all: 'all',
};

const DUE_COLUMNS = `s.id, s.team_id AS "teamId", s.workflow_id AS "workflowId", s.cron, s.timezone,
  s.params, s.enabled, s.start_at AS "startAt", s.end_at AS "endAt", s.jitter_ms AS "jitterMs",
  s.overlap_policy AS "overlapPolicy", s.catchup_policy AS "catchupPolicy",
  s.catchup_window_ms AS "catchupWindowMs", s.last_fire_at AS "lastFireAt",
  s.next_fire_at AS "nextFireAt", s.buffered_fire_at AS "bufferedFireAt",
  (w.paused OR w.archived_at IS NOT NULL) AS "workflowPaused"`;

/** When a schedule's next instant is due, jitter included. */
export function dueAt(s: Pick<DueSchedule, 'id' | 'nextFireAt' | 'jitterMs'>): Date | null {
  if (!s.nextFireAt) return null;
  return new Date(s.nextFireAt.getTime() + jitterDelayMs(s.id, s.nextFireAt, s.jitterMs));
}

/** Enabled schedules with a due instant or a buffered fire, oldest first. */
export async function findDueSchedules(
  pool: Pool,
  opts: { now: Date; limit?: number },
): Promise<DueSchedule[]> {
  const { rows } = await pool.query<DueSchedule>(
    `SELECT ${DUE_COLUMNS} FROM schedules s JOIN workflows w ON w.id = s.workflow_id
      WHERE s.enabled AND ((s.next_fire_at <= $1) OR s.buffered_fire_at IS NOT NULL)
      ORDER BY s.next_fire_at LIMIT $2`,
    [opts.now, opts.limit ?? 500],
  );
  return rows.filter((s) => s.bufferedFireAt || dueAt(s)!.getTime() <= opts.now.getTime());
}

/**
 * When the scheduler should next look (the earliest due time, jitter included), or null when no
 * schedule has a next instant. Reads the earliest few by index; a schedule further down can only
 * be due later than the last of those, which bounds the answer.
 */
export async function nextScheduleDueAt(pool: Pool): Promise<Date | null> {
  const { rows } = await pool.query<{ id: string; nextFireAt: Date; jitterMs: number }>(
    `SELECT id, next_fire_at AS "nextFireAt", jitter_ms AS "jitterMs" FROM schedules
      WHERE enabled AND next_fire_at IS NOT NULL ORDER BY next_fire_at LIMIT 50`,
  );
  if (rows.length === 0) return null;
  let earliest = Math.min(...rows.map((r) => dueAt(r)!.getTime()));
  if (rows.length === 50) earliest = Math.min(earliest, rows[49]!.nextFireAt.getTime());
  return new Date(earliest);
}

export async function fireSchedule(
  pool: Pool,
  s: DueSchedule,
  opts: FireOptions,
): Promise<ScheduleFireResult> {
  const result = await startDueRuns(pool, s, opts);
  const advanced = await advanceSchedules(pool, [result], opts.fence);
  return { ...result.outcome, advanced: advanced.has(s.id) };
}

export interface FireDueResult {
  /** false: this process does not hold the lease (nothing was done). */
  leader: boolean;
  schedules: ScheduleFireResult[];
  errors: { scheduleId: string; error: Error }[];
}

/**
 * One pass: the runs of every due schedule first (`concurrency` schedules at a time, each handled
 * by one task), then every schedule advanced in one fenced statement, so the burst of fires at a
 * busy second is not slowed by the bookkeeping.
 */
export async function fireDueSchedules(
  pool: Pool,
  opts: FireOptions & { concurrency?: number; limit?: number },
): Promise<FireDueResult> {
  const out: FireDueResult = { leader: true, schedules: [], errors: [] };
  if (!(await holdsLease(pool, opts.fence))) return { ...out, leader: false };
  const due = await findDueSchedules(pool, { now: opts.now, limit: opts.limit });
  const started: StartedFires[] = [];
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const s = due[next++]!;
      try {
        started.push(await startDueRuns(pool, s, opts));
      } catch (err) {
        out.errors.push({ scheduleId: s.id, error: err as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  const advanced = await advanceSchedules(pool, started, opts.fence);
  out.schedules = started.map((r) => ({
    ...r.outcome,
    advanced: advanced.has(r.outcome.scheduleId),
  }));
  return out;
}

/** What one schedule's fires did, and the advance to store for it. */
interface StartedFires {
  outcome: ScheduleFireResult;
  /** The values read (the advance only applies if they are still there) and the new ones. */
  expectedNext: Date | null;
  expectedBuffer: Date | null;
  lastHandled: Date | null;
}

async function startDueRuns(pool: Pool, s: DueSchedule, opts: FireOptions): Promise<StartedFires> {
  const { now } = opts;
  const result: ScheduleFireResult = {
    scheduleId: s.id,
    fired: [],
    skippedActive: [],
    buffered: s.bufferedFireAt,
    cancelledRuns: [],
    refused: [],
    nextFireAt: s.nextFireAt,
    advanced: false,
  };
  const spec = cronSpec(s.cron);
  let active = s.overlapPolicy === 'allow_all' ? [] : await activeRuns(pool, s.id);

  // A buffered fire runs as soon as the run it waited for has ended.
  if (s.bufferedFireAt && active.length === 0) {
    const run = await startRun(pool, s, s.bufferedFireAt, result);
    if (run) active = [run];
    result.buffered = null;
  }

  const due = s.nextFireAt && dueAt(s)!.getTime() <= now.getTime();
  const plan = due
    ? planCatchup(spec, s.timezone, {
        nextFireAt: s.nextFireAt!,
        now,
        endAt: s.endAt,
        catchup: CATCHUP_MODE[s.catchupPolicy],
        catchupWindowMs: s.catchupWindowMs,
      })
    : null;
  for (const instant of plan?.fire ?? []) {
    if (s.workflowPaused) continue;
    if (active.length > 0) {
      if (s.overlapPolicy === 'skip') {
        result.skippedActive.push(instant);
        continue;
      }
      if (s.overlapPolicy === 'buffer_one') {
        // One waits; any later instant while it waits is dropped.
        if (!result.buffered) result.buffered = instant;
        else result.skippedActive.push(instant);
        continue;
      }
      if (s.overlapPolicy === 'cancel_previous') {
        for (const runId of active) {
          if ((await cancelRun(pool, runId)).accepted) result.cancelledRuns.push(runId);
        }
        active = [];
      }
    }
    const run = await startRun(pool, s, instant, result);
    if (run && s.overlapPolicy !== 'allow_all') active = [run];
  }

  if (plan) {
    result.nextFireAt = computeNextFireAt(
      { ...s, lastFireAt: plan.more ? plan.lastHandled : latest(plan.lastHandled, now) },
      now,
    );
  } else if (due) {
    // Due but past its end date (edited meanwhile): nothing left to fire.
    result.nextFireAt = computeNextFireAt({ ...s, lastFireAt: now }, now);
  }
  return {
    outcome: result,
    expectedNext: s.nextFireAt,
    expectedBuffer: s.bufferedFireAt,
    lastHandled: plan?.lastHandled ?? null,
  };
}

/**
 * Stores where each schedule continues, in one statement, only while the fence's lease is held
 * and only for schedules still as they were read (an edit or another leader's pass in between
 * wins). Returns the ids advanced.
 */
async function advanceSchedules(
  pool: Pool,
  started: StartedFires[],
  fence: LeaderFence | null | undefined,
): Promise<Set<string>> {
  if (started.length === 0) return new Set();
  const params: unknown[] = [
    started.map((r) => r.outcome.scheduleId),
    started.map((r) => r.expectedNext),
    started.map((r) => r.expectedBuffer),
    started.map((r) => r.outcome.nextFireAt),
    started.map((r) => r.outcome.buffered),
    started.map((r) => r.lastHandled),
  ];
  const { rows } = await pool.query<{ id: string }>(
    `UPDATE schedules s SET next_fire_at = x.next, buffered_fire_at = x.buffered,
            last_fire_at = COALESCE(x.last, s.last_fire_at), updated_at = now()
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[],
                   $5::timestamptz[], $6::timestamptz[])
            AS x(id, expected_next, expected_buffer, next, buffered, last)
      WHERE s.id = x.id AND s.next_fire_at IS NOT DISTINCT FROM x.expected_next
        AND s.buffered_fire_at IS NOT DISTINCT FROM x.expected_buffer
        AND ${fenceCondition(fence, params)}
     RETURNING s.id`,
    params,
  );
  return new Set(rows.map((r) => r.id));
}

async function activeRuns(pool: Pool, scheduleId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM workflow_runs WHERE schedule_id = $1 AND status IN ('queued', 'running')
      ORDER BY created_at`,
    [scheduleId],
  );
  return rows.map((r) => r.id);
}

/** Creates the run of one instant; a refusal is recorded (retrying it would fail the same way). */
async function startRun(
  pool: Pool,
  s: DueSchedule,
  instant: Date,
  result: ScheduleFireResult,
): Promise<string | null> {
  try {
    const { run, created } = await createRun(pool, {
      teamId: s.teamId,
      workflow: { id: s.workflowId },
      params: s.params,
      triggerKind: 'schedule',
      scheduleId: s.id,
      logicalDate: instant,
      idempotencyKey: scheduleRunKey(s.id, instant),
    });
    result.fired.push({ instant, runId: run.id, created });
    return ['queued', 'running'].includes(run.status) ? run.id : null;
  } catch (err) {
    if (!(err instanceof RunRequestError)) throw err;
    result.refused.push({ instant, message: err.message });
    return null;
  }
}

export function scheduleRunKey(scheduleId: string, instant: Date): string {
  return `schedule:${scheduleId}:${instant.toISOString()}`;
}

function latest(a: Date, b: Date): Date {
  return a.getTime() > b.getTime() ? a : b;
}
