import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ms, sleep, startEngine, statuses, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'pools', workers: 2, pools: ['default', 'default,gpu'] });
});
afterAll(async () => {
  await engine?.stop();
});

describe('pool routing', () => {
  it('runs gpu tasks only on the worker serving the gpu pool', async () => {
    const name = uniqueName('gpu');
    const keys = Array.from({ length: 6 }, (_, i) => `g${i}`);
    await engine.deploy(
      [
        `name: ${name}`,
        'tasks:',
        ...keys.map((k) => `  ${k}: { kind: shell, pool: gpu, command: sleep 0.2 }`),
        '  cpu: { kind: shell, command: sleep 0.2 }',
      ].join('\n'),
    );
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(view.status).toBe('succeeded');
    const gpuWorker = await engine.workerId('pools-w1');
    for (const k of keys) {
      const t = task(view, k);
      expect(t.pool).toBe('gpu');
      expect(t.attemptHistory).toHaveLength(1);
      expect(t.attemptHistory[0]!.workerId).toBe(gpuWorker);
    }
    expect(task(view, 'cpu').pool).toBe('default');
  });

  it('a task for a pool nobody serves waits in queued until a worker serves it', async () => {
    const name = uniqueName('arm');
    await engine.deploy(`
name: ${name}
tasks:
  first: { kind: shell, command: 'true' }
  on_arm: { kind: shell, needs: [first], pool: arm, command: uname -m }
`);
    const runId = await engine.run(name);
    await engine.waitForView(runId, (v) => task(v, 'first').status === 'succeeded', 'first done');
    await sleep(1_000);
    const waiting = await engine.getRun(runId);
    expect(task(waiting, 'on_arm').status).toBe('queued');
    expect(task(waiting, 'on_arm').attemptHistory).toEqual([]);
    expect(waiting.status).toBe('running');

    const armWorker = await engine.addWorker({ name: 'pools-arm', pools: 'arm' });
    const view = await engine.waitForRun(runId, 20_000);
    expect(statuses(view)).toEqual({ first: 'succeeded', on_arm: 'succeeded' });
    expect(task(view, 'on_arm').attemptHistory[0]!.workerId).toBe(
      await engine.workerId(armWorker.name),
    );
  });
});

describe('per-workflow concurrency', () => {
  it('maxRuns: 1 runs three runs one after another, the others wait in queued', async () => {
    const name = uniqueName('serial');
    await engine.deploy(`
name: ${name}
concurrency: { maxRuns: 1 }
tasks:
  nap: { kind: shell, command: sleep 0.5 }
`);
    const ids = await Promise.all([1, 2, 3].map(() => engine.run(name)));
    expect(new Set(ids).size).toBe(3);

    // While one runs, the other two are visibly queued.
    let sawQueued = false;
    let maxRunning = 0;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const views = await Promise.all(ids.map((id) => engine.getRun(id)));
      const running = views.filter((v) => v.status === 'running').length;
      const queued = views.filter((v) => v.status === 'queued').length;
      maxRunning = Math.max(maxRunning, running);
      if (running === 1 && queued === 2) sawQueued = true;
      if (views.every((v) => v.status === 'succeeded' || v.status === 'failed')) break;
      if (Date.now() > deadline)
        throw new Error(`runs did not finish: ${views.map((v) => v.status)}`);
      await sleep(50);
    }
    expect(sawQueued).toBe(true);
    expect(maxRunning).toBe(1);

    const views = await Promise.all(ids.map((id) => engine.waitForRun(id, 1_000)));
    expect(views.map((v) => v.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const intervals = views
      .map((v) => [ms(v.startedAt), ms(v.finishedAt)] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i]![0]).toBeGreaterThanOrEqual(intervals[i - 1]![1]);
    }
    // The queued runs did not start their task while waiting.
    for (const v of views) {
      expect(ms(task(v, 'nap').startedAt)).toBeGreaterThanOrEqual(ms(v.startedAt));
    }
  });
});
