/**
 * `npm start`: the whole DTSS system on one machine. Database (embedded unless DATABASE_URL is set),
 * migrations, first-start seed, the web app, worker processes and the scheduler, with prefixed logs
 * and a shutdown on Ctrl-C that stops the children first and the database last.
 *
 * Runs compiled: scripts/start.mjs bundles this file and the database helper into scripts/.build/
 * and sets DTSS_REPO_ROOT, since the bundle no longer sits beside its source.
 */
import path from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { redactUrl } from '@dtss/db';
import {
  DEMO_ADMIN_EMAIL,
  ensureDatabaseOfUrl,
  prepareDatabase,
  seedDemoData,
} from '@dtss/db/setup';
import { buildWorker } from '../apps/worker/scripts/build';
import { loadOrCreateKey } from './lib/local-keys';
import { logger } from './lib/prefixed-output';
import { Supervisor } from './lib/supervisor';
import { buildWeb, webBuildIsStale } from './lib/web-build';

const root = process.env.DTSS_REPO_ROOT ?? path.resolve(import.meta.dirname, '..');
const log = logger('dtss');
const home = path.resolve(root, process.env.DTSS_HOME ?? '.dtss');
const webPort = Number(process.env.DTSS_WEB_PORT ?? process.env.PORT ?? 3000);
const workerCount = Number(process.env.DTSS_WORKERS ?? 2);
// Workers, then the scheduler, serve their own /metrics on consecutive ports from this one.
const metricsBasePort = Number(process.env.DTSS_METRICS_BASE_PORT ?? 9464);
const graceMs = Number(process.env.DTSS_SHUTDOWN_GRACE_MS ?? 15_000);
// A worker kills the tasks it still runs when its drain grace ends. That must come before this
// script's SIGKILL: a task leads its own process group, which the SIGKILL of the worker's group
// does not reach, so a task killed with its worker only would run on, orphaned.
const drainGraceMs = Math.max(
  0,
  Math.min(Number(process.env.DTSS_DRAIN_GRACE_MS ?? 30_000), graceMs - 5_000),
);

let dbReady: (url: string) => void;
let dbFailed: (err: Error) => void;
const dbUrlFromChild = new Promise<string>((resolve, reject) => {
  dbReady = resolve;
  dbFailed = reject;
});
const supervisor = new Supervisor((name, msg) => {
  if (name === 'db' && isReady(msg)) dbReady(msg.url);
  // A start that cannot succeed (e.g. a data directory Postgres cannot reach) ends npm start with
  // its message instead of being retried until the timeout.
  if (name === 'db' && isFatal(msg)) dbFailed(new UserFacingError(msg.message));
});
const embedded = !process.env.DATABASE_URL;

let shuttingDown = false;
let firstSignalAt = 0;
async function shutdown(code: number): Promise<void> {
  // npm relays the terminal's Ctrl-C, so one keypress can arrive twice: only a later one forces.
  if (shuttingDown && Date.now() - firstSignalAt < 1_000) return;
  if (shuttingDown) {
    log.info('second signal: killing everything now');
    supervisor.killAll();
    process.exit(1);
  }
  shuttingDown = true;
  firstSignalAt = Date.now();
  log.info('shutting down…');
  await supervisor.stop(['web', 'scheduler', ...workerNames()], graceMs);
  await supervisor.stop(['db'], graceMs);
  log.info('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function workerNames(): string[] {
  return Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const authSecret = process.env.AUTH_SECRET ?? loadOrCreateKey(home, 'auth-secret');
  const secretsKey = process.env.DTSS_SECRETS_KEY ?? loadOrCreateKey(home, 'secrets.key');

  const needsBuild = webBuildIsStale(root);
  const build = needsBuild
    ? (log.info('building the web app (first start or sources changed)…'),
      buildWeb(root, { NEXT_TELEMETRY_DISABLED: '1' }))
    : Promise.resolve();

  let databaseUrl: string;
  if (embedded) {
    supervisor.start({
      name: 'db',
      command: process.execPath,
      args: ['--enable-source-maps', path.join(root, 'scripts/.build/db-process.js')],
      env: { DTSS_REPO_ROOT: root },
      ipc: true,
      // Should the server die, it is started again on the same data; web, workers and the
      // scheduler reconnect to it by themselves.
    });
    databaseUrl = await withTimeout(dbUrlFromChild, 60_000, 'embedded Postgres did not start');
  } else {
    databaseUrl = process.env.DATABASE_URL!;
    log.info(`using DATABASE_URL ${redactUrl(databaseUrl)}`);
    if (await ensureDatabaseOfUrl(databaseUrl)) log.info('created the database');
  }

  const migrations = await prepareDatabase(databaseUrl);
  log.info(
    migrations.applied.length
      ? `applied migrations: ${migrations.applied.join(', ')}`
      : `database schema up to date (${migrations.latest})`,
  );
  const seed = await seedDemoData(databaseUrl, { examplesDir: path.join(root, 'examples') });
  if (seed.created) {
    log.info('first start: created the demo team and its example workflows.');
    log.info('┌──────────────────────────────────────────────────────────────');
    log.info(`│ admin login   ${seed.adminEmail}`);
    log.info(`│ password      ${seed.adminPassword}   (shown once; not stored in clear)`);
    log.info(
      `│ CLI           npx dtss login --url http://localhost:${webPort} --token ${seed.apiToken}`,
    );
    log.info('│               (an admin API token of the demo team, shown once)');
    log.info('└──────────────────────────────────────────────────────────────');
  }

  await build;
  // Workers and the scheduler run compiled, as on any other machine (about a second of esbuild).
  await buildWorker(path.join(root, 'apps/worker'));
  await stopEsbuild();
  const workerDist = path.join(root, 'apps/worker/dist');
  const compiledNode = [process.execPath, '--enable-source-maps'] as const;
  const common = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    DTSS_SECRETS_KEY: secretsKey,
    NEXT_TELEMETRY_DISABLED: '1',
    // Locally the demo admin operates the cluster (drains workers); production names its own.
    DTSS_OPERATORS: process.env.DTSS_OPERATORS ?? DEMO_ADMIN_EMAIL,
    // Children's output comes through pipes: they log readable lines instead of JSON when this
    // launcher's own output is a terminal (unless DTSS_LOG_PRETTY says otherwise).
    DTSS_LOG_PRETTY: process.env.DTSS_LOG_PRETTY ?? (process.stdout.isTTY ? '1' : '0'),
  };
  supervisor.start({
    name: 'web',
    command: process.execPath,
    args: [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(webPort)],
    cwd: path.join(root, 'apps/web'),
    env: common,
  });
  const metricsPorts = metricsPortsByProcess();
  workerNames().forEach((name) =>
    supervisor.start({
      name,
      command: compiledNode[0],
      args: [...compiledNode.slice(1), path.join(workerDist, 'main.js')],
      env: {
        ...common,
        DTSS_WORKER_NAME: name,
        DTSS_DRAIN_GRACE_MS: String(drainGraceMs),
        DTSS_METRICS_PORT: String(metricsPorts.get(name)),
      },
      ipc: true,
    }),
  );
  supervisor.start({
    name: 'scheduler',
    command: compiledNode[0],
    args: [...compiledNode.slice(1), path.join(workerDist, 'scheduler.js')],
    env: { ...common, DTSS_METRICS_PORT: String(metricsPorts.get('scheduler')) },
    ipc: true,
  });
  await waitForHealth(`http://127.0.0.1:${webPort}/api/health`, 60_000);
  log.info(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://localhost:${webPort} ` +
      `(${workerCount} workers, scheduler${embedded ? ', embedded Postgres' : ''}); Ctrl-C stops`,
  );
  const token = process.env.DTSS_METRICS_TOKEN ? ' (Bearer DTSS_METRICS_TOKEN)' : '';
  log.info(`metrics${token}: http://localhost:${webPort}/metrics (cluster state, web)`);
  log.info(
    `         ${[...metricsPorts].map(([name, port]) => `${name} :${port}/metrics`).join(', ')}`,
  );
}

/** Consecutive ports from DTSS_METRICS_BASE_PORT: the workers in order, then the scheduler. */
function metricsPortsByProcess(): Map<string, number> {
  const names = [...workerNames(), 'scheduler'];
  return new Map(names.map((name, i) => [name, metricsBasePort + i]));
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web app did not report healthy at ${url} within ${timeoutMs} ms`);
}

function isReady(msg: unknown): msg is { type: 'ready'; url: string } {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready';
}

function isFatal(msg: unknown): msg is { type: 'fatal'; message: string } {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'fatal';
}

/** An error whose message is the whole story: printed without a stack. */
class UserFacingError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

main().catch(async (err: unknown) => {
  log.error(
    err instanceof UserFacingError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err),
  );
  await shutdown(1);
});
