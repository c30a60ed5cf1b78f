/**
 * The invariants, checked once the workload has played out and the services have stopped: SQL
 * over the real tables, the side-effect file, the suite's own record of what the API acknowledged
 * and of every sweep of a lost worker. Each broken rule becomes a violation naming the run, task
 * and attempt, so a failure can be diagnosed from the report alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Pool } from '@dtss/db';
import { analyzeEffects, parseEffects, type AttemptRow, type TaskRow } from './effects';
import type { Sweep } from './monitor';
import type { Submission } from './workload';

export const CHECKS = [
  'terminal',
  'outcomes',
  'submissions',
  'stale-completions',
  'pools',
  'side-effects',
  'duplicates',
  'schedules',
  'events',
  'logs',
  'outputs',
  'faults',
  'crashes',
  'healthy-workers',
] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Violation {
  check: CheckName;
  message: string;
}

export interface CheckResults {
  runs: number;
  runsByStatus: Record<string, number>;
  tasks: number;
  tasksByStatus: Record<string, number>;
  attempts: number;
  attemptsByStatus: Record<string, number>;
  stuckRuns: number;
  stuckTasks: number;
  lostTasks: number;
  staleCompletionsAccepted: number;
  duplicateExecutions: number;
  unrecordedDuplicates: number;
  missingEffects: number;
  /** Work done by lost attempts after they were declared lost (allowed; a note). */
  lateLostEffects: string[];
  effectLines: number;
  schedules: {
    count: number;
    instants: number;
    runs: number;
    duplicateFires: number;
    missing: number;
  };
  events: {
    published: number;
    webhooks: number;
    runs: number;
    duplicateFires: number;
    missing: number;
  };
  /** failedUnstarted: attempts failed by the engine without an exit code (e.g. a database blip
   * while preparing the attempt): not an invariant, but worth knowing, so listed in the report. */
  logs: { attempts: number; withMarker: number; failedUnstarted: string[] };
  submissionsUnanswered: number;
  violations: Violation[];
  /** Violations per check before the list was capped. */
  violationCounts: Partial<Record<CheckName, number>>;
}

export interface CheckInput {
  pool: Pool;
  effectsFile: string;
  submissions: Submission[];
  sweeps: Sweep[];
  workerPools: Record<string, readonly string[]>;
}

/** At most this many violations of one check are listed (all are counted). */
const LIST_PER_CHECK = 25;
const TERMINAL_TASK = ['succeeded', 'failed', 'timed_out', 'skipped', 'cancelled'];
const TERMINAL_RUN = ['succeeded', 'failed', 'cancelled', 'timed_out'];

export async function runChecks(input: CheckInput): Promise<CheckResults> {
  const { pool } = input;
  const all: Violation[] = [];
  const flag = (check: CheckName, message: string) => all.push({ check, message });

  // ── Runs and tasks reached a terminal state ──────────────────────────────────────────────
  const runsByStatus = await countBy(pool, 'workflow_runs');
  const tasksByStatus = await countBy(pool, 'task_runs');
  const attemptsByStatus = await countBy(pool, 'task_attempts');
  const { rows: stuckRuns } = await pool.query<{ id: string; status: string; workflow: string }>(
    `SELECT r.id, r.status::text, w.name AS workflow FROM workflow_runs r
       JOIN workflows w ON w.id = r.workflow_id
      WHERE r.status::text <> ALL($1::text[]) ORDER BY r.created_at`,
    [TERMINAL_RUN],
  );
  for (const r of stuckRuns) flag('terminal', `run ${r.id} (${r.workflow}) is still ${r.status}`);
  const tasks = await readTasks(pool);
  const stuckTasks = tasks.filter((t) => !TERMINAL_TASK.includes(t.status));
  // What holds a stuck task: its graphile-worker job (keyed task:<id>), locked or not.
  const { rows: jobs } = await pool.query<{
    key: string;
    id: string;
    attempts: number;
    locked_by: string | null;
    locked_at: Date | null;
    run_at: Date;
  }>(
    `SELECT key, id::text, attempts, locked_by, locked_at, run_at FROM graphile_worker.jobs
      WHERE key = ANY($1::text[])`,
    [stuckTasks.map((t) => `task:${t.id}`)],
  );
  const jobOf = new Map(jobs.map((j) => [j.key, j]));
  for (const t of stuckTasks) {
    const job = jobOf.get(`task:${t.id}`);
    const held = !job
      ? 'no job'
      : job.locked_by
        ? `its job ${job.id} locked by ${job.locked_by} since ${iso(job.locked_at!)}`
        : `its job ${job.id} unlocked, due ${iso(job.run_at)}, ${job.attempts} deliveries`;
    flag(
      'terminal',
      `task ${t.task} (${t.id}) of run ${t.runId} is still ${t.status} ` +
        `(${t.attemptCount ? `attempt ${t.attemptCount}${t.workerName ? ` on ${t.workerName}` : ''}` : 'never claimed'}; ${held})`,
    );
  }

  // ── Every task has exactly one accepted outcome ─────────────────────────────────────────
  const attempts = await readAttempts(pool);
  const byTask = new Map<string, AttemptFull[]>();
  for (const a of attempts) byTask.set(a.taskRunId, [...(byTask.get(a.taskRunId) ?? []), a]);
  for (const t of tasks) {
    const list = (byTask.get(t.id) ?? []).sort((a, b) => a.attempt - b.attempt);
    const where = `task ${t.task} of run ${t.runId}`;
    const numbers = list.map((a) => a.attempt).join(',');
    const expected = Array.from({ length: t.attemptCount }, (_, i) => i + 1).join(',');
    if (TERMINAL_TASK.includes(t.status) && numbers !== expected)
      flag('outcomes', `${where}: ${t.attemptCount} attempts opened, recorded [${numbers}]`);
    const succeeded = list.filter((a) => a.status === 'succeeded');
    const last = list[list.length - 1];
    if (t.status === 'succeeded') {
      if (succeeded.length !== 1 || last?.status !== 'succeeded')
        flag(
          'outcomes',
          `${where} succeeded, with attempts ${list.map((a) => `${a.attempt}:${a.status}`).join(' ')}`,
        );
      else if (!isDeepStrictEqual(t.output, last.output))
        flag(
          'outputs',
          `${where}: its output ${JSON.stringify(t.output)} is not its accepted attempt's ${JSON.stringify(last.output)}`,
        );
    } else if (t.status === 'failed' || t.status === 'timed_out') {
      if (succeeded.length || !last || !['failed', 'timed_out', 'lost'].includes(last.status))
        flag(
          'outcomes',
          `${where} ${t.status}, with attempts ${list.map((a) => `${a.attempt}:${a.status}`).join(' ')}`,
        );
    } else if (t.status === 'skipped') {
      if (list.length) flag('outcomes', `${where} was skipped but has ${list.length} attempts`);
    } else if (t.status === 'cancelled') {
      flag('outcomes', `${where} was cancelled, but nothing cancels runs in this suite`);
    }
  }
  const { rows: badRuns } = await pool.query<{ id: string; status: string; failed: number }>(
    `SELECT r.id, r.status::text,
            count(*) FILTER (WHERE t.status IN ('failed', 'timed_out', 'cancelled'))::int AS failed
       FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
      WHERE r.status IN ('succeeded', 'failed')
      GROUP BY r.id
     HAVING (r.status = 'succeeded') = (count(*) FILTER (WHERE t.status IN ('failed', 'timed_out', 'cancelled')) > 0)
         OR bool_or(t.status::text <> ALL($1::text[]))
         OR max(r.tasks_done) <> max(r.tasks_total) OR count(*) <> max(r.tasks_total)`,
    [TERMINAL_TASK],
  );
  for (const r of badRuns)
    flag(
      'outcomes',
      `run ${r.id} ended ${r.status} with ${r.failed} failed tasks (or unfinished ones)`,
    );

  // ── What the API acknowledged exists ─────────────────────────────────────────────────────
  let lostTasks = 0;
  const acknowledged = input.submissions.flatMap((s) => s.runIds);
  const { rows: found } = await pool.query<{ id: string; tasks_total: number; rows: number }>(
    `SELECT r.id, r.tasks_total,
            (SELECT count(*)::int FROM task_runs t WHERE t.run_id = r.id) AS rows
       FROM workflow_runs r WHERE r.id = ANY($1::uuid[])`,
    [acknowledged],
  );
  const foundById = new Map(found.map((r) => [r.id, r]));
  for (const s of input.submissions)
    for (const id of s.runIds) {
      const r = foundById.get(id);
      if (!r) {
        lostTasks++;
        flag('submissions', `run ${id} (${s.kind} #${s.seq}) was acknowledged but does not exist`);
      } else if (r.rows !== r.tasks_total) {
        lostTasks += Math.max(0, r.tasks_total - r.rows);
        flag('submissions', `run ${id} has ${r.rows} task rows of ${r.tasks_total}`);
      }
    }
  const submissionsUnanswered = input.submissions.filter((s) => s.error).length;

  // ── No attempt accepted after its worker was swept ──────────────────────────────────────
  // An attempt of a worker that was running when the leader swept that worker must have been
  // closed as lost by the sweep; accepted later, it is a stale completion.
  let staleCompletionsAccepted = 0;
  if (input.sweeps.length) {
    const { rows: stale } = await pool.query<{
      run_id: string;
      task_key: string;
      attempt_number: number;
      id: string;
      status: string;
      worker: string;
      started_at: Date;
      finished_at: Date;
      swept_at: Date;
    }>(
      `SELECT a.run_id, t.task_key, a.attempt_number, a.id, a.status::text, w.name AS worker,
              a.started_at, a.finished_at, s.swept_at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS s(worker_id, swept_at)
         JOIN task_attempts a ON a.worker_id = s.worker_id
         JOIN task_runs t ON t.id = a.task_run_id
         JOIN workers w ON w.id = a.worker_id
        WHERE a.status <> 'lost' AND a.started_at < s.swept_at AND a.finished_at > s.swept_at`,
      [input.sweeps.map((s) => s.workerId), input.sweeps.map((s) => s.sweptAt)],
    );
    for (const a of stale) {
      staleCompletionsAccepted++;
      flag(
        'stale-completions',
        `run ${a.run_id} task ${a.task_key} attempt ${a.attempt_number} (${a.id}) on ${a.worker}: ` +
          `started ${iso(a.started_at)}, worker swept ${iso(a.swept_at)}, yet accepted as ${a.status} ` +
          `at ${iso(a.finished_at)}`,
      );
    }
  }
  // Every accepted success names, in its output, the attempt and worker that produced it.
  for (const a of attempts) {
    if (a.status !== 'succeeded') continue;
    const out = a.output as { attempt?: number; worker?: string } | null;
    if (out?.attempt !== a.attempt || out?.worker !== a.workerName) {
      staleCompletionsAccepted++;
      flag(
        'stale-completions',
        `run ${a.runId} task ${a.task} attempt ${a.attempt} (${a.id}) recorded on ${a.workerName} ` +
          `carries the result of attempt ${out?.attempt} on ${out?.worker}`,
      );
    }
  }

  // ── No task ran on a worker outside its pool (as recorded) ──────────────────────────────
  const { rows: outside } = await pool.query<{
    run_id: string;
    task_key: string;
    attempt_number: number;
    pool: string;
    name: string;
    pools: string[];
  }>(
    `SELECT a.run_id, t.task_key, a.attempt_number, t.pool, w.name, w.pools
       FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
       JOIN workers w ON w.id = a.worker_id
      WHERE NOT (t.pool = ANY (w.pools))`,
  );
  for (const o of outside)
    flag(
      'pools',
      `run ${o.run_id} task ${o.task_key} attempt ${o.attempt_number} (pool ${o.pool}) ` +
        `was claimed by ${o.name} (${o.pools.join(',')})`,
    );

  // ── The side effects ────────────────────────────────────────────────────────────────────
  const effects = parseEffects(
    existsSync(input.effectsFile) ? readFileSync(input.effectsFile, 'utf8') : '',
  );
  const analysis = analyzeEffects(
    effects,
    attempts.map<AttemptRow>((a) => ({
      runId: a.runId,
      task: a.task,
      attempt: a.attempt,
      status: a.status,
      worker: a.workerName,
      finishedAt: a.finishedAt.getTime(),
    })),
    tasks.map<TaskRow>((t) => ({
      runId: t.runId,
      task: t.task,
      status: t.status,
      attemptCount: t.attemptCount,
      pool: t.pool,
    })),
    input.workerPools,
  );
  for (const f of analysis.findings) flag(f.check, f.message);

  // ── Schedules: one run per instant, none missing (catch-up all) ─────────────────────────
  const schedules = await checkSchedules(pool, flag);

  // ── Events and webhooks: one run per matching trigger, none for the others ─────────────
  const events = await checkEvents(pool, input.submissions, flag);
  lostTasks += events.missingTasks;

  // ── Logs of every completed attempt ─────────────────────────────────────────────────────
  const logs = await checkLogs(pool, flag);

  // ── Outputs reached downstream tasks ────────────────────────────────────────────────────
  const { rows: badTokens } = await pool.query<{ run_id: string; output: unknown }>(
    `SELECT t.run_id, t.output FROM task_runs t
      WHERE t.task_key = 'produce' AND t.status = 'succeeded'
        AND t.output->>'token' IS DISTINCT FROM t.run_id || '-produce'`,
  );
  for (const r of badTokens)
    flag(
      'outputs',
      `run ${r.run_id}: produce's output ${JSON.stringify(r.output)} lacks its token`,
    );
  const { rows: badConsumers } = await pool.query<{ run_id: string; attempt_number: number }>(
    `SELECT a.run_id, a.attempt_number FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
      WHERE t.task_key = 'consume' AND a.status = 'failed'`,
  );
  for (const r of badConsumers)
    flag('outputs', `run ${r.run_id}: consume attempt ${r.attempt_number} got a wrong token`);

  const violationCounts: Partial<Record<CheckName, number>> = {};
  const violations: Violation[] = [];
  for (const v of all) {
    const n = (violationCounts[v.check] = (violationCounts[v.check] ?? 0) + 1);
    if (n <= LIST_PER_CHECK) violations.push(v);
  }
  for (const [check, n] of Object.entries(violationCounts))
    if (n > LIST_PER_CHECK)
      violations.push({
        check: check as CheckName,
        message: `… and ${n - LIST_PER_CHECK} more ${check} violations`,
      });

  return {
    runs: sum(runsByStatus),
    runsByStatus,
    tasks: sum(tasksByStatus),
    tasksByStatus,
    attempts: sum(attemptsByStatus),
    attemptsByStatus,
    stuckRuns: stuckRuns.length,
    stuckTasks: stuckTasks.length,
    lostTasks,
    staleCompletionsAccepted,
    duplicateExecutions: analysis.duplicateExecutions,
    unrecordedDuplicates: analysis.unrecordedDuplicates,
    missingEffects: analysis.missingEffects,
    lateLostEffects: analysis.lateLostEffects,
    effectLines: analysis.lines,
    schedules,
    events: {
      published: events.published,
      webhooks: events.webhooks,
      runs: events.runs,
      duplicateFires: events.duplicateFires,
      missing: events.missing,
    },
    logs,
    submissionsUnanswered,
    violations,
    violationCounts,
  };
}

interface TaskFull {
  id: string;
  runId: string;
  task: string;
  status: string;
  attemptCount: number;
  pool: string;
  output: unknown;
  workerName: string | null;
}

interface AttemptFull {
  id: string;
  taskRunId: string;
  runId: string;
  task: string;
  attempt: number;
  status: string;
  workerName: string | null;
  output: unknown;
  finishedAt: Date;
}

async function readTasks(pool: Pool): Promise<TaskFull[]> {
  const { rows } = await pool.query<TaskFull>(
    `SELECT t.id, t.run_id AS "runId", t.task_key AS task, t.status::text AS status,
            t.attempt_count AS "attemptCount", t.pool, t.output, w.name AS "workerName"
       FROM task_runs t LEFT JOIN workers w ON w.id = t.worker_id`,
  );
  return rows;
}

async function readAttempts(pool: Pool): Promise<AttemptFull[]> {
  const { rows } = await pool.query<AttemptFull>(
    `SELECT a.id, a.task_run_id AS "taskRunId", a.run_id AS "runId", t.task_key AS task,
            a.attempt_number AS attempt, a.status::text AS status, w.name AS "workerName", a.output,
            a.finished_at AS "finishedAt"
       FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
       LEFT JOIN workers w ON w.id = a.worker_id`,
  );
  return rows;
}

async function countBy(pool: Pool, table: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    `SELECT status::text AS status, count(*)::int AS n FROM ${table} GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function checkSchedules(
  pool: Pool,
  flag: (check: CheckName, message: string) => void,
): Promise<CheckResults['schedules']> {
  const { rows: schedules } = await pool.query<{
    id: string;
    name: string;
    workflow: string;
    start_at: Date;
    end_at: Date;
    created_at: Date;
  }>(
    `SELECT s.id, s.name, w.name AS workflow, s.start_at, s.end_at, s.created_at
       FROM schedules s JOIN workflows w ON w.id = s.workflow_id ORDER BY w.name, s.name`,
  );
  const { rows: fires } = await pool.query<{ schedule_id: string; at: Date; runs: number }>(
    `SELECT schedule_id, logical_date AS at, count(*)::int AS runs FROM workflow_runs
      WHERE schedule_id IS NOT NULL GROUP BY 1, 2`,
  );
  let instants = 0;
  let runs = 0;
  let duplicateFires = 0;
  let missing = 0;
  for (const s of schedules) {
    const mine = new Map(
      fires.filter((f) => f.schedule_id === s.id).map((f) => [f.at.getTime(), f.runs]),
    );
    const name = `${s.workflow}/${s.name}`;
    const missed: number[] = [];
    // A schedule fires the instants after its creation (the suite creates them ahead of their
    // start; should that be late, the instants before creation, and the one at its edge, are not
    // owed).
    const from =
      s.created_at < s.start_at
        ? s.start_at.getTime()
        : (Math.floor(s.created_at.getTime() / 1000) + 2) * 1000;
    for (let t = s.start_at.getTime(); t <= s.end_at.getTime(); t += 1000) {
      if (t < from) {
        const n = mine.get(t) ?? 0;
        mine.delete(t);
        runs += n;
        if (n > 1) {
          duplicateFires += n - 1;
          flag('schedules', `${name}: instant ${iso(new Date(t))} has ${n} runs`);
        }
        continue;
      }
      instants++;
      const n = mine.get(t) ?? 0;
      mine.delete(t);
      runs += n;
      if (n === 0) missed.push(t);
      if (n > 1) {
        duplicateFires += n - 1;
        flag('schedules', `${name}: instant ${iso(new Date(t))} has ${n} runs`);
      }
    }
    missing += missed.length;
    if (missed.length)
      flag(
        'schedules',
        `${name}: ${missed.length} instants without a run (${missed
          .slice(0, 5)
          .map((t) => iso(new Date(t)))
          .join(', ')}${missed.length > 5 ? ', …' : ''})`,
      );
    for (const [t, n] of mine) {
      runs += n;
      flag('schedules', `${name}: ${n} runs at ${iso(new Date(t))}, outside its start/end`);
    }
  }
  return { count: schedules.length, instants, runs, duplicateFires, missing };
}

async function checkEvents(
  pool: Pool,
  submissions: Submission[],
  flag: (check: CheckName, message: string) => void,
) {
  const published = submissions.filter((s) => s.kind === 'event' && s.eventId);
  const webhooks = submissions.filter((s) => s.kind === 'webhook' && s.eventId);
  const { rows } = await pool.query<{
    id: string;
    processed: boolean;
    runs: number;
    max_per_trigger: number;
  }>(
    `SELECT e.id, e.processed_at IS NOT NULL AS processed,
            (SELECT count(*)::int FROM workflow_runs r WHERE r.event_id = e.id) AS runs,
            (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM workflow_runs r
              WHERE r.event_id = e.id GROUP BY r.trigger_id) per) AS max_per_trigger
       FROM events e`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  let duplicateFires = 0;
  let missing = 0;
  let missingTasks = 0;
  let runs = 0;
  for (const s of [...published, ...webhooks]) {
    const e = byId.get(s.eventId!);
    const what = `${s.kind} #${s.seq} (event ${s.eventId})`;
    if (!e) {
      missing++;
      flag('events', `${what} was acknowledged but is not stored`);
      continue;
    }
    runs += e.runs;
    if (!e.processed) flag('events', `${what} was never fanned out completely`);
    const expected = s.expectsRun ? 1 : 0;
    if (e.max_per_trigger > 1) {
      duplicateFires += e.runs - 1;
      flag('events', `${what} started ${e.runs} runs for one trigger`);
    } else if (e.runs !== expected) {
      if (e.runs < expected) {
        missing++;
        missingTasks += s.kind === 'event' ? 2 : 1;
      }
      flag('events', `${what} started ${e.runs} runs, expected ${expected}`);
    }
  }
  return {
    published: published.length,
    webhooks: webhooks.length,
    runs,
    duplicateFires,
    missing,
    missingTasks,
  };
}

async function checkLogs(
  pool: Pool,
  flag: (check: CheckName, message: string) => void,
): Promise<CheckResults['logs']> {
  const { rows } = await pool.query<{
    id: string;
    run_id: string;
    task_key: string;
    attempt_number: number;
    status: string;
    log_lines: number;
    log_truncated: boolean;
    stored: number;
    chunks: number;
    max_seq: number;
    has_begin: boolean;
    has_end: boolean;
    has_marker: boolean;
    exit_code: number | null;
    error: string | null;
  }>(
    `SELECT a.id, a.run_id, t.task_key, a.attempt_number, a.status::text, a.log_lines,
            a.log_truncated, a.exit_code, a.error,
            coalesce(sum(c.line_count), 0)::int AS stored, count(c.id)::int AS chunks,
            coalesce(max(c.seq), -1)::int AS max_seq,
            coalesce(bool_or(c.text LIKE '%chaos-begin%'), false) AS has_begin,
            coalesce(bool_or(c.text LIKE '%chaos-end%'), false) AS has_end,
            coalesce(bool_or(c.text ~ '(log truncated|lines lost|dropped: the log)'), false)
              AS has_marker
       FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
       LEFT JOIN log_chunks c ON c.attempt_id = a.id
      WHERE a.status IN ('succeeded', 'failed', 'timed_out')
      GROUP BY a.id, t.task_key`,
  );
  let withMarker = 0;
  const unstarted: string[] = [];
  for (const a of rows) {
    const where = `run ${a.run_id} task ${a.task_key} attempt ${a.attempt_number} (${a.status})`;
    if (a.has_marker || a.log_truncated) {
      withMarker++;
      continue;
    }
    // Failed without an exit code: the engine failed the attempt before or around its process
    // (its log holds the engine's error); only what was stored is checked.
    const ran = a.status !== 'failed' || a.exit_code !== null;
    if (!ran) unstarted.push(`${where}: ${a.error ?? 'no error recorded'}`);
    if (ran && (!a.has_begin || !a.has_end))
      flag(
        'logs',
        `${where}: its log lacks its ${a.has_begin ? '' : 'first'}${!a.has_begin && !a.has_end ? ' and ' : ''}${a.has_end ? '' : 'last'} line (${a.stored} lines in ${a.chunks} chunks) and has no truncation marker`,
      );
    else if (a.stored !== a.log_lines || a.chunks !== a.max_seq + 1)
      flag(
        'logs',
        `${where}: ${a.stored} lines in ${a.chunks} chunks (last seq ${a.max_seq}) stored, ${a.log_lines} recorded`,
      );
  }
  return { attempts: rows.length, withMarker, failedUnstarted: unstarted };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const iso = (d: Date) => d.toISOString().slice(11, 23);
