// `dtss run` end to end: the real CLI process against a real test database, and for --wait two real
// worker processes that execute the tasks.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, getRun, type Pool, type PrismaClient } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { exitOf, spawnWorker, waitFor } from '../../../apps/worker/test/spawn-worker';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(cliDir, 'bin', 'dtss.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let dir: string;
const workers: ReturnType<typeof spawnWorker>[] = [];

/** Starts `dtss …` against the test database; `result` settles when it exits. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: db.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result, stdout: () => stdout };
}

const dtss = (args: string[], env?: NodeJS.ProcessEnv) => start(args, env).result;

/** Writes a workflow file into the test's directory; returns its name (relative to `dir`). */
async function workflowFile(name: string, yaml: string): Promise<string> {
  const file = `${name}.yaml`;
  await writeFile(path.join(dir, file), yaml);
  return file;
}

async function runCount(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_runs');
  return rows[0]!.n;
}

/** Task lines of `--wait` output: `12:00:01.234  key  status[ (detail)]` → [key, status, detail]. */
function taskLines(stdout: string): Array<[string, string, string]> {
  return stdout.split('\n').flatMap((line) => {
    const m = /^\d{2}:\d{2}:\d{2}\.\d{3} {2}(\S+)\s+(\S+)(?: \((.*)\))?$/.exec(line);
    return m ? [[m[1]!, m[2]!, m[3] ?? ''] as [string, string, string]] : [];
  });
}

function statusesOf(lines: Array<[string, string, string]>, key: string): string[] {
  return lines.filter(([k]) => k === key).map(([, status]) => status);
}

beforeAll(async () => {
  db = await createTestDatabase('cli_run');
  pool = createPool(db.url, { applicationName: 'cli-run-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  await prisma.team.create({ data: { slug: 'demo', name: 'Demo' } });
  dir = await mkdtemp(path.join(tmpdir(), 'dtss-cli-run-'));
});

afterAll(async () => {
  await Promise.all(
    workers.map(async (w) => {
      if (w.exitCode !== null || w.signalCode !== null) return;
      w.kill('SIGTERM');
      const killer = setTimeout(() => w.kill('SIGKILL'), 10_000);
      await exitOf(w);
      clearTimeout(killer);
    }),
  );
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function workerOutput(): string {
  return workers.map((w, i) => `--- worker ${i} ---\n${w.output().slice(-3000)}`).join('\n');
}

describe('dtss run --wait', () => {
  // Two real worker processes execute the tasks of these tests.
  beforeAll(async () => {
    const secretsKey = randomBytes(32).toString('base64');
    for (const name of ['cli-w0', 'cli-w1']) {
      workers.push(
        spawnWorker(db.url, ['--name', name, '--heartbeat-ms', '500'], {
          DTSS_SECRETS_KEY: secretsKey,
        }),
      );
    }
    await waitFor(
      async () => {
        const dead = workers.find((w) => w.exitCode !== null);
        if (dead) throw new Error(`a worker exited with ${dead.exitCode}:\n${dead.output()}`);
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM workers WHERE status = 'active'`,
        );
        return rows[0]!.n === workers.length;
      },
      30_000,
      'two workers to register',
    );
    // The workers install graphile-worker's schema as they start; let them finish first.
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ ok: boolean }>(
          `SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS ok`,
        );
        return rows[0]!.ok;
      },
      10_000,
      'the graphile-worker schema',
    ).catch(() => undefined);
  });

  it('saves the file, follows the run as it happens and exits 0 when it succeeds', async () => {
    const file = await workflowFile(
      'chain',
      [
        'name: cli-chain',
        'tasks:',
        '  extract: { kind: shell, command: echo hi }',
        '  load: { kind: shell, needs: [extract], command: echo loaded }',
        '  report: { kind: noop, needs: [load] }',
        '',
      ].join('\n'),
    );
    const run = await dtss(['run', file, '--wait']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(0);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe('created workflow "cli-chain" (version 1)');
    expect(out[1]).toMatch(/^run [0-9a-f-]{36} \(#1\) of cli-chain: running$/);

    const lines = taskLines(run.stdout);
    for (const key of ['extract', 'load', 'report']) {
      expect(statusesOf(lines, key), key).toEqual(['queued', 'running', 'succeeded']);
    }
    // Each task starts only after the one it needs has succeeded.
    const at = (key: string, status: string) =>
      lines.findIndex(([k, s]) => k === key && s === status);
    expect(at('extract', 'succeeded')).toBeLessThan(at('load', 'queued'));
    expect(at('load', 'succeeded')).toBeLessThan(at('report', 'queued'));

    // The summary: status, duration, one row per task with its attempts.
    expect(run.stdout).toMatch(/run [0-9a-f-]{36} \(#1\) of cli-chain succeeded in \S+\n/);
    expect(run.stdout).toMatch(/ {2}extract +succeeded +1\/\d+/);
    expect(run.stdout).toMatch(/ {2}report +succeeded +1\/\d+/);

    // Running the same file again keeps the version.
    const again = await dtss(['run', file]);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('workflow "cli-chain" unchanged (version 1)');
    expect(again.stdout.split('\n')[1]).toMatch(/^run [0-9a-f-]{36} \(#2\) of cli-chain: \w+$/);
  });

  it('exits 1 when the run fails and says why each task failed', async () => {
    const file = await workflowFile(
      'failing',
      [
        'name: cli-failing',
        'tasks:',
        '  extract: { kind: shell, command: echo hi }',
        '  load: { kind: shell, needs: [extract], command: exit 3 }',
        '  report: { kind: noop, needs: [load] }',
        '',
      ].join('\n'),
    );
    const run = await dtss(['run', file, '--wait']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(1);
    const lines = taskLines(run.stdout);
    expect(statusesOf(lines, 'load')).toEqual(['queued', 'running', 'failed']);
    expect(lines.find(([k, s]) => k === 'load' && s === 'failed')![2]).toBe('exit code 3');
    expect(statusesOf(lines, 'report')).toEqual(['skipped']);
    expect(run.stdout).toMatch(/of cli-failing failed in /);
    expect(run.stdout).toMatch(/ {2}load +failed +1\/1 +\S+ +exit code 3/);
  });

  it('prints one JSON line per change, then the final run, with --json', async () => {
    const file = await workflowFile(
      'json',
      'name: cli-json\ntasks:\n  only: { kind: shell, command: echo hi }\n',
    );
    const run = await dtss(['run', file, '--wait', '--json']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(0);
    expect(run.stderr).toContain('created workflow "cli-json" (version 1)');
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const final = objects.at(-1)!;
    expect(final).toMatchObject({ workflowName: 'cli-json', status: 'succeeded' });
    const changes = objects.slice(0, -1);
    expect(changes.every((c) => c.runId === final.id && typeof c.at === 'string')).toBe(true);
    expect(changes.filter((c) => c.task === 'only').map((c) => c.status)).toEqual([
      'queued',
      'running',
      'succeeded',
    ]);
    expect(changes.filter((c) => !c.task).map((c) => c.status)).toEqual([
      'queued',
      'running',
      'succeeded',
    ]);
    const stored = await getRun(pool, final.id as string);
    expect(final).toEqual(JSON.parse(JSON.stringify(stored)));
  });
});

describe('dtss run', () => {
  it('starts a workflow by name, reads --param by the declared type, and prints the RunRef', async () => {
    const file = await workflowFile(
      'typed',
      [
        'name: cli-typed',
        'params:',
        '  limit: { type: integer, required: true }',
        '  dry: { type: boolean, default: false }',
        '  label: { type: string, default: x }',
        'tasks:',
        '  t: { kind: noop }',
        '',
      ].join('\n'),
    );
    const first = await dtss(['run', file, '--param', 'limit=5']);
    expect(first.code, first.stderr).toBe(0);
    const run = await dtss([
      'run',
      'cli-typed',
      '--param',
      'limit=10',
      '--param',
      'label=a=b',
      '--params-json',
      '{"dry": true, "limit": 1}',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const ref = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(ref).sort()).toEqual(['id', 'number', 'status', 'workflowId']);
    expect(ref.number).toBe(2);
    const view = await getRun(pool, ref.id as string);
    expect(view!.params).toEqual({ limit: 10, dry: true, label: 'a=b' });
    expect(view!.triggerKind).toBe('manual');
  });

  it('returns the same run for the same idempotency key', async () => {
    await workflowFile('idem', 'name: cli-idem\ntasks:\n  t: { kind: noop }\n');
    const args = ['run', 'idem.yaml', '--idempotency-key', 'k-1', '--json'];
    const a = await dtss(args);
    const b = await dtss(args);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [refA, refB] = [a, b].map((r) => JSON.parse(r.stdout) as { id: string });
    expect(refB!.id).toBe(refA!.id);
    expect(b.stderr).toContain('idempotency key "k-1" matched an existing run');
    const { rows } = await pool.query(
      `SELECT 1 FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id WHERE w.name = 'cli-idem'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('refuses an unknown workflow, and starts nothing', async () => {
    const before = await runCount();
    const run = await dtss(['run', 'no-such-workflow']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: unknown workflow "no-such-workflow"; no run was started\n');
    expect(run.stdout).toBe('');
    expect(await runCount()).toBe(before);
  });

  it('refuses params that do not fit, listing each problem, and starts nothing', async () => {
    await workflowFile(
      'strict',
      'name: cli-strict\nparams:\n  n: { type: integer, required: true }\ntasks:\n  t: { kind: noop }\n',
    );
    expect((await dtss(['run', 'strict.yaml', '--param', 'n=1'])).code).toBe(0);
    const before = await runCount();
    const run = await dtss(['run', 'cli-strict', '--param', 'n=ten', '--param', 'extra=1']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: invalid params for "cli-strict": .*; no run was started$/);
    expect(lines.slice(1)).toEqual([
      '  params.n: expected an integer, got a string ("ten")',
      expect.stringMatching(/^ {2}params\.extra: unknown param "extra"/),
    ]);
    expect(await runCount()).toBe(before);
  });

  it('refuses a malformed --param or --params-json before touching the database', async () => {
    const before = await runCount();
    const bad = await dtss(['run', 'cli-strict', '--param', 'n']);
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: malformed --param "n": expected name=value (e.g. --param date=2024-01-31)\n',
    });
    const json = await dtss(['run', 'cli-strict', '--params-json', '[1]']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('error: --params-json must be a JSON object of name: value\n');
    expect(await runCount()).toBe(before);
  });

  it('reports an invalid file as file: path: message, and an unknown team', async () => {
    const file = await workflowFile(
      'invalid',
      'name: cli-invalid\ntasks:\n  a: { kind: bash, command: echo }\n',
    );
    const run = await dtss(['run', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'invalid.yaml: tasks.a.kind: unknown kind "bash" (expected one of: shell, node, python, http, noop)\n',
    );
    const team = await dtss(['run', 'cli-strict', '--team', 'nope']);
    expect(team.code).toBe(1);
    expect(team.stderr).toBe('error: unknown team "nope"\n  teams: demo\n');
  });

  it('says plainly when the database cannot be reached', async () => {
    const run = await dtss(['run', 'anything'], {
      DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:1/dtss',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: cannot reach the database at postgresql://postgres:***@127.0.0.1:1/dtss: is `npm start` running, or is DATABASE_URL set?',
    );
  });
});
