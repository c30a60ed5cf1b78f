/**
 * Engine integration harness: one test database and a few real worker processes per test file.
 * Tests deploy their own uniquely named workflows, start runs through the run API (`createRun`),
 * and read the outcome back through `getRun` and plain SQL on the tables the engine writes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatValidationError, parseWorkflowText, runMachine } from '@dtss/core';
import {
  cancelRun,
  createPool,
  createPrismaClient,
  createRun,
  getRun,
  saveWorkflowVersion,
  type CreateRunInput,
  type CreateRunResult,
  type Pool,
  type PrismaClient,
  type RunView,
  type TaskRunView,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { exitOf, spawnWorker, waitFor } from '../spawn-worker';

const TERMINAL_RUN = new Set<string>(runMachine.terminal);
const run$ = promisify(execFile);

export interface EngineOptions {
  /** Label for the database and worker names. */
  label: string;
  /** Worker processes to start (default 2). */
  workers?: number;
  /** `--pools` per worker, by index (default `default` for each). */
  pools?: string[];
  /** `--concurrency` of every worker (default: the worker's own default). */
  concurrency?: number;
  /** Extra environment of every worker. */
  env?: NodeJS.ProcessEnv;
}

export interface WorkerOptions {
  name?: string;
  pools?: string;
  concurrency?: number;
  /** `--heartbeat-ms` (default 500). */
  heartbeatMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SpawnedWorker {
  name: string;
  child: ReturnType<typeof spawnWorker>;
}

export interface LogLine {
  attempt: number;
  line: number;
  text: string;
  stream: string | undefined;
}

export interface Engine {
  db: TestDatabase;
  pool: Pool;
  prisma: PrismaClient;
  teamId: string;
  /** A temp directory removed by `stop()`, for counter files and the like. */
  tmpDir: string;
  /** DTSS_SECRETS_KEY of every worker (base64 of 32 bytes), for putSecret. */
  secretsKey: string;
  workers: SpawnedWorker[];
  /** Validates and saves a workflow definition; returns the workflow id. */
  deploy(yaml: string): Promise<string>;
  /** `createRun` for this team, returning the whole result. */
  create(
    workflowName: string,
    params?: Record<string, unknown>,
    opts?: Partial<CreateRunInput>,
  ): Promise<CreateRunResult>;
  /** `createRun` for this team; returns the run id. */
  run(
    workflowName: string,
    params?: Record<string, unknown>,
    opts?: Partial<CreateRunInput>,
  ): Promise<string>;
  getRun(runId: string): Promise<RunView>;
  /** `cancelRun`; its result is returned as is. */
  cancel(runId: string): Promise<unknown>;
  /** Polls `getRun` until the run is terminal (succeeded, failed, cancelled, timed_out). */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunView>;
  /** Polls `getRun` until `check` holds for the view. */
  waitForView(
    runId: string,
    check: (view: RunView) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<RunView>;
  /** Stored log lines of a task, in order (all attempts, or one). */
  logsOf(runId: string, taskKey: string, attempt?: number): Promise<LogLine[]>;
  /** Starts one more worker process (e.g. for a pool nobody served so far). */
  addWorker(opts?: WorkerOptions): Promise<SpawnedWorker>;
  /** The id of the active worker row with this name. */
  workerId(name: string): Promise<string>;
  /** Output of every worker process, for failure messages. */
  workerOutput(): string;
  stop(): Promise<void>;
}

/** Unique workflow names within a file (names are per team, and each file has its own team). */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(2).toString('hex')}`;
}

export function task(view: RunView, key: string): TaskRunView {
  const t = view.tasks.find((x) => x.key === key);
  if (!t)
    throw new Error(`run ${view.id} has no task ${key} (has ${view.tasks.map((x) => x.key)})`);
  return t;
}

export function statuses(view: RunView): Record<string, string> {
  return Object.fromEntries(view.tasks.map((t) => [t.key, t.status]));
}

export function ms(d: Date | null | undefined): number {
  if (!d) throw new Error('expected a timestamp, got null');
  return new Date(d).getTime();
}

/** Pids of processes whose command line matches `pattern` (pgrep -f), never this process. */
export async function pgrep(pattern: string): Promise<number[]> {
  try {
    const { stdout } = await run$('pgrep', ['-f', pattern]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((p) => p !== process.pid);
  } catch (err) {
    if ((err as { code?: number }).code === 1) return [];
    throw err;
  }
}

export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** Number of the last graphile-worker job id handed out (0 when the schema is not installed). */
export async function lastJobId(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ seq: string | null }>(
    `SELECT pg_get_serial_sequence('graphile_worker._private_jobs', 'id') AS seq
      WHERE to_regclass('graphile_worker._private_jobs') IS NOT NULL`,
  );
  const seq = rows[0]?.seq;
  if (!seq) return 0;
  const r = await pool.query<{ last_value: string; is_called: boolean }>(
    `SELECT last_value, is_called FROM ${seq}`,
  );
  return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
}

export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const db = await createTestDatabase(`engine_${opts.label}`);
  const pool = createPool(db.url, { applicationName: `engine-test:${opts.label}`, max: 8 });
  const prisma = createPrismaClient(db.url, { pool });
  const slug = `team-${opts.label}-${randomBytes(3).toString('hex')}`.toLowerCase();
  const team = await prisma.team.create({ data: { slug, name: `Engine tests ${opts.label}` } });
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), `dtss-engine-${opts.label}-`));
  const secretsKey = randomBytes(32).toString('base64');
  const workers: SpawnedWorker[] = [];

  function spawnOne(w: WorkerOptions, index: number): SpawnedWorker {
    const name = w.name ?? `${opts.label}-w${index}`;
    const args = ['--name', name, '--heartbeat-ms', String(w.heartbeatMs ?? 500)];
    if (w.pools) args.push('--pools', w.pools);
    const concurrency = w.concurrency ?? opts.concurrency;
    if (concurrency) args.push('--concurrency', String(concurrency));
    const child = spawnWorker(db.url, args, {
      DTSS_SECRETS_KEY: secretsKey,
      ...opts.env,
      ...w.env,
    });
    const spawned = { name, child };
    workers.push(spawned);
    return spawned;
  }

  async function waitActive(names: string[]): Promise<void> {
    await waitFor(
      async () => {
        const dead = workers.find((w) => names.includes(w.name) && w.child.exitCode !== null);
        if (dead) throw new Error(`worker ${dead.name} exited with ${dead.child.exitCode}`);
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM workers WHERE status = 'active' AND name = ANY($1)`,
          [names],
        );
        return rows[0]!.n === names.length;
      },
      30_000,
      `workers ${names.join(', ')} to register`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${workerOutput()}`);
    });
  }

  function workerOutput(): string {
    return workers
      .map((w) => `--- worker ${w.name} (exit ${w.child.exitCode}) ---\n${tail(w.child.output())}`)
      .join('\n');
  }

  const n = opts.workers ?? 2;
  const started = Array.from({ length: n }, (_, i) => spawnOne({ pools: opts.pools?.[i] }, i));
  if (started.length) {
    await waitActive(started.map((w) => w.name));
    // The workers install graphile-worker's schema as they start; give them a moment to finish so
    // the first createRun does not race the migration.
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ ok: boolean }>(
          `SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS ok`,
        );
        return rows[0]!.ok;
      },
      10_000,
      'graphile-worker schema',
    ).catch(() => undefined);
  }

  async function getRunView(runId: string): Promise<RunView> {
    const view = await getRun(pool, runId);
    if (!view) throw new Error(`getRun(${runId}) returned null`);
    return view;
  }

  async function waitForView(
    runId: string,
    check: (view: RunView) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    let last: RunView | null = null;
    for (;;) {
      last = await getRun(pool, runId);
      if (last && check(last)) return last;
      if (Date.now() > deadline) {
        const state = last
          ? `run ${last.status}; tasks ${JSON.stringify(statuses(last))}`
          : 'getRun returned null';
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} (${state})\n${workerOutput()}`,
        );
      }
      await sleep(50);
    }
  }

  const engine: Engine = {
    db,
    pool,
    prisma,
    teamId: team.id,
    tmpDir,
    secretsKey,
    workers,
    async deploy(yaml) {
      const parsed = parseWorkflowText(yaml, { format: 'yaml' });
      if (!parsed.ok) {
        throw new Error(
          `invalid test workflow:\n${parsed.errors.map((e) => formatValidationError(e)).join('\n')}`,
        );
      }
      const saved = await saveWorkflowVersion(prisma, {
        teamId: team.id,
        definition: parsed.workflow,
      });
      return saved.workflowId;
    },
    create(workflowName, params = {}, runOpts = {}) {
      return createRun(pool, {
        teamId: team.id,
        workflow: { name: workflowName },
        params,
        triggerKind: 'manual',
        ...runOpts,
      });
    },
    async run(workflowName, params = {}, runOpts = {}) {
      const result = await engine.create(workflowName, params, runOpts);
      return result.run.id;
    },
    getRun: getRunView,
    cancel: (runId) => cancelRun(pool, runId),
    waitForRun(runId, timeoutMs = 30_000) {
      return waitForView(runId, (v) => TERMINAL_RUN.has(v.status), 'a terminal run', timeoutMs);
    },
    waitForView,
    async logsOf(runId, taskKey, attempt) {
      const { rows } = await pool.query<{
        attempt_number: number;
        first_line: number;
        text: string;
        line_meta: { s?: string; stream?: string }[] | null;
      }>(
        `SELECT a.attempt_number, c.first_line, c.text, c.line_meta
           FROM log_chunks c
           JOIN task_attempts_all a ON a.task_run_id = c.task_run_id AND a.id = c.attempt_id
           JOIN task_runs t ON t.id = a.task_run_id
          WHERE c.run_id = $1 AND t.task_key = $2 AND ($3::int IS NULL OR a.attempt_number = $3)
          ORDER BY a.attempt_number, c.seq`,
        [runId, taskKey, attempt ?? null],
      );
      const lines: LogLine[] = [];
      for (const chunk of rows) {
        chunk.text.split('\n').forEach((text, i) => {
          const meta = chunk.line_meta?.[i];
          lines.push({
            attempt: chunk.attempt_number,
            line: chunk.first_line + i,
            text,
            stream: meta?.s ?? meta?.stream,
          });
        });
      }
      return lines;
    },
    async addWorker(w = {}) {
      const spawned = spawnOne(w, workers.length);
      await waitActive([spawned.name]);
      return spawned;
    },
    async workerId(name) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM workers WHERE name = $1 ORDER BY started_at DESC LIMIT 1`,
        [name],
      );
      if (!rows[0]) throw new Error(`no worker row named ${name}`);
      return rows[0].id;
    },
    workerOutput,
    async stop() {
      await Promise.all(
        workers.map(async ({ child }) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exitOf(child);
          clearTimeout(killer);
        }),
      );
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await db.drop();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
  return engine;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Indents a block for embedding in a YAML literal (`command: |`). */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}
