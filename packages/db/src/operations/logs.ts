// Task logs in `log_chunks`: one row per batch of lines of an attempt, announced on the
// `dtss_logs` channel by the very statement that inserts it (a listener never hears of a chunk it
// cannot read yet, and never misses a committed one).
import type { Pool } from '../pool';

export const LOG_CHANNEL = 'dtss_logs';

export type LogStream = 'stdout' | 'stderr' | 'system';

/** Per stored line: when it was written (ISO 8601) and from which stream. */
export interface LogLineMeta {
  t: string;
  s: LogStream;
}

export interface LogChunkInput {
  attemptId: string;
  taskRunId: string;
  runId: string;
  /** 0, 1, … within the attempt. */
  seq: number;
  /** Attempt-wide number of the chunk's first line (0-based). */
  firstLine: number;
  /** Lines without newlines (and without NUL, which Postgres text refuses). */
  lines: readonly string[];
  meta: readonly LogLineMeta[];
}

/** The payload of a `dtss_logs` notification. */
export interface LogNotice {
  runId: string;
  taskRunId: string;
  attemptId: string;
  seq: number;
}

type Queryable = Pick<Pool, 'query'>;

export interface AppendLogOptions {
  /**
   * Store the chunk only while its attempt is open (its task `running` that attempt), as a worker
   * writing its attempt's lines does: once the attempt was closed elsewhere (its worker declared
   * lost and swept, say), a late writer's lines are not its log any more.
   */
  whileAttemptOpen?: boolean;
}

/**
 * Inserts one chunk and notifies in the same statement. Idempotent per (attemptId, seq): a retry
 * after a lost reply finds the row and returns false. False too when `whileAttemptOpen` refused it.
 */
export async function appendLogChunk(
  db: Queryable,
  chunk: LogChunkInput,
  opts: AppendLogOptions = {},
): Promise<boolean> {
  if (chunk.lines.length === 0) return false;
  if (chunk.lines.length !== chunk.meta.length) {
    throw new Error(`log chunk has ${chunk.lines.length} lines but ${chunk.meta.length} metas`);
  }
  const text = chunk.lines.join('\n');
  const { rowCount } = await db.query(
    `WITH ins AS (
       INSERT INTO log_chunks (attempt_id, task_run_id, run_id, seq, first_line, line_count, bytes,
                               text, line_meta)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::int, $5::int, $6::int, $7::int, $8::text, $9::jsonb
        WHERE NOT $11::boolean
           OR EXISTS (SELECT 1 FROM task_runs
                       WHERE id = $2::uuid AND status = 'running' AND attempt_id = $1::uuid)
       ON CONFLICT (attempt_id, seq) DO NOTHING
       RETURNING attempt_id, task_run_id, run_id, seq)
     SELECT pg_notify($10, json_build_object('runId', run_id, 'taskRunId', task_run_id,
                                             'attemptId', attempt_id, 'seq', seq)::text)
       FROM ins`,
    [
      chunk.attemptId,
      chunk.taskRunId,
      chunk.runId,
      chunk.seq,
      chunk.firstLine,
      chunk.lines.length,
      Buffer.byteLength(text),
      text,
      JSON.stringify(chunk.meta),
      LOG_CHANNEL,
      opts.whileAttemptOpen === true,
    ],
  );
  return rowCount === 1;
}

export interface LogLine {
  attemptId: string;
  taskRunId: string;
  /** log_chunks.id (bigint as a string): the cursor of readRunLog. */
  chunkId: string;
  /** The chunk's seq within its attempt: the cursor of readAttemptLog. */
  seq: number;
  /** Line number within the attempt (0-based). */
  line: number;
  text: string;
  stream: LogStream;
  time: string;
}

export interface ReadLogOptions {
  /** Most chunks to read (each holds up to a few thousand lines). Default 100. */
  limit?: number;
}

/** An attempt's lines after chunk `afterSeq` (default: from the start), in order. */
export async function readAttemptLog(
  db: Queryable,
  attemptId: string,
  opts: ReadLogOptions & { afterSeq?: number } = {},
): Promise<LogLine[]> {
  const { rows } = await db.query<ChunkRow>(
    `${SELECT_CHUNKS} WHERE attempt_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [attemptId, opts.afterSeq ?? -1, opts.limit ?? 100],
  );
  return rows.flatMap(toLines);
}

/**
 * A run's lines, all attempts, in insertion order after chunk id `afterId`: a client streams a run
 * by passing the last line's chunkId, e.g. on each `dtss_logs` notification.
 */
export async function readRunLog(
  db: Queryable,
  runId: string,
  opts: ReadLogOptions & { afterId?: string } = {},
): Promise<LogLine[]> {
  const { rows } = await db.query<ChunkRow>(
    `${SELECT_CHUNKS} WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [runId, opts.afterId ?? '0', opts.limit ?? 100],
  );
  return rows.flatMap(toLines);
}

const SELECT_CHUNKS = `SELECT id::text AS id, attempt_id AS "attemptId", task_run_id AS "taskRunId",
                              seq, first_line AS "firstLine", text, line_meta AS "lineMeta"
                         FROM log_chunks`;

export interface ChunkRow {
  id: string;
  attemptId: string;
  taskRunId: string;
  seq: number;
  firstLine: number;
  text: string;
  lineMeta: LogLineMeta[];
}

/** A stored chunk as its lines (the line numbers and streams its metadata records). */
export function toLines(row: ChunkRow): LogLine[] {
  return row.text.split('\n').map((text, i) => ({
    attemptId: row.attemptId,
    taskRunId: row.taskRunId,
    chunkId: row.id,
    seq: row.seq,
    line: row.firstLine + i,
    text,
    stream: row.lineMeta[i]?.s ?? 'system',
    time: row.lineMeta[i]?.t ?? '',
  }));
}
