// How `dtss run --wait` follows a run over the server's streams, independent of the engine: the
// test plays the worker through the run API (claimTask, appendLogChunk, completeAttempt), so every
// change happens at a known moment, and restarts the server in the middle of a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLogChunk, claimTask, completeAttempt, getRun, type ClaimedTask } from '@dtss/db';
import { waitFor } from '../../../apps/worker/test/spawn-worker';
import { createHarness, type Harness } from './cli-harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('cli_run_follow');
});

afterAll(async () => {
  await h?.close();
});

async function taskRunId(runId: string, key: string): Promise<string> {
  const { rows } = await h.pool.query<{ id: string }>(
    'SELECT id FROM task_runs WHERE run_id = $1 AND task_key = $2',
    [runId, key],
  );
  return rows[0]!.id;
}

async function claim(runId: string, key: string): Promise<ClaimedTask> {
  const claimed = await claimTask(h.pool, await taskRunId(runId, key), null);
  if (!claimed) throw new Error(`could not claim ${key}`);
  return claimed;
}

async function finish(
  task: ClaimedTask,
  outcome: 'succeeded' | 'failed',
  extra: { exitCode?: number; retryDelayMs?: number } = {},
): Promise<void> {
  await completeAttempt(h.pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    outcome,
    exitCode: extra.exitCode ?? (outcome === 'succeeded' ? 0 : null),
    retryDelayMs: extra.retryDelayMs,
  });
}

async function log(task: ClaimedTask, seq: number, lines: string[]): Promise<void> {
  await appendLogChunk(h.pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    seq,
    firstLine: seq * 100,
    lines,
    meta: lines.map(() => ({ t: new Date().toISOString(), s: 'stdout' as const })),
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

const runIdOf = (cli: { stdout(): string }) =>
  waitFor(async () => /^run ([0-9a-f-]{36}) /m.exec(cli.stdout())?.[1], 20_000, 'the run line');

describe('dtss run --wait, following the server streams', () => {
  it('prints each change once and in order, with the logs as they come', async () => {
    await h.file(
      'follow.yaml',
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
    const cli = h.start(['run', 'follow.yaml', '--wait']);
    const runId = await runIdOf(cli);
    await waitFor(async () => cli.stdout().includes('extract  queued'), 10_000, 'extract queued');

    const extract = await claim(runId, 'extract');
    await waitFor(async () => cli.stdout().includes('extract  running'), 5_000, 'extract running');
    await log(extract, 0, ['reading', 'read 3 rows']);
    await waitFor(async () => cli.stdout().includes('extract | read 3 rows'), 5_000, 'a log line');
    await finish(extract, 'succeeded');

    const load1 = await claim(runId, 'load');
    await log(load1, 0, ['first try']);
    await finish(load1, 'failed', { exitCode: 3, retryDelayMs: 100 });
    await waitFor(async () => cli.stdout().includes('retry_wait'), 5_000, 'the retry wait');
    const load2 = await claim(runId, 'load');
    await log(load2, 0, ['second try']);
    await finish(load2, 'succeeded');

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
    const logs = run.stdout.split('\n').filter((l) => l.includes(' | '));
    expect(logs).toEqual([
      'extract | reading',
      'extract | read 3 rows',
      'load | first try',
      'load#2 | second try',
    ]);
    expect(run.stdout).toMatch(/ {2}load +succeeded +2\/2 /);
  });

  it('prints JSON lines with --json: each change, then the final RunView', async () => {
    await h.file('json.yaml', 'name: cli-follow-json\ntasks:\n  t: { kind: noop }\n');
    const cli = h.start(['run', 'json.yaml', '--wait', '--json']);
    const runId = await waitFor(
      async () => /"runId":"([0-9a-f-]{36})"/.exec(cli.stdout())?.[1],
      20_000,
      'the first change',
    );
    await finish(await claim(runId, 't'), 'failed', { exitCode: 2 });
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
      // The stream opens on the run as it is (a snapshot), then follows each change.
      { type: 'status', runId, task: 't', status: 'queued' },
      { type: 'status', runId, status: 'running' },
      { type: 'status', runId, task: 't', status: 'running', attempt: 1 },
      {
        type: 'status',
        runId,
        task: 't',
        status: 'failed',
        attempt: 1,
        exitCode: 2,
        reason: 'exit code 2',
      },
      { type: 'status', runId, status: 'failed' },
    ]);
    expect(objects.at(-1)).toEqual(JSON.parse(JSON.stringify(await getRun(h.pool, runId))));
  });

  it('keeps following across a server restart: every change and log line exactly once', async () => {
    await h.file(
      'restart.yaml',
      'name: cli-follow-restart\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: shell, needs: [a], command: echo b }\n',
    );
    const cli = h.start(['run', 'restart.yaml', '--wait']);
    const runId = await runIdOf(cli);
    const a = await claim(runId, 'a');
    await log(a, 0, ['before the restart']);
    await waitFor(async () => cli.stdout().includes('a | before the restart'), 10_000, 'line 1');

    // While the server is down the run goes on; the CLI reconnects with Last-Event-ID.
    await h.restartServer(async () => {
      await log(a, 1, ['while the server was down']);
      await finish(a, 'succeeded');
    });
    await waitFor(
      async () => cli.stdout().includes('b  queued'),
      20_000,
      'b queued after the restart',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${cli.stdout()}\n${h.server.output()}`);
    });
    const b = await claim(runId, 'b');
    await log(b, 0, ['after the restart']);
    await finish(b, 'succeeded');

    const run = await cli.result;
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.includes(' | '))).toEqual([
      'a | before the restart',
      'a | while the server was down',
      'b | after the restart',
    ]);
    expect(changeLines(run.stdout)).toEqual([
      'a queued',
      'a running',
      'a succeeded',
      'b queued',
      'b running',
      'b succeeded',
    ]);
  });

  it('stops waiting on Ctrl-C without cancelling the run, and exits 130', async () => {
    await h.file('idle.yaml', 'name: cli-follow-idle\ntasks:\n  t: { kind: noop }\n');
    const cli = h.start(['run', 'idle.yaml', '--wait']);
    const runId = await runIdOf(cli);
    await waitFor(async () => cli.stdout().includes('t  queued'), 10_000, 't queued');
    cli.child.kill('SIGINT');
    const run = await cli.result;
    expect(run.code).toBe(130);
    expect(run.stderr).toBe(
      `\nstopped waiting; run ${runId} (#1) is still running (it was not cancelled)\n` +
        `check on it with: dtss status ${runId}\n`,
    );
    expect((await getRun(h.pool, runId))!.status).toBe('running');
  });
});
