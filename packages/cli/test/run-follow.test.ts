// How `dtss run --wait` follows a run, independent of the engine: the test plays the worker through
// the run API (claimTask, completeAttempt), so every state change happens at a known moment.
// claimTask sends no notice, so a task's `running` is seen either by the periodic re-read or,
// when the attempt has already ended, from its attempt history.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTask,
  completeAttempt,
  createPool,
  createPrismaClient,
  getRun,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { waitFor } from '../../../apps/worker/test/spawn-worker';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(cliDir, 'bin', 'dtss.js');

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('cli_run_follow');
  pool = createPool(db.url, { applicationName: 'cli-follow-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  await prisma.team.create({ data: { slug: 'demo', name: 'Demo' } });
  dir = await mkdtemp(path.join(tmpdir(), 'dtss-cli-follow-'));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  return { child, result, stdout: () => stdout };
}

async function taskRunId(runId: string, key: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM task_runs WHERE run_id = $1 AND task_key = $2',
    [runId, key],
  );
  return rows[0]!.id;
}

/** Plays a worker: claims the task and ends its attempt the way given. */
async function attempt(
  runId: string,
  key: string,
  outcome: Parameters<typeof completeAttempt>[1]['outcome'],
  extra: { exitCode?: number; retryDelayMs?: number } = {},
): Promise<void> {
  const id = await taskRunId(runId, key);
  const claimed = await claimTask(pool, id, null);
  if (!claimed) throw new Error(`could not claim ${key}`);
  await completeAttempt(pool, {
    attemptId: claimed.attemptId,
    taskRunId: id,
    runId,
    outcome,
    exitCode: extra.exitCode ?? (outcome === 'succeeded' ? 0 : null),
    retryDelayMs: extra.retryDelayMs,
  });
}

/** `12:00:01.234  key  status (detail)` lines, without the time. */
function changeLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^\d{2}:\d{2}:\d{2}\.\d{3} {2}/.test(l))
    .map((l) =>
      l
        .slice(14)
        .replace(/ {2,}/g, ' ')
        .replace(/next at [\d:.]+/, 'next at T'),
    );
}

describe('dtss run --wait, following the run API', () => {
  it('prints each change once and in order: notices, the 2 s re-read, and attempt history', async () => {
    await writeFile(
      path.join(dir, 'follow.yaml'),
      [
        'name: cli-follow',
        'tasks:',
        '  extract: { kind: shell, command: echo hi }',
        '  load:',
        '    kind: shell',
        '    needs: [extract]',
        '    command: echo loaded',
        '    retries: { maxAttempts: 2 }',
        '',
      ].join('\n'),
    );
    const cli = start(['run', 'follow.yaml', '--wait']);
    const runId = await waitFor(
      async () => /^run ([0-9a-f-]{36}) /m.exec(cli.stdout())?.[1],
      20_000,
      'the run line',
    );
    await waitFor(async () => cli.stdout().includes('extract  queued'), 10_000, 'extract queued');

    // Claimed without a notice: only the safety-net re-read (every 2 s) can see it running.
    const extract = await claimTask(pool, await taskRunId(runId, 'extract'), null);
    await waitFor(async () => cli.stdout().includes('extract  running'), 5_000, 'the re-read');
    await completeAttempt(pool, {
      attemptId: extract!.attemptId,
      taskRunId: extract!.taskRunId,
      runId,
      outcome: 'succeeded',
      exitCode: 0,
    });

    // Attempts that end before the next re-read: their `running` comes from the attempt history.
    await attempt(runId, 'load', 'failed', { exitCode: 3, retryDelayMs: 100 });
    await waitFor(async () => cli.stdout().includes('retry_wait'), 5_000, 'the retry wait');
    await attempt(runId, 'load', 'succeeded');

    const run = await cli.result;
    expect(run.code, run.stderr).toBe(0);
    expect(changeLines(run.stdout)).toEqual([
      'extract queued',
      'extract running',
      'extract succeeded',
      'load queued',
      'load running',
      'load retry_wait (attempt 1/2: exit code 3; next at T)',
      'load running (attempt 2/2)',
      'load succeeded (attempt 2/2)',
    ]);
    expect(run.stdout).toMatch(/ {2}load +succeeded +2\/2 /);
  });

  it('prints JSON lines with --json: each change, then the final RunView', async () => {
    await writeFile(
      path.join(dir, 'json.yaml'),
      'name: cli-follow-json\ntasks:\n  t: { kind: noop }\n',
    );
    const cli = start(['run', 'json.yaml', '--wait', '--json']);
    const runId = await waitFor(
      async () => /"runId":"([0-9a-f-]{36})"/.exec(cli.stdout())?.[1],
      20_000,
      'the first change',
    );
    await attempt(runId, 't', 'failed', { exitCode: 2 });
    const run = await cli.result;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('created workflow "cli-follow-json" (version 1)\n');
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const strip = ({ at, ...rest }: Record<string, unknown>) => {
      expect(Number.isNaN(Date.parse(at as string))).toBe(false);
      return rest;
    };
    expect(objects.slice(0, -1).map(strip)).toEqual([
      { runId, status: 'queued' },
      { runId, status: 'running' },
      { runId, task: 't', status: 'queued' },
      { runId, task: 't', status: 'running', attempt: 1 },
      { runId, task: 't', status: 'failed', attempt: 1, exitCode: 2, reason: 'exit code 2' },
      { runId, status: 'failed' },
    ]);
    expect(objects.at(-1)).toEqual(JSON.parse(JSON.stringify(await getRun(pool, runId))));
  });

  it('stops waiting on Ctrl-C without cancelling the run, and exits 130', async () => {
    await writeFile(
      path.join(dir, 'idle.yaml'),
      'name: cli-follow-idle\ntasks:\n  t: { kind: noop }\n',
    );
    const cli = start(['run', 'idle.yaml', '--wait']);
    const runId = await waitFor(
      async () => /^run ([0-9a-f-]{36}) /m.exec(cli.stdout())?.[1],
      20_000,
      'the run line',
    );
    await waitFor(async () => cli.stdout().includes('t  queued'), 10_000, 't queued');
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(
      `\nstopped waiting; run ${runId} (#1) is still running (it was not cancelled)\n` +
        `check on it with: dtss status ${runId}\n`,
    );
    expect((await getRun(pool, runId))!.status).toBe('running');
  });
});
