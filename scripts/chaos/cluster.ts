/**
 * The system under test, started the way `npm start` starts it (the same supervisor, the embedded
 * Postgres's own child process, migrations, first-start seed, `next start`), but with the suite's
 * own data directory, ports and process count: Postgres, N workers (one may live in a network
 * namespace), scheduler replicas and the web app. Every child's output goes to one log file.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepareDatabase, seedDemoData } from '@dtss/db/setup';
import { freePort } from '@dtss/db/testing';
import { Supervisor, type ChildSpec } from '../lib/supervisor';
import { buildWeb, webBuildIsStale } from '../lib/web-build';
import type { Netns } from './netns';

export interface WorkerSpec {
  name: string;
  pools: string[];
  /** Runs inside the suite's network namespace (reaches Postgres through the veth pair). */
  namespaced: boolean;
}

export interface ClusterOptions {
  root: string;
  /** The suite's directory (git-ignored): Postgres data, worker temp dirs, logs. */
  dir: string;
  workers: WorkerSpec[];
  schedulers: number;
  netns: Netns | null;
  log: (line: string) => void;
}

export interface ChildExit {
  name: string;
  code: number | null;
  signal: string | null;
  at: number;
}

export interface Cluster {
  /** Every exit of a child while the system ran (the supervisor restarts it). */
  exits: ChildExit[];
  databaseUrl: string;
  webUrl: string;
  /** An admin API token of the seeded team. */
  apiToken: string;
  logFile: string;
  workers: WorkerSpec[];
  schedulerNames: string[];
  /** The current process of a child (worker, scheduler), while it runs. */
  pid(name: string): number | undefined;
  /** Postgres's postmaster pid, from its data directory. */
  postmasterPid(): number | null;
  /** Immediate shutdown (SIGQUIT to the postmaster: no checkpoint, crash recovery at start). */
  killPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** Web, schedulers and workers: SIGTERM, SIGKILL after the grace period. */
  stopServices(graceMs: number): Promise<void>;
  stopPostgres(): Promise<void>;
  /** Everything at once (interrupted run). */
  killAll(): void;
}

const TSX = [process.execPath, '--import', 'tsx'] as const;

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const { root, dir, netns } = opts;
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'cluster.log');
  const output = createWriteStream(logFile, { flags: 'a' });
  const pgPort = await freePort();
  const webPort = await freePort();
  const dataDir = path.join(dir, 'pg');

  let dbReady: ((url: string) => void) | null = null;
  const exits: ChildExit[] = [];
  const supervisor = new Supervisor(
    (name, msg) => {
      const m = msg as { type?: string; url?: string };
      if (name === 'db' && m?.type === 'ready' && m.url) dbReady?.(m.url);
    },
    (name, code, signal) => exits.push({ name, code, signal, at: Date.now() }),
  );

  const dbSpec = dbChild(root, dir, pgPort, netns, output);
  const startPostgres = async () => {
    const ready = new Promise<string>((resolve) => (dbReady = resolve));
    supervisor.start(dbSpec);
    const url = await withTimeout(ready, 90_000, 'embedded Postgres did not start');
    dbReady = null;
    return url;
  };

  const needsBuild = webBuildIsStale(root);
  if (needsBuild) opts.log('building the web app (no build yet, or sources changed)…');
  const build = needsBuild ? buildWeb(root, { NEXT_TELEMETRY_DISABLED: '1' }) : Promise.resolve();

  const databaseUrl = await startPostgres();
  await prepareDatabase(databaseUrl);
  const examplesDir = path.join(dir, 'no-examples');
  mkdirSync(examplesDir, { recursive: true });
  const seed = await seedDemoData(databaseUrl, { examplesDir });
  if (!seed.created) throw new Error(`the suite's database in ${dir} was not fresh`);
  await build;

  const common = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString('base64'),
    DTSS_SECRETS_KEY: randomBytes(32).toString('base64'),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  supervisor.start({
    name: 'web',
    command: process.execPath,
    args: [
      path.join(root, 'node_modules/next/dist/bin/next'),
      'start',
      '-p',
      String(webPort),
      '-H',
      '127.0.0.1',
    ],
    cwd: path.join(root, 'apps/web'),
    env: common,
    output,
  });
  for (const w of opts.workers) {
    const tmp = path.join(dir, 'tmp', w.name);
    mkdirSync(tmp, { recursive: true });
    if (w.namespaced && !netns) throw new Error(`${w.name} needs the network namespace`);
    const worker = [...TSX, path.join(root, 'apps/worker/src/main.ts')];
    supervisor.start({
      name: w.name,
      command: w.namespaced ? netns!.exec[0]! : worker[0]!,
      args: w.namespaced ? [...netns!.exec.slice(1), ...worker] : worker.slice(1),
      cwd: root,
      env: {
        ...common,
        DATABASE_URL: w.namespaced ? hostUrl(databaseUrl, netns!.hostAddress) : databaseUrl,
        DTSS_WORKER_NAME: w.name,
        DTSS_WORKER_POOLS: w.pools.join(','),
        // Tasks inherit TMPDIR: its last part tells a task's side effect which worker ran it.
        TMPDIR: tmp,
      },
      ipc: true,
      output,
    });
  }
  const schedulerNames = Array.from({ length: opts.schedulers }, (_, i) => `scheduler-${i + 1}`);
  for (const name of schedulerNames) {
    supervisor.start({
      name,
      command: TSX[0],
      args: [...TSX.slice(1), path.join(root, 'apps/worker/src/scheduler/main.ts')],
      cwd: root,
      env: common,
      ipc: true,
      output,
    });
  }
  const webUrl = `http://127.0.0.1:${webPort}`;
  await waitForHealth(`${webUrl}/api/health`, 120_000);

  const postmasterPid = () => {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  };
  const services = ['web', ...schedulerNames, ...opts.workers.map((w) => w.name)];
  return {
    exits,
    databaseUrl,
    webUrl,
    apiToken: seed.apiToken,
    logFile,
    workers: opts.workers,
    schedulerNames,
    pid: (name) => supervisor.pid(name),
    postmasterPid,
    async killPostgres() {
      const pid = postmasterPid();
      if (pid === null || !alive(pid)) throw new Error('Postgres is not running');
      process.kill(pid, 'SIGQUIT');
      // The db child sees its server gone within a second and exits.
      const deadline = Date.now() + 30_000;
      while ((alive(pid) || supervisor.pid('db') !== undefined) && Date.now() < deadline)
        await sleep(100);
    },
    async startPostgres() {
      await startPostgres();
    },
    stopServices: (graceMs) => supervisor.stop(services, graceMs),
    stopPostgres: () => supervisor.stop(['db'], 30_000),
    killAll: () => supervisor.killAll(),
  };
}

/** The embedded Postgres's own child process (as `npm start` runs it), on the suite's data. */
function dbChild(
  root: string,
  dir: string,
  port: number,
  netns: Netns | null,
  output: NodeJS.WritableStream,
): ChildSpec {
  return {
    name: 'db',
    command: TSX[0],
    args: [...TSX.slice(1), path.join(root, 'packages/db/src/postgres/db-process.ts')],
    cwd: root,
    env: {
      DTSS_REPO_ROOT: root,
      DTSS_HOME: dir,
      DTSS_PG_PORT: String(port),
      DTSS_PG_LOG: '1',
      ...(netns
        ? {
            DTSS_PG_LISTEN_ADDRESSES: `127.0.0.1,${netns.hostAddress}`,
            DTSS_PG_ALLOWED_NETWORKS: netns.network,
          }
        : {}),
    },
    ipc: true,
    // The suite restarts it itself (a fault), after the downtime it chose.
    restart: false,
    output,
  };
}

/** The last run's database alone, to check it again (`--recheck`). */
export async function startSuiteDatabase(
  root: string,
  dir: string,
): Promise<{ databaseUrl: string; stop: () => Promise<void> }> {
  const output = createWriteStream(path.join(dir, 'recheck.log'), { flags: 'a' });
  let ready: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => (ready = resolve));
  const supervisor = new Supervisor((name, msg) => {
    const m = msg as { type?: string; url?: string };
    if (m?.type === 'ready' && m.url) ready(m.url);
  });
  supervisor.start(dbChild(root, dir, await freePort(), null, output));
  return {
    databaseUrl: await withTimeout(url, 90_000, 'embedded Postgres did not start'),
    stop: () => supervisor.stop(['db'], 30_000),
  };
}

/** The same URL with another host: how the namespaced worker reaches Postgres. */
function hostUrl(url: string, host: string): string {
  const u = new URL(url);
  u.hostname = host;
  return u.toString();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`the web app did not report healthy at ${url} within ${timeoutMs} ms`);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
