/**
 * Workers that go silent without dying, with real worker processes, real shell tasks and the
 * leader's real housekeeping (run here, with a short lost-worker timeout):
 * - one whose heartbeats stop but which keeps taking jobs after it was swept: its claims are
 *   refused, so its death then does not strand the task until graphile-worker's lock timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHousekeeping } from '../src/scheduler/housekeeping';
import { exitOf, waitFor } from './spawn-worker';
import { ms, startEngine, task, type Engine } from './engine/harness';

const LOST_AFTER_MS = 3_000;

let engine: Engine;
let stopHousekeeping: () => void;
const leaderLog: string[] = [];

beforeAll(async () => {
  engine = await startEngine({ label: 'silent_worker', workers: 0 });
  stopHousekeeping = startHousekeeping(engine.pool, {
    isLeader: () => true,
    intervalMs: 250,
    workerLostAfterMs: LOST_AFTER_MS,
    log: (line) => leaderLog.push(line),
  });
});
afterAll(async () => {
  stopHousekeeping?.();
  await engine?.stop();
});

async function workerRow(id: string) {
  const { rows } = await engine.pool.query<{ status: string; swept_at: Date | null }>(
    'SELECT status, swept_at FROM workers WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

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
