// What the CLI tests share: a test database, the web app's route handlers served over real HTTP
// (apps/web/test/support/route-server.ts), a team with a real API token, a scratch directory,
// and the real `dtss` command started as a child process against them.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool, createPrismaClient, type Pool, type PrismaClient } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, createToken } from '../../../apps/web/test/support/fixtures';
import {
  startRouteServer,
  type RouteServer,
} from '../../../apps/web/test/support/start-route-server';
import { CLI_MAIN } from './cli-bin';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Harness {
  db: TestDatabase;
  pool: Pool;
  prisma: PrismaClient;
  server: RouteServer;
  teamId: string;
  token: string;
  /** The test's working directory; also HOME, so no real config is read or written. */
  dir: string;
  /** Runs `dtss …` to completion. */
  dtss(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Starts `dtss …`; `result` settles when it exits. */
  start(args: string[], env?: NodeJS.ProcessEnv): RunningCli;
  /** Stops the server, calls `between`, and starts it again on the same port. */
  restartServer(between?: () => Promise<void>): Promise<void>;
  /** Writes a file into `dir`; returns its name relative to `dir`. */
  file(name: string, text: string): Promise<string>;
  close(): Promise<void>;
}

export interface RunningCli {
  child: ReturnType<typeof spawn>;
  result: Promise<CliResult>;
  stdout(): string;
}

export async function createHarness(label: string): Promise<Harness> {
  const db = await createTestDatabase(label);
  const pool = createPool(db.url, { applicationName: `${label}-test`, max: 4 });
  const prisma = createPrismaClient(db.url, { pool });
  const teamId = await createTeam(pool, 'demo');
  const token = await createToken(pool, teamId, 'editor');
  const dir = await mkdtemp(path.join(tmpdir(), `dtss-${label}-`));
  let server = await startRouteServer(db.url);
  const url = server.url;

  const start = (args: string[], env: NodeJS.ProcessEnv = {}): RunningCli => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        HOME: dir,
        XDG_CONFIG_HOME: path.join(dir, '.config'),
        DTSS_URL: url,
        DTSS_TOKEN: token,
        DATABASE_URL: '',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const result = new Promise<CliResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    return { child, result, stdout: () => stdout };
  };

  return {
    db,
    pool,
    prisma,
    get server() {
      return server;
    },
    teamId,
    token,
    dir,
    start,
    dtss: (args, env) => start(args, env).result,
    async restartServer(between) {
      await server.stop();
      await between?.();
      server = await startRouteServer(db.url, {}, Number(new URL(url).port));
    },
    async file(name, text) {
      await writeFile(path.join(dir, name), text);
      return name;
    },
    async close() {
      await server.stop();
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
