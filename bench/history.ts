/**
 * A team's run history written straight into the tables, in the shape the engine leaves it
 * (through the API it would take hours): every workflow of the team runs `runsPerWorkflow` times
 * spread evenly over `spanDays` days ending `endsDaysAgo` days ago, each run a chain of
 * `tasksPerRun` tasks; 1 run in 25 fails (its last task), every `retryEvery`-th run retries each
 * task once, and every `logsEvery`-th run has one log chunk per task. Returns the attempts written.
 */
export type Query = (
  sql: string,
  params?: unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

export interface HistoryShape {
  runsPerWorkflow: number;
  tasksPerRun: number;
  retryEvery: number;
  spanDays: number;
  endsDaysAgo: number;
  /** 0: no log lines. */
  logsEvery?: number;
}

export async function writeHistory(
  query: Query,
  teamId: string,
  shape: HistoryShape,
): Promise<number> {
  const { runsPerWorkflow, tasksPerRun, retryEvery, spanDays, endsDaysAgo } = shape;
  const workflows = (
    await query(`SELECT count(*)::int AS n FROM workflows WHERE team_id = $1`, [teamId])
  ).rows[0]!.n as number;
  // Run i of workflow w starts at (i + w / workflows) / runsPerWorkflow of the way through the span.
  await query(
    `WITH wf AS (
       SELECT w.id, v.id AS version_id, (row_number() OVER (ORDER BY w.name) - 1)::int AS n
         FROM workflows w
         JOIN LATERAL (SELECT id FROM workflow_versions WHERE workflow_id = w.id
                        ORDER BY version DESC LIMIT 1) v ON true
        WHERE w.team_id = $1)
     INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                trigger_kind, created_at, started_at, finished_at,
                                tasks_total, tasks_done, tasks_failed)
     SELECT $1, wf.id, wf.version_id, i,
            (CASE WHEN i % 25 = 7 THEN 'failed' ELSE 'succeeded' END)::"RunStatus", 'schedule',
            c, c + interval '1 second',
            c + interval '1 second' + make_interval(secs => $4 * 8 + (i % 13)),
            $4, $4, CASE WHEN i % 25 = 7 THEN 1 ELSE 0 END
       FROM wf CROSS JOIN generate_series(1, $2::int) i
      CROSS JOIN LATERAL (SELECT now() - make_interval(days => $5::int + $6::int) - interval '5 minutes'
             + ((i - 1 + wf.n::float8 / $3) / $2) * make_interval(days => $5::int) AS c) t`,
    [teamId, runsPerWorkflow, workflows, tasksPerRun, spanDays, endsDaysAgo],
  );
  await query(`UPDATE workflows SET next_run_number = $2 + 1 WHERE team_id = $1`, [
    teamId,
    runsPerWorkflow,
  ]);
  // Task k waits 50 ms to 2 s for a worker and runs 1 to 7 s.
  await query(
    `INSERT INTO task_runs (run_id, task_key, status, kind, pool, max_attempts, attempt_count,
                            upstream_total, queued_at, started_at, finished_at)
     SELECT r.id, 's' || k,
            (CASE WHEN k = $2 AND r.status = 'failed' THEN 'failed' ELSE 'succeeded' END)::"TaskStatus",
            'noop', (ARRAY['default', 'etl', 'gpu'])[1 + (r.number + k) % 3], 2,
            CASE WHEN r.number % $3 = 0 THEN 2 ELSE 1 END, least(k - 1, 1),
            q, q + make_interval(secs => 0.05 + (r.number * 7 + k * 13) % 20 / 10.0),
            q + make_interval(secs => 0.05 + (r.number * 7 + k * 13) % 20 / 10.0 + 1 + (r.number + k) % 7)
       FROM workflow_runs r CROSS JOIN generate_series(1, $2::int) k
      CROSS JOIN LATERAL (SELECT r.started_at + (k - 1) * interval '8 seconds' AS q) t
      WHERE r.team_id = $1`,
    [teamId, tasksPerRun, retryEvery],
  );
  // A retried task's first attempt failed just before the one that decided it.
  const inserted = await query(
    `WITH a AS (
       INSERT INTO task_attempts (task_run_id, run_id, attempt_number, status, started_at, finished_at)
       SELECT t.id, t.run_id, n,
              (CASE WHEN n < t.attempt_count THEN 'failed' ELSE t.status::text END)::"AttemptStatus",
              t.started_at - (t.attempt_count - n) * interval '2 seconds',
              CASE WHEN n < t.attempt_count THEN t.started_at - interval '1 second' ELSE t.finished_at END
         FROM workflow_runs r JOIN task_runs t ON t.run_id = r.id
        CROSS JOIN generate_series(1, t.attempt_count) n
        WHERE r.team_id = $1
       RETURNING 1)
     SELECT count(*)::int AS n FROM a`,
    [teamId],
  );
  if (shape.logsEvery) {
    await query(
      `INSERT INTO log_chunks (attempt_id, task_run_id, run_id, seq, first_line, line_count, bytes,
                               text, line_meta)
       SELECT a.id, a.task_run_id, a.run_id, 0, 0, 2, 23, 'starting' || chr(10) || 'done in 1 s',
              '[{"s":"stdout"},{"s":"stdout"}]'
         FROM workflow_runs r JOIN task_attempts a ON a.run_id = r.id
        WHERE r.team_id = $1 AND r.number % $2 = 0`,
      [teamId, shape.logsEvery],
    );
  }
  // A database that has grown to this size has been vacuumed on the way (autovacuum): measuring
  // right after a bulk load would time the vacuum of a million fresh rows instead.
  for (const table of ['workflow_runs', 'task_runs', 'task_attempts', 'log_chunks'])
    await query(`VACUUM (ANALYZE) ${table}`);
  return inserted.rows[0]!.n as number;
}
