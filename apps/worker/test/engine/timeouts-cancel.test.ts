import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../spawn-worker';
import { ms, pgrep, startEngine, statuses, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'timeouts', workers: 2 });
});
afterAll(async () => {
  await engine?.stop();
});

/** Waits until no process matches `marker` (a process tree can take a moment to be reaped). */
async function expectGone(marker: string, withinMs: number): Promise<void> {
  await waitFor(
    async () => (await pgrep(marker)).length === 0,
    withinMs,
    `no "${marker}" left`,
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}: still running ${await pgrep(marker)}`);
  });
}

describe('timeouts', () => {
  it('a timeout kills the whole process tree and marks the task timed_out', async () => {
    const name = uniqueName('timeout');
    const marker = 'sleep 60.123';
    await engine.deploy(`
name: ${name}
tasks:
  tree:
    kind: shell
    timeout: 1s
    command: sh -c '${marker} & ${marker} & wait'
  after: { kind: noop, needs: [tree] }
`);
    const runId = await engine.run(name);
    // The children really started.
    await waitFor(async () => (await pgrep(marker)).length >= 2, 10_000, 'the sleeps to start');
    const view = await engine.waitForRun(runId, 15_000);
    const t = task(view, 'tree');
    expect(t.status).toBe('timed_out');
    expect(t.attemptHistory).toHaveLength(1);
    expect(t.attemptHistory[0]!.status).toBe('timed_out');
    const took = ms(t.finishedAt) - ms(t.startedAt);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
    expect(task(view, 'after').status).toBe('skipped');
    expect(view.status).toBe('failed');
    await expectGone(marker, 2_000);
  });

  it('a timed-out attempt is retried when the policy allows (timeouts: true by default)', async () => {
    const name = uniqueName('timeoutretry');
    await engine.deploy(`
name: ${name}
tasks:
  slow:
    kind: shell
    timeout: 500ms
    retries: { maxAttempts: 2, backoff: fixed, initialDelay: 100ms }
    command: sleep 60.124
`);
    const view = await engine.waitForRun(await engine.run(name), 15_000);
    const t = task(view, 'slow');
    expect(t.status).toBe('timed_out');
    expect(t.attemptHistory.map((a) => a.status)).toEqual(['timed_out', 'timed_out']);
    await expectGone('sleep 60.124', 2_000);
  });
});

describe('cancellation', () => {
  it('cancelRun stops a running task, kills its process and cancels what is pending', async () => {
    const name = uniqueName('cancel');
    const marker = 'sleep 30.456';
    await engine.deploy(`
name: ${name}
tasks:
  long: { kind: shell, command: ${marker} }
  next: { kind: shell, needs: [long], command: 'true' }
  last: { kind: noop, needs: [next] }
`);
    const runId = await engine.run(name);
    await engine.waitForView(runId, (v) => task(v, 'long').status === 'running', 'long running');
    await waitFor(async () => (await pgrep(marker)).length > 0, 10_000, 'the sleep to start');
    const asked = Date.now();
    await engine.cancel(runId);
    const view = await engine.waitForRun(runId, 10_000);
    const took = Date.now() - asked;
    expect(view.status).toBe('cancelled');
    expect(statuses(view)).toEqual({ long: 'cancelled', next: 'cancelled', last: 'cancelled' });
    expect(task(view, 'long').attemptHistory[0]!.status).toBe('cancelled');
    expect(took).toBeLessThan(2_500);
    await expectGone(marker, 1_000);
    expect(view.finishedAt).not.toBeNull();
  });

  it('cancelling a finished run changes nothing', async () => {
    const name = uniqueName('cancelfinished');
    await engine.deploy(`
name: ${name}
tasks:
  a: { kind: shell, command: 'true' }
`);
    const runId = await engine.run(name);
    const done = await engine.waitForRun(runId, 20_000);
    expect(done.status).toBe('succeeded');
    await engine.cancel(runId);
    const after = await engine.getRun(runId);
    expect(after.status).toBe('succeeded');
    expect(statuses(after)).toEqual({ a: 'succeeded' });
  });

  it('an always task still runs after a cancel (cleanup)', async () => {
    const name = uniqueName('cancelcleanup');
    await engine.deploy(`
name: ${name}
tasks:
  long: { kind: shell, command: sleep 30.457 }
  cleanup: { kind: shell, needs: [long], trigger: always, command: echo cleaned }
`);
    const runId = await engine.run(name);
    await engine.waitForView(runId, (v) => task(v, 'long').status === 'running', 'long running');
    await engine.cancel(runId);
    const view = await engine.waitForRun(runId, 10_000);
    expect(task(view, 'long').status).toBe('cancelled');
    expect(task(view, 'cleanup').status).toBe('succeeded');
    expect(view.status).toBe('cancelled');
    await expectGone('sleep 30.457', 2_000);
  });
});
