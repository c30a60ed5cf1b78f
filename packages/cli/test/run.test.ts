// `dtss run` end to end: the real CLI process against a real server (the web app's route
// handlers) and database, and for --wait two real worker processes that execute the tasks.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '@dtss/db';
import { exitOf, spawnWorker, waitFor } from '../../../apps/worker/test/spawn-worker';
import { createHarness, type Harness } from './cli-harness';

let h: Harness;
const workers: ReturnType<typeof spawnWorker>[] = [];

async function runCount(): Promise<number> {
  const { rows } = await h.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM workflow_runs',
  );
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
  h = await createHarness('cli_run');
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
  await h?.close();
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
        spawnWorker(h.db.url, ['--name', name, '--heartbeat-ms', '500'], {
          DTSS_SECRETS_KEY: secretsKey,
        }),
      );
    }
    await waitFor(
      async () => {
        const dead = workers.find((w) => w.exitCode !== null);
        if (dead) throw new Error(`a worker exited with ${dead.exitCode}:\n${dead.output()}`);
        const { rows } = await h.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM workers WHERE status = 'active'`,
        );
        return rows[0]!.n === workers.length;
      },
      30_000,
      'two workers to register',
    );
  });

  it('applies the file, streams task changes and logs, and exits 0 when the run succeeds', async () => {
    const file = await h.file(
      'chain.yaml',
      [
        'name: cli-chain',
        'tasks:',
        '  extract: { kind: shell, command: "echo extracting; echo done extracting" }',
        '  load: { kind: shell, needs: [extract], command: echo loaded }',
        '  report: { kind: noop, needs: [load] }',
        '',
      ].join('\n'),
    );
    const run = await h.dtss(['run', file, '--wait']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(0);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe('created workflow "cli-chain" (version 1)');
    expect(out[1]).toMatch(/^run [0-9a-f-]{36} \(#1\) of cli-chain: (queued|running)$/);

    const lines = taskLines(run.stdout);
    for (const key of ['extract', 'load', 'report']) {
      expect(statusesOf(lines, key), key).toEqual(['queued', 'running', 'succeeded']);
    }
    // Each task starts only after the one it needs has succeeded.
    const at = (key: string, status: string) =>
      lines.findIndex(([k, s]) => k === key && s === status);
    expect(at('extract', 'succeeded')).toBeLessThan(at('load', 'queued'));
    expect(at('load', 'succeeded')).toBeLessThan(at('report', 'queued'));

    // The tasks' output, streamed while the run went on, each line once.
    // (The worker's own `system` lines, e.g. "attempt 1 of 1 on worker …", are left out here.)
    const logLines = out.filter((l) => l.includes(' | ') && !/ \| attempt \d+ of /.test(l));
    expect(logLines).toEqual([
      'extract | extracting',
      'extract | done extracting',
      'load | loaded',
    ]);

    // The summary: status, duration, one row per task with its attempts.
    expect(run.stdout).toMatch(/run [0-9a-f-]{36} \(#1\) of cli-chain succeeded in \S+\n/);
    expect(run.stdout).toMatch(/ {2}extract +succeeded +1\/\d+/);
    expect(run.stdout).toMatch(/ {2}report +succeeded +1\/\d+/);

    // Running the same file again keeps the version.
    const again = await h.dtss(['run', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe('workflow "cli-chain" unchanged (version 1)');
    expect(again.stdout.split('\n')[1]).toMatch(/^run [0-9a-f-]{36} \(#2\) of cli-chain: \w+$/);
  });

  it('exits 1 when the run fails and says why each task failed', async () => {
    const file = await h.file(
      'failing.yaml',
      [
        'name: cli-failing',
        'tasks:',
        '  extract: { kind: shell, command: echo hi }',
        '  load: { kind: shell, needs: [extract], command: "echo oops >&2; exit 3" }',
        '  report: { kind: noop, needs: [load] }',
        '',
      ].join('\n'),
    );
    const run = await h.dtss(['run', file, '--wait']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(1);
    const lines = taskLines(run.stdout);
    expect(statusesOf(lines, 'load')).toEqual(['queued', 'running', 'failed']);
    expect(lines.find(([k, s]) => k === 'load' && s === 'failed')![2]).toBe('exit code 3');
    expect(statusesOf(lines, 'report')).toEqual(['skipped']);
    expect(run.stdout).toContain('\nload | oops\n');
    expect(run.stdout).toMatch(/of cli-failing failed in /);
    expect(run.stdout).toMatch(/ {2}load +failed +1\/1 +\S+ +exit code 3/);
  });

  it('prints one JSON line per change and per log line, then the final run, with --json', async () => {
    const file = await h.file(
      'json.yaml',
      'name: cli-json\ntasks:\n  only: { kind: shell, command: echo hi }\n',
    );
    const run = await h.dtss(['run', file, '--wait', '--json']);
    expect(run.code, `${run.stdout}\n${run.stderr}\n${workerOutput()}`).toBe(0);
    expect(run.stderr).toContain('created workflow "cli-json" (version 1)');
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const final = objects.at(-1)!;
    expect(final).toMatchObject({ workflowName: 'cli-json', status: 'succeeded' });
    const changes = objects.slice(0, -1).filter((o) => o.type === 'status');
    expect(changes.every((c) => c.runId === final.id && typeof c.at === 'string')).toBe(true);
    expect(changes.filter((c) => c.task === 'only').map((c) => c.status)).toEqual([
      'queued',
      'running',
      'succeeded',
    ]);
    expect(
      changes
        .filter((c) => !c.task)
        .map((c) => c.status)
        .at(-1),
    ).toBe('succeeded');
    const logs = objects.filter((o) => o.type === 'log' && o.stream === 'stdout');
    expect(logs).toEqual([
      expect.objectContaining({ runId: final.id, task: 'only', attempt: 1, text: 'hi' }),
    ]);
    const stored = await getRun(h.pool, final.id as string);
    expect(final).toEqual(JSON.parse(JSON.stringify(stored)));
  });
});

describe('dtss run', () => {
  it('starts a workflow by name, reads --param by the declared type, and prints the RunRef', async () => {
    const file = await h.file(
      'typed.yaml',
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
    const first = await h.dtss(['run', file, '--param', 'limit=5']);
    expect(first.code, first.stderr).toBe(0);
    const run = await h.dtss([
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
    const view = await getRun(h.pool, ref.id as string);
    expect(view!.params).toEqual({ limit: 10, dry: true, label: 'a=b' });
    // Started with an API token.
    expect(view!.triggerKind).toBe('api');
  });

  it('returns the same run for the same idempotency key', async () => {
    await h.file('idem.yaml', 'name: cli-idem\ntasks:\n  t: { kind: noop }\n');
    const args = ['run', 'idem.yaml', '--idempotency-key', 'k-1', '--json'];
    const a = await h.dtss(args);
    const b = await h.dtss(args);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [refA, refB] = [a, b].map((r) => JSON.parse(r.stdout) as { id: string });
    expect(refB!.id).toBe(refA!.id);
    expect(b.stderr).toContain('idempotency key "k-1" matched an existing run');
    const { rows } = await h.pool.query(
      `SELECT 1 FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id WHERE w.name = 'cli-idem'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('refuses an unknown workflow, and starts nothing', async () => {
    const before = await runCount();
    const run = await h.dtss(['run', 'no-such-workflow']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*no-such-workflow.*; no run was started\n$/);
    expect(run.stdout).toBe('');
    expect(await runCount()).toBe(before);
  });

  it('refuses params that do not fit, listing each problem, and starts nothing', async () => {
    await h.file(
      'strict.yaml',
      'name: cli-strict\nparams:\n  n: { type: integer, required: true }\ntasks:\n  t: { kind: noop }\n',
    );
    expect((await h.dtss(['run', 'strict.yaml', '--param', 'n=1'])).code).toBe(0);
    const before = await runCount();
    const run = await h.dtss(['run', 'cli-strict', '--param', 'n=ten', '--param', 'extra=1']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: invalid params for "cli-strict".*; no run was started$/);
    expect(lines.slice(1)).toEqual([
      '  params.n: expected an integer, got a string ("ten")',
      expect.stringMatching(/^ {2}params\.extra: unknown param "extra"/),
    ]);
    expect(await runCount()).toBe(before);
  });

  it('refuses a malformed --param or --params-json before calling the server', async () => {
    const offline = { DTSS_URL: 'http://127.0.0.1:1' };
    const bad = await h.dtss(['run', 'cli-strict', '--param', 'n'], offline);
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: malformed --param "n": expected name=value (e.g. --param date=2024-01-31)\n',
    });
    const json = await h.dtss(['run', 'cli-strict', '--params-json', '[1]'], offline);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('error: --params-json must be a JSON object of name: value\n');
  });

  it('reports an invalid file as file: path: message, and applies nothing', async () => {
    const file = await h.file(
      'invalid.yaml',
      'name: cli-invalid\ntasks:\n  a: { kind: bash, command: echo }\n',
    );
    const run = await h.dtss(['run', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'invalid.yaml: tasks.a.kind: unknown kind "bash" (expected one of: shell, node, python, http, noop)\n',
    );
    const { rows } = await h.pool.query(`SELECT 1 FROM workflows WHERE name = 'cli-invalid'`);
    expect(rows).toHaveLength(0);
  });
});
