/**
 * Searching a run's logs. Chunks are filtered in SQL (case-insensitive substring), then their
 * lines; results come in log order with the task they belong to.
 */
import type { Pool } from '../pool';
import { toLines, type LogLine, type LogLineMeta } from './logs';

type Queryable = Pick<Pool, 'query'>;

export interface LogSearchHit extends LogLine {
  task: string;
  attempt: number;
}

/** Up to `limit` lines of the run containing `query`, from chunk id `afterChunkId` on. */
export async function searchRunLogs(
  db: Queryable,
  runId: string,
  query: string,
  opts: { limit: number; afterChunkId?: string | null },
): Promise<{ hits: LogSearchHit[]; nextCursor: string | null }> {
  const chunkBatch = 50;
  const needle = query.toLowerCase();
  const hits: LogSearchHit[] = [];
  let after = opts.afterChunkId ?? '0';
  for (;;) {
    const { rows } = await db.query<{
      id: string;
      attemptId: string;
      taskRunId: string;
      seq: number;
      firstLine: number;
      text: string;
      lineMeta: LogLineMeta[];
      task: string;
      attempt: number;
    }>(
      `SELECT c.id::text AS id, c.attempt_id AS "attemptId", c.task_run_id AS "taskRunId", c.seq,
              c.first_line AS "firstLine", c.text, c.line_meta AS "lineMeta",
              t.task_key AS task, a.attempt_number AS attempt
         FROM log_chunks c JOIN task_runs t ON t.id = c.task_run_id
         JOIN task_attempts_all a ON a.task_run_id = c.task_run_id AND a.id = c.attempt_id
        WHERE c.run_id = $1 AND c.id > $2::bigint AND strpos(lower(c.text), $3) > 0
        ORDER BY c.id LIMIT $4`,
      [runId, after, needle, chunkBatch],
    );
    for (const row of rows) {
      for (const line of toLines(row)) {
        if (line.text.toLowerCase().includes(needle)) {
          hits.push({ ...line, task: row.task, attempt: row.attempt });
        }
      }
      after = row.id;
      // Whole chunks only, so the cursor (a chunk id) never skips a hit.
      if (hits.length >= opts.limit) return { hits, nextCursor: after };
    }
    if (rows.length < chunkBatch) return { hits, nextCursor: null };
  }
}
