/**
 * The engine's spans, read from the rows that hold their times. Each span is emitted once, by the
 * process that records its end: the worker the attempt span when it records an attempt (parent:
 * its task's span), the task span when that attempt ends the task, and the run span when its
 * completion ends the run; a cancel or timeout that ends a run at once (web, scheduler) the run
 * span. Tasks that ended without an attempt (skipped, cancelled while waiting) are emitted with
 * their run. One read per recorded attempt, only when tracing is enabled.
 */
import type { Pool } from '../pool';
import { spanIdOf, traceIdOf } from './ids';

export interface SpanRecord {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  start: Date;
  end: Date;
  attributes: Record<string, string | number>;
  /** Span status ERROR with this message; null: OK. */
  error: string | null;
}

const ERROR_STATUSES = new Set(['failed', 'timed_out', 'lost']);

function errorOf(status: string, error: string | null): string | null {
  return ERROR_STATUSES.has(status) ? (error ?? status) : null;
}

interface TaskRow {
  id: string;
  run_id: string;
  task_key: string;
  pool: string;
  kind: string;
  status: string;
  queued_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
}

function taskSpan(t: TaskRow, workflow: string): SpanRecord {
  const end = t.finished_at ?? new Date();
  return {
    name: `task ${t.task_key}`,
    traceId: traceIdOf(t.run_id),
    spanId: spanIdOf('task', t.id),
    parentSpanId: spanIdOf('run', t.run_id),
    start: t.started_at ?? t.queued_at ?? end,
    end,
    attributes: {
      'dtss.run.id': t.run_id,
      'dtss.workflow': workflow,
      'dtss.task.key': t.task_key,
      'dtss.task.kind': t.kind,
      'dtss.pool': t.pool,
      'dtss.status': t.status,
    },
    error: errorOf(t.status, t.error),
  };
}

/** The spans a recorded attempt ends: its own, its task's if it ended it, its run's if ended. */
export async function attemptEndSpans(
  pool: Pool,
  attemptId: string,
  ended: { task: boolean; run: boolean },
): Promise<SpanRecord[]> {
  const { rows } = await pool.query<
    TaskRow & {
      attempt_number: number;
      worker_id: string | null;
      a_status: string;
      a_started_at: Date;
      a_finished_at: Date | null;
      a_error: string | null;
      workflow: string;
    }
  >(
    `SELECT a.attempt_number, a.worker_id, a.status AS a_status, a.started_at AS a_started_at,
            a.finished_at AS a_finished_at, a.error AS a_error,
            t.id, t.run_id, t.task_key, t.pool, t.kind, t.status, t.queued_at, t.started_at,
            t.finished_at, t.error, w.name AS workflow
       FROM task_attempts a
       JOIN task_runs t ON t.id = a.task_run_id
       JOIN workflow_runs r ON r.id = t.run_id
       JOIN workflows w ON w.id = r.workflow_id
      WHERE a.id = $1`,
    [attemptId],
  );
  const a = rows[0];
  if (!a) return [];
  const spans: SpanRecord[] = [
    {
      name: `attempt ${a.task_key} #${a.attempt_number}`,
      traceId: traceIdOf(a.run_id),
      spanId: spanIdOf('attempt', attemptId),
      parentSpanId: spanIdOf('task', a.id),
      start: a.a_started_at,
      end: a.a_finished_at ?? new Date(),
      attributes: {
        'dtss.run.id': a.run_id,
        'dtss.workflow': a.workflow,
        'dtss.task.key': a.task_key,
        'dtss.attempt.number': a.attempt_number,
        'dtss.attempt.id': attemptId,
        'dtss.pool': a.pool,
        'dtss.status': a.a_status,
        ...(a.worker_id ? { 'dtss.worker.id': a.worker_id } : {}),
      },
      error: errorOf(a.a_status, a.a_error),
    },
  ];
  if (ended.task) {
    // The task's span starts with its first attempt (started_at is the latest attempt's start).
    const first = await pool.query<{ started_at: Date }>(
      `SELECT min(started_at) AS started_at FROM task_attempts WHERE task_run_id = $1`,
      [a.id],
    );
    spans.push(
      taskSpan({ ...a, started_at: first.rows[0]?.started_at ?? a.started_at }, a.workflow),
    );
  }
  if (ended.run) spans.push(...(await runEndSpans(pool, a.run_id)));
  return spans;
}

/** A run's span, and those of its tasks that ended without an attempt (skipped, cancelled). */
export async function runEndSpans(pool: Pool, runId: string): Promise<SpanRecord[]> {
  const run = await pool.query<{
    status: string;
    trigger_kind: string;
    number: number;
    created_at: Date;
    started_at: Date | null;
    finished_at: Date | null;
    error: string | null;
    workflow: string;
  }>(
    `SELECT r.status, r.trigger_kind, r.number, r.created_at, r.started_at, r.finished_at, r.error,
            w.name AS workflow
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE r.id = $1`,
    [runId],
  );
  const r = run.rows[0];
  if (!r) return [];
  const spans: SpanRecord[] = [
    {
      name: `run ${r.workflow} #${r.number}`,
      traceId: traceIdOf(runId),
      spanId: spanIdOf('run', runId),
      start: r.created_at,
      end: r.finished_at ?? new Date(),
      attributes: {
        'dtss.run.id': runId,
        'dtss.workflow': r.workflow,
        'dtss.run.number': r.number,
        'dtss.trigger': r.trigger_kind,
        'dtss.status': r.status,
      },
      error: errorOf(r.status, r.error),
    },
  ];
  const tasks = await pool.query<TaskRow>(
    `SELECT id, run_id, task_key, pool, kind, status, queued_at, started_at, finished_at, error
       FROM task_runs WHERE run_id = $1 AND attempt_count = 0`,
    [runId],
  );
  for (const t of tasks.rows) {
    spans.push(taskSpan({ ...t, finished_at: t.finished_at ?? r.finished_at }, r.workflow));
  }
  return spans;
}
