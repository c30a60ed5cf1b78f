/**
 * `npm run bench`: DTSS next to raw graphile-worker, on one Postgres server, in one run.
 *
 * 1. Starts the embedded test cluster (fsync off) with pg_stat_statements preloaded, and creates
 *    two databases on it: one for the graphile baseline, one for DTSS.
 * 2. Baseline: 2 raw graphile-worker processes; warm-up, chain, throughput, pickup, profile.
 * 3. DTSS: 2 worker processes with the same settings; warm-up, chains, throughput, fan-out,
 *    trigger → start, profile.
 * 4. Writes bench/results/latest.json and prints the table. Exits 0 when targets are missed
 *    (this is a measurement), non-zero only when something broke.
 *
 * Settings: BENCH_CONCURRENCY (per worker process, default 8). `npm run bench -- throughput`: only
 * the throughput scenario (BENCH_TP_REPEATS repeats, BENCH_PROFILE=1 prints the top statements).
 * BENCH_NODE_ARGS: extra Node flags for the worker processes (e.g. `--cpu-prof`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULTS, type BenchConfig } from './config';
import { createDatabase, startServer, withClient, type BenchServer } from './database';
import { runDtssScenarios } from './dtssScenarios';
import { runGraphileBaseline } from './graphileBaseline';
import { REPO_ROOT, stopAllChildren } from './processes';
import { computeMetrics, computeTargets, details, formatTable } from './report';
import { formatSchedulerTable, runSchedulerBench } from './scheduler';
import { runSchedulerOnly } from './schedulerOnly';
import { runThroughputOnly } from './throughputOnly';
import { median } from './stats';
import { runUiBench, uiTargets, type UiResult } from './ui';

const RESULTS = path.join(REPO_ROOT, 'bench/results/latest.json');
const started = Date.now();
const loadAtStart = os.loadavg();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

let server: BenchServer | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopAllChildren().catch(() => {});
    await server?.stop().catch(() => {});
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping worker processes and the database server`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  if (loadAtStart[0]! > 0.5) {
    log(
      `note: load average ${loadAtStart[0]!.toFixed(2)} before the start; other work skews the figures`,
    );
  }
  log('starting Postgres (embedded test cluster)');
  server = await startServer();
  // `npm run bench -- scheduler`: only the scheduler benchmark.
  if (process.argv.slice(2).includes('scheduler')) return runSchedulerOnly(server, log, RESULTS);
  // `npm run bench -- ui`: only the web app's figures, merged into latest.json.
  if (process.argv.slice(2).includes('ui')) return runUiOnly(server);
  const config: BenchConfig = {
    ...DEFAULTS,
    adminUrl: server.adminUrl,
    dataDir: server.dataDir,
  };
  // `npm run bench -- throughput`: only the throughput scenario of both sides.
  if (process.argv.slice(2).includes('throughput')) {
    return runThroughputOnly(server, config, log, RESULTS);
  }
  // `npm run bench -- retention`: only the chain before and during retention (DTSS alone).
  if (process.argv.slice(2).includes('retention')) {
    const dtss = await runDtssScenarios(
      await createDatabase(server, config.dtssDb),
      { ...config, retentionOnly: true },
      log,
    );
    const r = dtss.retention!;
    console.log(
      `\nchain of 40 before retention ${median(r.chain40BeforeMs).toFixed(0)} ms, during ` +
        `${median(r.chain40DuringMs).toFixed(0)} ms (target ≤ 1.2×; ${r.prunedRuns} runs pruned meanwhile, ` +
        `${r.stillPruningAtEnd ? 'still pruning at the end' : 'retention finished first'})`,
    );
    return;
  }
  const graphileUrl = await createDatabase(server, config.graphileDb);
  const dtssUrl = await createDatabase(server, config.dtssDb);
  const postgresVersion = await withClient(server.adminUrl, async (c) => {
    const { rows } = await c.query<{ v: string }>('SHOW server_version');
    return rows[0]!.v;
  });
  log(
    `workers: ${config.processes} processes × concurrency ${config.concurrency}, poll ${config.pollIntervalMs} ms`,
  );

  const graphile = await runGraphileBaseline(graphileUrl, config, log);
  const dtss = await runDtssScenarios(dtssUrl, config, log);
  const scheduler = await runSchedulerBench(server, log);
  const ui = await runUiBench(server, log);

  const metrics = computeMetrics(graphile, dtss);
  const targets = computeTargets(metrics);
  const result = {
    ...metrics,
    targets,
    uiTargets: uiTargets(ui),
    allTargetsPass: targets.every((t) => t.pass) && uiTargets(ui).every((t) => t.pass),
    environment: environment(postgresVersion),
    durationS: Math.round((Date.now() - started) / 1000),
    details: details(graphile, dtss, config),
    scheduler,
    ui,
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(`${RESULTS}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${RESULTS}.tmp`, RESULTS);

  console.log(`\n${formatTable(metrics, targets)}\n`);
  console.log(`${formatSchedulerTable(scheduler)}\n`);
  console.log(`${formatUi(ui)}\n`);
  console.log(`written to ${path.relative(process.cwd(), RESULTS)} in ${result.durationS} s`);
}

async function runUiOnly(bench: BenchServer): Promise<void> {
  const ui = await runUiBench(bench, log);
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // no earlier full run: this file holds the UI figures alone
  }
  const result = { ...previous, ui, uiTargets: uiTargets(ui), uiDate: new Date().toISOString() };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(`${RESULTS}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${RESULTS}.tmp`, RESULTS);
  console.log(`\n${formatUi(ui)}\n`);
  console.log(`written to ${path.relative(process.cwd(), RESULTS)}`);
}

function formatUi(ui: UiResult): string {
  const rows = uiTargets(ui).map((t) => `  ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.value}`);
  return [
    `web app (${ui.samples.editor500.length} repeats, medians): editor 500 tasks ${ui.editor_500_render_ms} ms, ` +
      `5 tasks ${ui.editor_5_render_ms} ms, drag p95 ${ui.editor_500_drag_frame_ms} ms; ` +
      `first open of the 500 tasks (layout not cached) ${ui.editor_500_cold_render_ms} ms`,
    `run page: 1,000 finished tasks ${ui.run_page_1000_tasks_ms} ms (first open ${ui.run_page_1000_tasks_first_open_ms} ms, "Show all" ${ui.run_page_1000_show_all_ms} ms); ` +
      `live lag p95 ${ui.run_page_live_lag_p95_ms} ms (p50 ${ui.samples.runs.liveLagP50} ms, ${ui.samples.runs.liveLags} task ends); ` +
      `100,000-line log to its end ${ui.log_viewer_100k_lines_ms} ms`,
    `on 1,000,000 task attempts: metrics.summary p99 ${ui.dashboard_1m_attempts_p99_ms} ms, runs.list p99 ${ui.runs_list_1m_attempts_p99_ms} ms`,
    ...rows,
  ].join('\n');
}

function environment(postgresVersion: string) {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const graphileVersion = (
    JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'node_modules/graphile-worker/package.json'), 'utf8'),
    ) as { version: string }
  ).version;
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: (git(['status', '--porcelain']) ?? '') !== '',
    postgres: postgresVersion,
    graphileWorker: graphileVersion,
    /** A busy machine skews every figure: see also details.*.cpuPerTask.otherProcessesMsPerTask. */
    loadAverage: {
      atStart: loadAtStart.map((x) => Math.round(x * 100) / 100),
      atEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    date: new Date().toISOString(),
  };
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error(`benchmark failed: ${(err as Error).stack ?? err}`);
  await cleanup();
  process.exit(1);
}
