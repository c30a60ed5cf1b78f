/**
 * The API behind the dashboards and the runs list on a large history (`npm run bench -- ui`):
 *
 * - dashboard_1m_attempts_p99_ms: `metrics.summary` for each of the dashboard's ranges (last hour,
 *   24 hours, 7 days, 30 days), timed as the browser calls it (HTTP, session cookie, tRPC);
 * - runs_list_1m_attempts_p99_ms: `runs.list`'s first page as the runs list asks for it (no filter,
 *   a status filter, one workflow);
 *
 * on a team whose history the benchmark writes itself: 200 workflows, each run every 45 minutes
 * for 30 days (192,000 runs of 5 tasks, 960,000 tasks), 1 run in 24 retrying every task once:
 * 1,000,000 task attempts. The history goes straight into the tables (through the API it would
 * take hours), in the shape the engine leaves it.
 */
import type { APIRequestContext } from '@playwright/test';
import { writeHistory, type Query } from './history';
import { percentile } from './stats';

export interface UiMetricsResult {
  dashboard_1m_attempts_p99_ms: number;
  runs_list_1m_attempts_p99_ms: number;
  samples: {
    attempts: number;
    dashboard: Record<string, { p50: number; p99: number }>;
    runsList: Record<string, { p50: number; p99: number }>;
  };
}

const WORKFLOWS = 200;
const RUNS_PER_WORKFLOW = 960;
const TASKS_PER_RUN = 5;
/** Every RETRY_EVERY-th run of a workflow retries each of its tasks once. */
const RETRY_EVERY = 24;
const CALLS = Number(process.env.BENCH_METRICS_CALLS ?? 25);

const HOUR = 3_600_000;
const RANGES = {
  '1h': { ms: HOUR, bucket: 'minute' },
  '24h': { ms: 24 * HOUR, bucket: 'hour' },
  '7d': { ms: 7 * 24 * HOUR, bucket: 'hour' },
  '30d': { ms: 30 * 24 * HOUR, bucket: 'day' },
} as const;

export async function runMetricsBench(
  request: APIRequestContext,
  query: Query,
  log: (line: string) => void,
): Promise<UiMetricsResult> {
  const teamSlug = `bench-1m-${Date.now().toString(36)}`;
  await call(request, 'teams.create', { name: 'Bench 1M', slug: teamSlug }, 'POST');
  const started = performance.now();
  for (let i = 0; i < WORKFLOWS; i++) {
    const name = `m-${String(i).padStart(3, '0')}`;
    const tasks = Array.from({ length: TASKS_PER_RUN }, (_, k) =>
      [
        `  s${k + 1}:`,
        '    kind: noop',
        k > 0 ? `    needs: [s${k}]` : '',
        `    pool: ${['default', 'etl', 'gpu'][i % 3]}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    await call(
      request,
      'workflows.applyDefinition',
      { teamSlug, format: 'yaml', text: `name: ${name}\ntasks:\n${tasks.join('\n')}\n` },
      'POST',
    );
  }
  const teamId = (await query(`SELECT id FROM teams WHERE slug = $1`, [teamSlug])).rows[0]!
    .id as string;
  const attempts = await writeHistory(query, teamId, {
    runsPerWorkflow: RUNS_PER_WORKFLOW,
    tasksPerRun: TASKS_PER_RUN,
    retryEvery: RETRY_EVERY,
    spanDays: 30,
    endsDaysAgo: 0,
  });
  log(
    `ui: metrics: ${WORKFLOWS} workflows, ${attempts.toLocaleString('en-US')} task attempts written in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  // History written into the past is not in the hourly rollup: start it over, and wait for the
  // scheduler to roll every closed hour up, as it does on a first start.
  const rollStart = performance.now();
  await query('UPDATE metrics_rollup SET rolled_until = NULL');
  const closed = Math.floor((Date.now() - 2 * 60_000) / HOUR) * HOUR;
  for (;;) {
    const { rows } = await query('SELECT rolled_until AS at FROM metrics_rollup WHERE id = 1');
    const at = rows[0]?.at as Date | null | undefined;
    if (at && at.getTime() >= closed) break;
    if (performance.now() - rollStart > 600_000)
      throw new Error('the scheduler did not roll the history up within 10 minutes');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  log(
    `ui: metrics: the scheduler rolled 30 days up in ${((performance.now() - rollStart) / 1000).toFixed(0)} s`,
  );
  for (const table of ['metrics_task_hours', 'metrics_run_hours', 'metrics_run_days'])
    await query(`VACUUM (ANALYZE) ${table}`);

  const now = Date.now();
  const dashboard: Record<string, number[]> = {};
  for (const [key, range] of Object.entries(RANGES)) {
    const input = {
      teamSlug,
      from: new Date(now - range.ms).toISOString(),
      to: new Date(now).toISOString(),
      bucket: range.bucket,
    };
    await timed(request, 'metrics.summary', input); // plans and caches warm
    dashboard[key] = [];
    for (let i = 0; i < CALLS; i++)
      dashboard[key].push(await timed(request, 'metrics.summary', input));
  }
  const workflowId = (
    await query(
      `SELECT w.id FROM workflows w JOIN teams t ON t.id = w.team_id
                  WHERE t.slug = $1 ORDER BY w.name LIMIT 1`,
      [teamSlug],
    )
  ).rows[0]!.id as string;
  const lists = {
    all: { teamSlug, limit: 50 },
    failed: { teamSlug, status: ['failed'], limit: 50 },
    workflow: { teamSlug, workflow: workflowId, limit: 50 },
  };
  const runsList: Record<string, number[]> = {};
  for (const [key, input] of Object.entries(lists)) {
    await timed(request, 'runs.list', input);
    runsList[key] = [];
    for (let i = 0; i < CALLS; i++) runsList[key].push(await timed(request, 'runs.list', input));
  }
  const figures = (xs: Record<string, number[]>) =>
    Object.fromEntries(
      Object.entries(xs).map(([k, v]) => [
        k,
        { p50: Math.round(percentile(v, 50)), p99: Math.round(percentile(v, 99)) },
      ]),
    );
  const show = (xs: Record<string, number[]>) =>
    Object.entries(figures(xs))
      .map(([k, f]) => `${k} p50 ${f.p50} / p99 ${f.p99}`)
      .join(', ');
  log(`ui: metrics.summary on 1M attempts (ms): ${show(dashboard)}`);
  log(`ui: runs.list on 1M attempts (ms): ${show(runsList)}`);
  return {
    dashboard_1m_attempts_p99_ms: Math.round(percentile(Object.values(dashboard).flat(), 99)),
    runs_list_1m_attempts_p99_ms: Math.round(percentile(Object.values(runsList).flat(), 99)),
    samples: { attempts, dashboard: figures(dashboard), runsList: figures(runsList) },
  };
}

async function timed(request: APIRequestContext, procedure: string, input: unknown) {
  const t0 = performance.now();
  await call(request, procedure, input, 'GET');
  return performance.now() - t0;
}

async function call(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
  method: 'GET' | 'POST',
): Promise<unknown> {
  const res =
    method === 'GET'
      ? await request.get(
          `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
        )
      : await request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${procedure} failed: ${res.status()} ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { result: { data: { json: unknown } } }).result.data.json;
}

export function uiMetricsTargets(r: Omit<UiMetricsResult, 'samples'>) {
  return [
    {
      name: 'dashboard_1m_attempts_p99_ms ≤ 300',
      value: r.dashboard_1m_attempts_p99_ms,
      pass: r.dashboard_1m_attempts_p99_ms <= 300,
    },
    {
      name: 'runs_list_1m_attempts_p99_ms ≤ 100',
      value: r.runs_list_1m_attempts_p99_ms,
      pass: r.runs_list_1m_attempts_p99_ms <= 100,
    },
  ];
}
