/**
 * Firing schedules (the scheduler leader's job). For each due schedule: work out which instants to
 * run (catch-up policy), apply the overlap policy to each, create the runs, then advance the
 * schedule in one fenced statement.
 *
 * Runs are created before the schedule advances, each with the idempotency key
 * `schedule:<id>:<instant>`: a leader that dies between the two leaves the schedule where it was,
 * and its successor's fire of the same instant returns the existing run. So no instant is lost and
 * none gets two runs, whatever the interleaving of leaders.
 *
 * The runs of a pass are created together: each schedule's overlap decisions are taken instant by
 * instant as if it fired alone, but the runs they ask for are gathered across schedules and
 * created in batches of up to 100, one transaction each (createRuns).
 */
import { jitterDelayMs, planCatchup, type CatchupMode, type CatchupPlan } from '@dtss/core';
import type { Pool } from '../../pool';
import { cancelRun } from '../runs/cancelRun';
import { createRun } from '../runs/createRun';
import { createRuns } from '../runs/createRuns';
import { RunRequestError, type CreateRunInput, type CreateRunResult } from '../runs/types';
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
  const { started, errors } = await startDueRuns(pool, [s], opts, 1);
  if (errors[0]) throw errors[0].error;
  const advanced = await advanceSchedules(pool, started, opts.fence);
  return { ...started[0]!.outcome, advanced: advanced.has(s.id) };
}

export interface FireDueResult {
  /** false: this process does not hold the lease (nothing was done). */
  leader: boolean;
  schedules: ScheduleFireResult[];
  errors: { scheduleId: string; error: Error }[];
}

/**
 * One pass: the runs of every due schedule first, created in batches (createRuns: one transaction
 * for up to RUNS_PER_BATCH runs), then every schedule advanced in one fenced statement, so the
 * burst of fires at a busy second is not slowed by the bookkeeping. `concurrency`: batches (and
 * cancellations) in flight at once.
 */
export async function fireDueSchedules(
  pool: Pool,
  opts: FireOptions & { concurrency?: number; limit?: number },
): Promise<FireDueResult> {
  const out: FireDueResult = { leader: true, schedules: [], errors: [] };
  if (!(await holdsLease(pool, opts.fence))) return { ...out, leader: false };
  const due = await findDueSchedules(pool, { now: opts.now, limit: opts.limit });
  const { started, errors } = await startDueRuns(pool, due, opts, opts.concurrency ?? 8);
  out.errors = errors;
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

/** Runs created in one createRuns call (one transaction). */
const RUNS_PER_BATCH = 100;

/**
 * What a schedule's decisions need next: runs for these instants (answered with each one's run
 * id while it is active, else null), or these runs cancelled (answered with nothing).
 */
type Need = { create: Date[] } | { cancel: string[] };

/** One due schedule being fired: its decisions (a generator, see decideFires) and its outcome. */
interface Firing {
  s: DueSchedule;
  started: StartedFires;
  decisions: Generator<Need, void, (string | null)[]>;
  need: Need | null;
  error?: Error;
}

/**
 * The fires of many schedules. Each schedule's decisions are taken in order, as if alone
 * (decideFires); they pause whenever they need the database, and the needs of all schedules are
 * met together: every pending run request in createRuns batches, then the decisions resume with
 * the answers. A pass where every schedule fires one instant is one round: one createRuns call
 * per RUNS_PER_BATCH schedules. Schedules whose next fire depends on the previous one's run
 * (skip, buffer_one, cancel_previous, several instants) take one round per such fire.
 */
async function startDueRuns(
  pool: Pool,
  schedules: DueSchedule[],
  opts: FireOptions,
  concurrency: number,
): Promise<{ started: StartedFires[]; errors: { scheduleId: string; error: Error }[] }> {
  const active = await activeRuns(
    pool,
    schedules.filter((s) => s.overlapPolicy !== 'allow_all').map((s) => s.id),
  );
  const firings: Firing[] = [];
  const errors: { scheduleId: string; error: Error }[] = [];
  for (const s of schedules) {
    try {
      const started = planFires(s, opts.now);
      const decisions = decideFires(s, started, active.get(s.id) ?? []);
      firings.push({ s, started, decisions, need: null });
    } catch (err) {
      errors.push({ scheduleId: s.id, error: err as Error });
    }
  }
  const resume = (f: Firing, answer: (string | null)[]) => {
    try {
      const step = f.decisions.next(answer);
      f.need = step.done ? null : step.value;
    } catch (err) {
      f.error = err as Error;
      f.need = null;
    }
  };
  for (const f of firings) resume(f, []);

  for (;;) {
    // Cancellations first: the run that replaces a cancelled one joins this round's batch.
    let cancelling = firings.filter((f) => f.need && 'cancel' in f.need);
    while (cancelling.length > 0) {
      await eachLimited(cancelling, concurrency, async (f) => {
        try {
          for (const runId of (f.need as { cancel: string[] }).cancel) {
            if ((await cancelRun(pool, runId)).accepted)
              f.started.outcome.cancelledRuns.push(runId);
          }
        } catch (err) {
          f.error = err as Error;
          f.need = null;
          return;
        }
        resume(f, []);
      });
      cancelling = firings.filter((f) => f.need && 'cancel' in f.need);
    }
    const creating = firings.filter((f) => f.need && 'create' in f.need);
    if (creating.length === 0) break;
    const requests = creating.flatMap((f) =>
      (f.need as { create: Date[] }).create.map((instant) => ({ f, instant })),
    );
    const answers = await createInBatches(
      pool,
      requests.map((r) => runInput(r.f.s, r.instant)),
      requests.map((r) => r.f),
      concurrency,
    );
    const perFiring = new Map<Firing, (string | null)[]>();
    requests.forEach(({ f, instant }, i) => {
      const answer = answers[i]!;
      const ids = perFiring.get(f) ?? [];
      perFiring.set(f, ids);
      if (answer instanceof RunRequestError) {
        f.started.outcome.refused.push({ instant, message: answer.message });
        ids.push(null);
      } else if (answer instanceof Error) {
        f.error ??= answer;
        ids.push(null);
      } else {
        const { run, created } = answer;
        f.started.outcome.fired.push({ instant, runId: run.id, created });
        ids.push(['queued', 'running'].includes(run.status) ? run.id : null);
      }
    });
    for (const [f, ids] of perFiring) {
      if (f.error) f.need = null;
      else resume(f, ids);
    }
  }

  const started: StartedFires[] = [];
  for (const f of firings) {
    if (f.error) errors.push({ scheduleId: f.s.id, error: f.error });
    else started.push(f.started);
  }
  return { started, errors };
}

/** The instants due (catch-up policy) and where the schedule continues afterwards. */
function planFires(s: DueSchedule, now: Date): StartedFires & { plan: CatchupPlan | null } {
  const outcome: ScheduleFireResult = {
    scheduleId: s.id,
    fired: [],
    skippedActive: [],
    buffered: s.bufferedFireAt,
    cancelledRuns: [],
    refused: [],
    nextFireAt: s.nextFireAt,
    advanced: false,
  };
  const due = s.nextFireAt && dueAt(s)!.getTime() <= now.getTime();
  const plan = due
    ? planCatchup(cronSpec(s.cron), s.timezone, {
        nextFireAt: s.nextFireAt!,
        now,
        endAt: s.endAt,
        catchup: CATCHUP_MODE[s.catchupPolicy],
        catchupWindowMs: s.catchupWindowMs,
      })
    : null;
  if (plan) {
    outcome.nextFireAt = computeNextFireAt(
      { ...s, lastFireAt: plan.more ? plan.lastHandled : latest(plan.lastHandled, now) },
      now,
    );
  } else if (due) {
    // Due but past its end date (edited meanwhile): nothing left to fire.
    outcome.nextFireAt = computeNextFireAt({ ...s, lastFireAt: now }, now);
  }
  return {
    outcome,
    expectedNext: s.nextFireAt,
    expectedBuffer: s.bufferedFireAt,
    lastHandled: plan?.lastHandled ?? null,
    plan,
  };
}

/**
 * One schedule's overlap decisions, in instant order, given its runs active when the pass began.
 * Yields what it needs from the database (see Need) and records skips and the buffer in
 * `started.outcome`; the driver records runs, refusals and cancellations.
 */
function* decideFires(
  s: DueSchedule,
  started: StartedFires & { plan: CatchupPlan | null },
  activeAtStart: string[],
): Generator<Need, void, (string | null)[]> {
  const result = started.outcome;
  let active = activeAtStart;

  // A buffered fire runs as soon as the run it waited for has ended.
  if (s.bufferedFireAt && active.length === 0) {
    const [run] = yield { create: [s.bufferedFireAt] };
    if (run) active = [run];
    result.buffered = null;
  }

  const instants = s.workflowPaused ? [] : (started.plan?.fire ?? []);
  if (s.overlapPolicy === 'allow_all') {
    // Nothing depends on the runs: every instant in one request.
    if (instants.length > 0) yield { create: instants };
    return;
  }
  for (const instant of instants) {
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
        yield { cancel: active };
        active = [];
      }
    }
    const [run] = yield { create: [instant] };
    if (run) active = [run];
  }
}

/** The run of one instant of a schedule. */
function runInput(s: DueSchedule, instant: Date): CreateRunInput {
  return {
    teamId: s.teamId,
    workflow: { id: s.workflowId },
    params: s.params,
    triggerKind: 'schedule',
    scheduleId: s.id,
    logicalDate: instant,
    idempotencyKey: scheduleRunKey(s.id, instant),
  };
}

/**
 * createRuns over `inputs` in batches of up to RUNS_PER_BATCH, `concurrency` at a time. The
 * inputs of one group (one schedule's instants) stay in one batch when they fit, so they are
 * numbered in instant order. A batch that fails as a whole (a database error) is retried run by
 * run with createRun, so one broken schedule does not hold up the others; the error of a run that
 * still fails is its answer. The idempotency keys make the retry safe.
 */
async function createInBatches(
  pool: Pool,
  inputs: CreateRunInput[],
  groupOf: unknown[],
  concurrency: number,
): Promise<(CreateRunResult | Error)[]> {
  const answers: (CreateRunResult | Error)[] = new Array(inputs.length);
  const batches: { from: number; to: number }[] = [];
  for (let i = 0; i < inputs.length;) {
    let end = i + 1;
    while (end < inputs.length && groupOf[end] === groupOf[i]) end++;
    const last = batches[batches.length - 1];
    if (last && last.to === i && end - last.from <= RUNS_PER_BATCH) last.to = end;
    else {
      for (let from = i; from < end; from += RUNS_PER_BATCH) {
        batches.push({ from, to: Math.min(end, from + RUNS_PER_BATCH) });
      }
    }
    i = end;
  }
  await eachLimited(batches, concurrency, async ({ from, to }) => {
    const batch = inputs.slice(from, to);
    try {
      (await createRuns(pool, batch)).forEach((a, i) => (answers[from + i] = a));
    } catch {
      for (const [i, input] of batch.entries()) {
        answers[from + i] = await createRun(pool, input).catch((err: unknown) =>
          err instanceof Error ? err : new Error(String(err)),
        );
      }
    }
  });
  return answers;
}

async function eachLimited<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker),
  );
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

/** The queued or running runs of each schedule, oldest first. */
async function activeRuns(pool: Pool, scheduleIds: string[]): Promise<Map<string, string[]>> {
  const active = new Map<string, string[]>();
  if (scheduleIds.length === 0) return active;
  const { rows } = await pool.query<{ id: string; schedule_id: string }>(
    `SELECT id, schedule_id FROM workflow_runs
      WHERE schedule_id = ANY($1::uuid[]) AND status IN ('queued', 'running')
      ORDER BY created_at, number`,
    [scheduleIds],
  );
  for (const row of rows)
    active.set(row.schedule_id, [...(active.get(row.schedule_id) ?? []), row.id]);
  return active;
}

export function scheduleRunKey(scheduleId: string, instant: Date): string {
  return `schedule:${scheduleId}:${instant.toISOString()}`;
}

function latest(a: Date, b: Date): Date {
  return a.getTime() > b.getTime() ? a : b;
}
