import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reapLostWorkers } from '@dtss/db';
import { exitOf } from './spawn-worker';
import { startEngine, task, type Engine } from './engine/harness';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    label: 'lost_worker',
    workers: 1,
    env: { DTSS_HEARTBEAT_MS: '200' },
  });
});
afterAll(async () => {
  await engine?.stop();
});

describe('a worker killed with SIGKILL', () => {
  it('is declared lost; its attempt is closed as lost and the task runs again elsewhere', async () => {
    await engine.deploy(`
name: survives-crash
tasks:
  slow:
    kind: shell
    command: sleep 1.5
    retries: { maxAttempts: 2, initialDelay: 100ms }
`);
    const runId = await engine.run('survives-crash');
    await engine.waitForView(
      runId,
      (v) => task(v, 'slow').status === 'running',
      'the task to start',
      15_000,
    );
    const victim = engine.workers[0]!;
    const victimId = await engine.workerId(victim.name);
    victim.child.kill('SIGKILL');
    await exitOf(victim.child);
    await engine.addWorker({ name: 'survivor', env: { DTSS_HEARTBEAT_MS: '200' } });

    // Nothing is declared lost while its heartbeat is fresh.
    expect((await reapLostWorkers(engine.pool, 60_000)).workers).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_000));
    const reaped = await reapLostWorkers(engine.pool, 800);
    expect(reaped.workers).toEqual([victimId]);
    expect(reaped.attempts).toBe(1);

    const view = await engine.waitForRun(runId, 30_000);
    expect(view.status).toBe('succeeded');
    const attempts = task(view, 'slow').attemptHistory;
    expect(attempts.map((a) => a.status)).toEqual(['lost', 'succeeded']);
    expect(attempts[1]!.workerId).toBe(await engine.workerId('survivor'));
    // A second pass finds nothing left to do.
    expect(await reapLostWorkers(engine.pool, 800)).toEqual({ workers: [], attempts: 0 });
  });
});
