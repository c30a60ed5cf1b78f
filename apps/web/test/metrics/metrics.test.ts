/**
 * GET /metrics of the three process kinds over real HTTP: the web app's route (cluster state from
 * the database, API requests), a real worker process and a real scheduler process (their own
 * servers on --metrics-port). A small workflow runs (a retry, a failure, a log) and the counters
 * must have moved; every family has a type and only bounded labels; DTSS_METRICS_TOKEN guards all
 * three; a database that cannot be reached gives `dtss_database_up 0`, not an error; and every
 * metric the Grafana dashboard and the Prometheus alert rules name is exported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createPool,
  createPrismaClient,
  createSchedule,
  getRun,
  type Pool,
  type PrismaClient,
  type RunView,
} from '@dtss/db';
import { createTestDatabase, freePort, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { workerProcessArgs } from '../../../worker/test/compiled-worker';
import { createTeam, createToken, saveWorkflow } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const WORKER_DIR = path.join(ROOT, 'apps/worker');
const METRICS_TOKEN = 'metrics-test-token';
const auth = { authorization: `Bearer ${METRICS_TOKEN}` };

const WORKFLOW = `
name: metrics-demo
tasks:
  hello:
    kind: shell
    command: echo hello from the metrics test
  after:
    kind: noop
    needs: [hello]
  flaky:
    kind: shell
    needs: [hello]
    retries: { maxAttempts: 2, backoff: fixed, initialDelay: 100ms }
    command: 'exit 3'
`;

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let web: RouteServer;
let worker: Proc;
let scheduler: Proc;
let apiToken: string;

interface Proc {
  child: ChildProcess;
  output: () => string;
  metricsUrl: string;
}

/** A worker or scheduler entry point as production starts it, with --metrics-port 0. */
async function spawnProcess(entry: 'main' | 'scheduler', args: string[]): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [...workerProcessArgs(entry), ...args, '--metrics-port', '0'],
    {
      cwd: WORKER_DIR,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        DTSS_METRICS_TOKEN: METRICS_TOKEN,
        DTSS_HOUSEKEEPING_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const port = await waitFor(
    async () => /metrics on :(\d+)\/metrics/.exec(out)?.[1],
    30_000,
    `the ${entry} process to serve its metrics`,
  );
  return { child, output: () => out, metricsUrl: `http://127.0.0.1:${port}/metrics` };
}

async function stopProcess(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  await exited;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ── The text format, read just enough to check it ───────────────────────────────────────────────

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Scrape {
  types: Map<string, string>;
  samples: Sample[];
}

function parseExposition(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!;
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url, { headers: auth });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** The sum of a metric's samples whose labels include `labels`. */
function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  return s.samples
    .filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))
    .reduce((sum, x) => sum + x.value, 0);
}

const ALLOWED_LABELS = new Set([
  'pool',
  'kind',
  'status',
  'trigger_kind',
  'procedure',
  'code',
  'db_pool',
  'event',
  'process',
  // prom-client's default metrics and histograms
  'le',
  'type',
  'space',
  'version',
  'major',
  'minor',
  'patch',
]);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function checkLabels(s: Scrape): void {
  for (const sample of s.samples) {
    for (const [k, v] of Object.entries(sample.labels)) {
      expect(ALLOWED_LABELS.has(k), `${sample.name} has label ${k}`).toBe(true);
      expect(UUID.test(v), `${sample.name}{${k}="${v}"} names an id`).toBe(false);
    }
  }
  for (const [name] of s.types) {
    if (!name.startsWith('dtss_')) continue;
    // Prometheus naming: counters end in _total, durations are in seconds, nothing else is _total.
    expect(
      s.types.get(name) === 'counter',
      `${name}: counters and only counters end in _total`,
    ).toBe(name.endsWith('_total'));
    expect(name, `${name}: base units`).not.toMatch(/_(ms|milliseconds|minutes|kb|mb)(_|$)/);
  }
}

// ──────────────────────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  db = await createTestDatabase('web_metrics');
  pool = createPool(db.url, { applicationName: 'metrics-test', max: 2 });
  prisma = createPrismaClient(db.url, { pool });
  const teamId = await createTeam(pool, 'metrics');
  apiToken = await createToken(pool, teamId, 'editor');
  await saveWorkflow(prisma, teamId, WORKFLOW);
  [web, worker, scheduler] = await Promise.all([
    startRouteServer(db.url, { DTSS_METRICS_TOKEN: METRICS_TOKEN, DTSS_METRICS_CACHE_MS: '0' }),
    spawnProcess('main', [
      '--name',
      'metrics-worker',
      '--heartbeat-ms',
      '200',
      '--poll-interval-ms',
      '100',
    ]),
    spawnProcess('scheduler', []),
  ]);
});

afterAll(async () => {
  await Promise.all([stopProcess(worker), stopProcess(scheduler), web?.stop()]);
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe('GET /metrics', () => {
  it('counts a run on the worker and the web process, and reads the cluster from the database', async () => {
    const res = await fetch(`${web.url}/api/trpc/runs.trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { workflow: 'metrics-demo' } }),
    });
    expect(res.status).toBe(200);
    const { id } = ((await res.json()) as { result: { data: { json: { run: { id: string } } } } })
      .result.data.json.run;
    const run = await waitFor(
      async () => {
        const view: RunView | null = await getRun(pool, id);
        return view && view.finishedAt ? view : null;
      },
      30_000,
      'the run to end',
    );
    expect(run.status).toBe('failed');

    // The run's end is counted once its completion is recorded: the worker reports it then.
    const w = await waitFor(
      async () => {
        const s = await scrape(worker.metricsUrl);
        return value(s, 'dtss_runs_finished_total') >= 1 && s;
      },
      10_000,
      'the worker to count the run',
    );
    expect(value(w, 'dtss_runs_finished_total', { status: 'failed', trigger_kind: 'api' })).toBe(1);
    expect(
      value(w, 'dtss_tasks_finished_total', {
        pool: 'default',
        kind: 'shell',
        status: 'succeeded',
      }),
    ).toBe(1);
    expect(value(w, 'dtss_tasks_finished_total', { kind: 'noop', status: 'succeeded' })).toBe(1);
    expect(value(w, 'dtss_tasks_finished_total', { kind: 'shell', status: 'failed' })).toBe(1);
    expect(value(w, 'dtss_task_retries_total', { pool: 'default', kind: 'shell' })).toBe(1);
    expect(value(w, 'dtss_task_attempts_total')).toBe(4);
    expect(value(w, 'dtss_task_duration_seconds_count', { kind: 'shell' })).toBe(3);
    // First attempts only: a retry's wait is its back-off.
    expect(value(w, 'dtss_task_queue_wait_seconds_count', { pool: 'default' })).toBe(3);
    expect(value(w, 'dtss_task_claims_total', { pool: 'default' })).toBe(4);
    expect(value(w, 'dtss_log_bytes_written_total', { pool: 'default' })).toBeGreaterThan(20);
    expect(value(w, 'dtss_worker_slots')).toBe(4);
    expect(value(w, 'dtss_db_pool_connections_max', { db_pool: 'heartbeat' })).toBe(1);
    expect(value(w, 'dtss_process_info', { process: 'worker' })).toBe(1);
    expect(w.types.get('dtss_task_duration_seconds')).toBe('histogram');
    expect(w.types.get('dtss_tasks_finished_total')).toBe('counter');
    expect(w.types.get('dtss_worker_heartbeat_age_seconds')).toBe('gauge');
    expect(w.samples.some((x) => x.name === 'process_cpu_user_seconds_total')).toBe(true);
    checkLabels(w);

    const wb = await waitFor(
      async () => {
        const s = await scrape(`${web.url}/metrics`);
        return value(s, 'dtss_scheduler_leader_present') === 1 && s;
      },
      15_000,
      'the web process to see the leader',
    );
    expect(value(wb, 'dtss_database_up')).toBe(1);
    expect(value(wb, 'dtss_runs_started_total', { trigger_kind: 'api' })).toBe(1);
    expect(value(wb, 'dtss_api_requests_total', { procedure: 'runs.trigger', code: 'OK' })).toBe(1);
    expect(
      value(wb, 'dtss_api_request_duration_seconds_count', { procedure: 'runs.trigger' }),
    ).toBe(1);
    expect(value(wb, 'dtss_workers', { status: 'active' })).toBe(1);
    expect(value(wb, 'dtss_runs', { status: 'running' })).toBe(0);
    expect(wb.types.get('dtss_runs')).toBe('gauge');
    expect(wb.types.get('dtss_queue_depth')).toBe('gauge');
    expect(wb.types.get('dtss_api_request_duration_seconds')).toBe('histogram');
    checkLabels(wb);

    const sc = await scrape(scheduler.metricsUrl);
    expect(value(sc, 'dtss_scheduler_is_leader')).toBe(1);
    expect(value(sc, 'dtss_scheduler_leader_changes_total', { event: 'elected' })).toBe(1);
    expect(sc.types.get('dtss_schedule_fire_delay_seconds')).toBe('histogram');
    checkLabels(sc);
  });

  it('reads tasks waiting in a pool nobody serves as queue depth and age; counts a cancel', async () => {
    const teamId = await createTeam(pool, 'metrics-queue');
    await saveWorkflow(
      prisma,
      teamId,
      `
name: nobody-serves
tasks:
  waits: { kind: noop, pool: unserved }
`,
    );
    const token = await createToken(pool, teamId, 'editor');
    const res = await fetch(`${web.url}/api/trpc/runs.trigger`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { workflow: 'nobody-serves' } }),
    });
    expect(res.status).toBe(200);
    const s = await scrape(`${web.url}/metrics`);
    expect(value(s, 'dtss_queue_depth', { pool: 'unserved' })).toBe(1);
    expect(value(s, 'dtss_tasks', { pool: 'unserved', status: 'queued' })).toBe(1);
    expect(value(s, 'dtss_queue_oldest_age_seconds', { pool: 'unserved' })).toBeGreaterThanOrEqual(
      0,
    );
    expect(value(s, 'dtss_runs', { status: 'running' })).toBe(1);

    // Nothing of it runs: the cancel ends the run in the web process, which counts it.
    const { id } = ((await res.json()) as { result: { data: { json: { run: { id: string } } } } })
      .result.data.json.run;
    const cancel = await fetch(`${web.url}/api/trpc/runs.cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { runId: id } }),
    });
    expect(cancel.status).toBe(200);
    const after = await scrape(`${web.url}/metrics`);
    expect(
      value(after, 'dtss_runs_finished_total', { status: 'cancelled', trigger_kind: 'api' }),
    ).toBe(1);
    expect(value(after, 'dtss_queue_depth', { pool: 'unserved' })).toBe(0);
    expect(value(after, 'dtss_runs', { status: 'running' })).toBe(0);
  });

  it('answers only with the bearer token when DTSS_METRICS_TOKEN is set', async () => {
    for (const url of [`${web.url}/metrics`, worker.metricsUrl, scheduler.metricsUrl]) {
      expect((await fetch(url)).status, url).toBe(401);
      const wrong = await fetch(url, { headers: { authorization: 'Bearer not-the-token' } });
      expect(wrong.status, url).toBe(401);
      expect((await fetch(url, { headers: auth })).status, url).toBe(200);
    }
  });

  it('answers with dtss_database_up 0 when the database cannot be reached', async () => {
    const deadUrl = new URL(db.url);
    deadUrl.port = String(await freePort());
    const down = await startRouteServer(deadUrl.toString(), { DTSS_METRICS_TOKEN: '' });
    try {
      const started = Date.now();
      const res = await fetch(`${down.url}/metrics`);
      expect(res.status).toBe(200);
      const s = parseExposition(await res.text());
      expect(value(s, 'dtss_database_up')).toBe(0);
      expect(s.samples.some((x) => x.name === 'dtss_runs')).toBe(false);
      expect(value(s, 'dtss_process_info', { process: 'web' })).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await down.stop();
    }
  });

  it('exports every metric the Grafana dashboard and the alert rules name', async () => {
    const families = new Map<string, string>();
    for (const url of [`${web.url}/metrics`, worker.metricsUrl, scheduler.metricsUrl]) {
      for (const [name, type] of (await scrape(url)).types) families.set(name, type);
    }
    const exists = (name: string) => {
      if (families.has(name)) return true;
      const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
      return base !== undefined && families.get(base) === 'histogram';
    };
    const names = (expr: string) => [...expr.matchAll(/\bdtss_[a-z_]+/g)].map((m) => m[0]);

    const dashboard = JSON.parse(
      readFileSync(path.join(ROOT, 'deploy/grafana/dtss-dashboard.json'), 'utf8'),
    ) as { panels: { targets?: { expr: string }[] }[] };
    const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const alerts = parseYaml(
      readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8'),
    ) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const alertExprs = alerts.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(dashboardExprs.length).toBeGreaterThan(10);
    expect(alertExprs.length).toBeGreaterThan(5);

    const named = new Set([...dashboardExprs, ...alertExprs].flatMap(names));
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((n) => !exists(n))).toEqual([]);
  });
  it('counts a schedule fire on the scheduler: its delay and the run it started', async () => {
    const teamId = await createTeam(pool, 'metrics-schedule');
    const saved = await saveWorkflow(
      prisma,
      teamId,
      'name: ticking\ntasks:\n  a: { kind: noop }\n',
    );
    await createSchedule(pool, {
      teamId,
      workflowId: saved.workflowId,
      name: 'every-second',
      cron: '* * * * * *',
      overlapPolicy: 'allow_all',
    });
    const s = await waitFor(
      async () => {
        const scraped = await scrape(scheduler.metricsUrl);
        return value(scraped, 'dtss_schedule_fire_delay_seconds_count') >= 1 && scraped;
      },
      15_000,
      'a schedule fire',
    );
    expect(
      value(s, 'dtss_runs_started_total', { trigger_kind: 'schedule' }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(s, 'dtss_schedule_fire_delay_seconds_bucket', { le: '+Inf' })).toBe(
      value(s, 'dtss_schedule_fire_delay_seconds_count'),
    );
  });
});
