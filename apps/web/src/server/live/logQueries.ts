// The reads behind a run's log stream. Both return chunks the cursor has not covered, in the
// order they were stored; callers advance the cursor and read again until nothing is left.
import type { LogLineMeta, LogStream, Pool } from '@dtss/db';
import type { AttemptRef, LogCursor } from './logCursor';

export interface LogFilter {
  /** task_runs.id of the `?task=` filter. */
  taskRunId?: string;
  /** With taskRunId: only this attempt number. */
  attemptNumber?: number;
}

export interface StoredChunk {
  id: string;
  attemptId: string;
  seq: number;
  firstLine: number;
  lines: { line: number; text: string; stream: LogStream; time: string }[];
}

export interface RunTask {
  taskRunId: string;
  key: string;
  index: number;
}

/** The run's tasks sorted by key: a task's index there names it in log cursors. */
export async function readRunTasks(pool: Pool, runId: string): Promise<RunTask[]> {
  const { rows } = await pool.query<RunTask>(
    `SELECT id AS "taskRunId", task_key AS key,
            (row_number() OVER (ORDER BY task_key COLLATE "C") - 1)::int AS index
       FROM task_runs WHERE run_id = $1 ORDER BY index`,
    [runId],
  );
  return rows;
}

/** Every attempt of the run so far. */
export async function readRunAttempts(
  pool: Pool,
  runId: string,
  tasks: readonly RunTask[],
): Promise<AttemptRef[]> {
  const byId = new Map(tasks.map((t) => [t.taskRunId, t]));
  const { rows } = await pool.query<{ id: string; taskRunId: string; number: number }>(
    `SELECT id, task_run_id AS "taskRunId", attempt_number AS number
       FROM task_attempts_all WHERE task_run_id IN (SELECT id FROM task_runs WHERE run_id = $1)`,
    [runId],
  );
  return rows.flatMap((r) => {
    const task = byId.get(r.taskRunId);
    return task
      ? [{ attemptId: r.id, taskKey: task.key, taskIndex: task.index, attemptNumber: r.number }]
      : [];
  });
}

const CHUNK_COLUMNS = `lc.id::text AS id, lc.attempt_id AS "attemptId", lc.seq,
                       lc.first_line AS "firstLine", lc.text, lc.line_meta AS "lineMeta"`;

interface ChunkRow {
  id: string;
  attemptId: string;
  seq: number;
  firstLine: number;
  text: string;
  lineMeta: LogLineMeta[];
}

/** Unsent chunks of the whole run (start, resume, resync): one scan of the run's chunks. */
export async function readUnsentRunChunks(
  pool: Pool,
  runId: string,
  cursor: LogCursor,
  filter: LogFilter,
  limit: number,
): Promise<StoredChunk[]> {
  const { rows } = await pool.query<ChunkRow>(
    `SELECT ${CHUNK_COLUMNS}
       FROM log_chunks lc
       JOIN task_attempts_all a ON a.task_run_id = lc.task_run_id AND a.id = lc.attempt_id
       LEFT JOIN unnest($2::uuid[], $3::int[]) AS c(attempt_id, seq) ON c.attempt_id = lc.attempt_id
      WHERE lc.run_id = $1 AND lc.seq > coalesce(c.seq, -1)
        AND ($4::uuid IS NULL OR lc.task_run_id = $4)
        AND ($5::int IS NULL OR a.attempt_number = $5)
      ORDER BY lc.id LIMIT $6`,
    [
      runId,
      [...cursor.keys()],
      [...cursor.values()],
      filter.taskRunId ?? null,
      filter.attemptNumber ?? null,
      limit,
    ],
  );
  return rows.map(toChunk);
}

/** Unsent chunks of one attempt (a `dtss_logs` notice named it): an index range read. */
export async function readUnsentAttemptChunks(
  pool: Pool,
  attemptId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredChunk[]> {
  const { rows } = await pool.query<ChunkRow>(
    `SELECT ${CHUNK_COLUMNS} FROM log_chunks lc
      WHERE lc.attempt_id = $1 AND lc.seq > $2 ORDER BY lc.seq LIMIT $3`,
    [attemptId, afterSeq, limit],
  );
  return rows.map(toChunk);
}

function toChunk(row: ChunkRow): StoredChunk {
  return {
    id: row.id,
    attemptId: row.attemptId,
    seq: row.seq,
    firstLine: row.firstLine,
    lines: row.text.split('\n').map((text, i) => ({
      line: row.firstLine + i,
      text,
      stream: row.lineMeta[i]?.s ?? 'system',
      time: row.lineMeta[i]?.t ?? '',
    })),
  };
}
