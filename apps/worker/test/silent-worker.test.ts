/**
 * Workers that go silent without dying, with real worker processes, real shell tasks and the
 * leader's real housekeeping (run here, with a short lost-worker timeout):
 * - one cut off from the database (its connections go through a TCP proxy the test cuts) for
 *   longer than the timeout: its tasks run again on another worker; once reconnected it kills what
 *   it still runs of them, records nothing for them (a result it finished during the cut is
 *   refused and dropped) and takes new work;
 * - one paused (SIGSTOP) as long, then continued: the same, its connections surviving the pause;
 * - one whose heartbeats stop but which keeps taking jobs after it was swept: its claims are
 *   refused, so its death then does not strand the task until graphile-worker's lock timeout.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHousekeeping } from '../src/scheduler/housekeeping';
import { exitOf, waitFor } from './spawn-worker';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { ms, startEngine, task, type Engine } from './engine/harness';

const LOST_AFTER_MS = 3_000;

let engine: Engine;
let proxy: TcpProxy;
let stopHousekeeping: () => void;
const leaderLog: string[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'dtss-silent-'));

beforeAll(async () => {
  engine = await startEngine({ label: 'silent_worker', workers: 0 });
  const db = new URL(engine.db.url);
  proxy = await startTcpProxy({ host: db.hostname, port: Number(db.port) });
  stopHousekeeping = startHousekeeping(engine.pool, {
    isLeader: () => true,
    intervalMs: 250,
    workerLostAfterMs: LOST_AFTER_MS,
    log: (line) => leaderLog.push(line),
  });
});
afterAll(async () => {
  stopHousekeeping?.();
  proxy?.restore();
  await engine?.stop();
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether a process runs (zombies, which only wait for their reaping, do not count). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function workerRow(id: string) {
  const { rows } = await engine.pool.query<{ status: string; swept_at: Date | null }>(
    'SELECT status, swept_at FROM workers WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

async function attemptRows(runId: string, taskKey: string) {
  const { rows } = await engine.pool.query<{
    id: string;
    attempt_number: number;
    status: string;
    worker_id: string;
    error: string | null;
    output: unknown;
    log_lines: number;
    finished_at: Date;
  }>(
    `SELECT a.id, a.attempt_number, a.status, a.worker_id, a.error, a.output, a.log_lines,
            a.finished_at
       FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
      WHERE t.run_id = $1 AND t.task_key = $2 ORDER BY a.attempt_number`,
    [runId, taskKey],
  );
  return rows;
}

describe('a worker cut off from the database for longer than the lost-worker timeout', () => {
  it('its tasks run again elsewhere; back, it kills their processes, records nothing and takes new work', async () => {
    const pidsFile = path.join(dir, 'long.pids');
    const go = path.join(dir, 'go');
    // `long` keeps running through the cut (its first attempt, with a child, records their pids);
    // `short` ends during the cut, once the test says go. Second attempts end at once.
    await engine.deploy(`
name: cut-off
tasks:
  long:
    kind: shell
    command: |
      if [ "$DTSS_ATTEMPT" = 1 ]; then sleep 300 & echo $$ $! > ${pidsFile}; wait; fi
    retries: { maxAttempts: 2, initialDelay: 100ms }
  short:
    kind: shell
    command: |
      while [ ! -f ${go} ]; do sleep 0.1; done
      printf '{"attempt": %s}' "$DTSS_ATTEMPT" > "$DTSS_OUTPUT_FILE"
    retries: { maxAttempts: 2, initialDelay: 100ms }
`);
    await engine.deploy(`
name: after-the-cut
tasks:
  only: { kind: shell, command: echo back, pool: solo }
`);
    const cutOff = await engine.addWorker({
      name: 'cut-off',
      pools: 'default,solo',
      env: { DATABASE_URL: proxy.urlFor(engine.db.url) },
    });
    const cutOffId = await engine.workerId(cutOff.name);
    const runId = await engine.run('cut-off');
    await engine.waitForView(
      runId,
      (v) => task(v, 'long').status === 'running' && task(v, 'short').status === 'running',
      'both tasks to start on the first worker',
      20_000,
    );
    const [shell, sleeper] = await waitFor(
      async () => {
        if (!existsSync(pidsFile)) return undefined;
        const found = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number);
        return found.length === 2 && found.every((p) => p > 1) ? found : undefined;
      },
      15_000,
      'the long task to write its pids',
    );
    // Its first log line stored: nothing of `short` waits to be shipped when the cut comes.
    await waitFor(
      async () => (await engine.logsOf(runId, 'short', 1)).length > 0,
      15_000,
      "short's first log line",
    );
    // It recorded the id graphile-worker locks its jobs with (the sweep unlocks what it took and
    // had not claimed).
    const { rows: locks } = await engine.pool.query<{ recorded: string; locked_by: string }>(
      `SELECT w.metadata->>'jobsLockedBy' AS recorded, j.locked_by
         FROM workers w, graphile_worker._private_jobs j JOIN task_runs t ON j.key = 'task:' || t.id
        WHERE w.id = $1 AND t.run_id = $2 AND t.task_key = 'long'`,
      [cutOffId, runId],
    );
    expect(locks).toHaveLength(1);
    expect(locks[0]!.recorded).toMatch(/^pool-/);
    expect(locks[0]!.locked_by).toBe(locks[0]!.recorded);
    const steady = await engine.addWorker({ name: 'steady', pools: 'default' });
    const steadyId = await engine.workerId(steady.name);

    proxy.cut();
    writeFileSync(go, '');
    // Declared lost, both tasks retried on the other worker: the run ends while the cut lasts.
    const ended = await engine.waitForRun(runId, 60_000);
    expect(ended.status).toBe('succeeded');
    for (const key of ['long', 'short']) {
      expect(task(ended, key).attemptHistory).toMatchObject([
        { number: 1, status: 'lost', workerId: cutOffId },
        { number: 2, status: 'succeeded', workerId: steadyId },
      ]);
    }
    expect(task(ended, 'short').output).toEqual({ attempt: 2 });
    expect((await workerRow(cutOffId)).status).toBe('lost');
    // The cut-off worker cannot know yet: its task still runs beside the retry's result.
    expect(running(shell!) && running(sleeper!)).toBe(true);

    proxy.restore();
    // Back: it learns it had been lost and kills the processes of the swept attempt at once.
    await waitFor(
      async () => !running(shell!) && !running(sleeper!),
      20_000,
      "the swept attempt's processes to end once the worker is back",
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${engine.workerOutput()}`);
    });
    await waitFor(
      async () => (await workerRow(cutOffId)).status === 'active',
      20_000,
      'the worker to be active again',
    );
    const [shortFirst] = await attemptRows(runId, 'short');
    // The result `short` finished during the cut is refused once the database is reachable, and
    // dropped: not retried for ever.
    await waitFor(
      async () =>
        cutOff.child.output().includes(`end of attempt ${shortFirst!.id} was not recorded`),
      30_000,
      "the worker to drop short's refused result",
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${engine.workerOutput()}`);
    });
    const output = cutOff.child.output();
    expect(output).toContain('this worker had been declared lost');
    expect(output).toMatch(/attempt [0-9a-f-]+ \(task [0-9a-f-]+\) is no longer this worker's/);

    // Nothing was recorded for the swept attempts: one outcome per task, the retry's.
    const after = await engine.getRun(runId);
    expect(after.status).toBe('succeeded');
    expect(task(after, 'short').output).toEqual({ attempt: 2 });
    for (const key of ['long', 'short']) {
      const rows = await attemptRows(runId, key);
      expect(rows.map((r) => [r.attempt_number, r.status, r.worker_id])).toEqual([
        [1, 'lost', cutOffId],
        [2, 'succeeded', steadyId],
      ]);
      expect(rows[0]).toMatchObject({
        error: 'the worker running this attempt stopped heartbeating',
        output: null,
        log_lines: 0,
      });
      // No log line of the swept attempt was stored after it was swept.
      const { rows: late } = await engine.pool.query(
        'SELECT 1 FROM log_chunks WHERE attempt_id = $1 AND created_at > $2',
        [rows[0]!.id, rows[0]!.finished_at],
      );
      expect(late).toEqual([]);
    }

    // It takes new work again (only it serves `solo`), and never stopped.
    const next = await engine.waitForRun(await engine.run('after-the-cut'), 30_000);
    expect(next.status).toBe('succeeded');
    expect(task(next, 'only').attemptHistory).toMatchObject([
      { status: 'succeeded', workerId: cutOffId },
    ]);
    expect(cutOff.child.exitCode).toBeNull();
  }, 180_000);
});

describe('a worker paused (SIGSTOP) for longer than the lost-worker timeout, then continued', () => {
  it('its task runs again elsewhere; continued, it kills the swept attempt and is active again', async () => {
    const pidsFile = path.join(dir, 'frozen.pids');
    await engine.deploy(`
name: frozen
tasks:
  long:
    kind: shell
    pool: frozen
    command: |
      if [ "$DTSS_ATTEMPT" = 1 ]; then sleep 300 & echo $$ $! > ${pidsFile}; wait; fi
    retries: { maxAttempts: 2, initialDelay: 100ms }
`);
    const paused = await engine.addWorker({ name: 'paused', pools: 'frozen' });
    const pausedId = await engine.workerId(paused.name);
    const runId = await engine.run('frozen');
    await engine.waitForView(
      runId,
      (v) => task(v, 'long').status === 'running',
      'the task to start on the first worker',
      20_000,
    );
    const [shell, sleeper] = await waitFor(
      async () => {
        if (!existsSync(pidsFile)) return undefined;
        const found = readFileSync(pidsFile, 'utf8').trim().split(' ').map(Number);
        return found.length === 2 && found.every((p) => p > 1) ? found : undefined;
      },
      15_000,
      'the task to write its pids',
    );
    const thaw = await engine.addWorker({ name: 'thaw', pools: 'frozen' });

    paused.child.kill('SIGSTOP');
    try {
      const ended = await engine.waitForRun(runId, 60_000);
      expect(ended.status).toBe('succeeded');
      expect(task(ended, 'long').attemptHistory).toMatchObject([
        { number: 1, status: 'lost', workerId: pausedId },
        { number: 2, status: 'succeeded', workerId: await engine.workerId(thaw.name) },
      ]);
      // The task's processes are not the worker's: they ran on while it was stopped.
      expect(running(shell!) && running(sleeper!)).toBe(true);
    } finally {
      paused.child.kill('SIGCONT');
    }
    await waitFor(
      async () => !running(shell!) && !running(sleeper!),
      20_000,
      "the swept attempt's processes to end once the worker continues",
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${engine.workerOutput()}`);
    });
    await waitFor(
      async () => (await workerRow(pausedId)).status === 'active',
      20_000,
      'the worker to be active again',
    );
    expect(paused.child.output()).toContain('this worker had been declared lost');
    const rows = await attemptRows(runId, 'long');
    expect(rows.map((r) => [r.attempt_number, r.status])).toEqual([
      [1, 'lost'],
      [2, 'succeeded'],
    ]);
    expect(paused.child.exitCode).toBeNull();
  }, 180_000);
});

describe('a silent worker that takes a job after it was swept', () => {
  it('is refused the claim: the task runs on another worker within the lost timeout plus a sweep', async () => {
    // Its heartbeats are a minute apart: declared lost after LOST_AFTER_MS, swept, still taking jobs.
    const mute = await engine.addWorker({ name: 'mute', pools: 'mute', heartbeatMs: 60_000 });
    const muteId = await engine.workerId(mute.name);
    await waitFor(
      async () => {
        const row = await workerRow(muteId);
        return row.status === 'lost' && row.swept_at !== null;
      },
      30_000,
      'the silent worker to be declared lost and swept',
    );
    await engine.deploy(`
name: muted
tasks:
  only: { kind: shell, command: sleep 2, pool: mute }
`);
    const runId = await engine.run('muted');
    // It takes the job: its claim is refused (before the fix it ran the task).
    await waitFor(
      async () => {
        if (mute.child.output().includes('refused')) return true;
        const view = await engine.getRun(runId);
        return task(view, 'only').status === 'running';
      },
      15_000,
      'the silent worker to take the job',
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${engine.workerOutput()}`);
    });
    // It dies holding the job graphile-worker gave it.
    mute.child.kill('SIGKILL');
    await exitOf(mute.child);

    const startedAt = Date.now();
    const heir = await engine.addWorker({ name: 'heir', pools: 'mute' });
    const view = await engine.waitForRun(runId, 30_000);
    expect(view.status).toBe('succeeded');
    const attempts = task(view, 'only').attemptHistory;
    expect(attempts).toMatchObject([
      { status: 'succeeded', workerId: await engine.workerId(heir.name) },
    ]);
    expect(ms(attempts[0]!.startedAt) - startedAt).toBeLessThan(LOST_AFTER_MS + 30_000);
    expect(mute.child.output()).toMatch(/claim of task [0-9a-f-]+ refused/);
  }, 120_000);
});
