import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf } from './spawn-worker';
import { startEngine, task, type Engine } from './engine/harness';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    label: 'drain',
    workers: 1,
    env: { DTSS_DRAIN_GRACE_MS: '300' },
  });
});
afterAll(async () => {
  await engine?.stop();
});

describe('worker drain on SIGTERM', () => {
  it('hands an unfinished task back to the queue; another worker runs it to the end', async () => {
    await engine.deploy(`
name: long-task
tasks:
  slow:
    kind: shell
    # The first run outlasts any start-up of the second worker on a loaded machine (it is handed
    # back long before it ends); the run after the hand-back ends at once.
    command: f="\${TMPDIR:-/tmp}/dtss-drain-$DTSS_RUN_ID"; if [ -e "$f" ]; then rm -f "$f"; exit 0; fi; touch "$f"; sleep 120
    retries: { maxAttempts: 1 }
`);
    const runId = await engine.run('long-task');
    await engine.waitForView(
      runId,
      (v) => task(v, 'slow').status === 'running',
      'the task to start',
      15_000,
    );
    const first = engine.workers[0]!;
    const firstId = await engine.workerId(first.name);
    await engine.addWorker({ name: 'second' });
    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    expect(first.child.output()).toContain('handing 1 unfinished task(s) back to the queue');

    const view = await engine.waitForRun(runId, 30_000);
    expect(view.status).toBe('succeeded');
    const attempts = task(view, 'slow').attemptHistory;
    // The hand-back does not use up the task's only attempt.
    expect(attempts.map((a) => a.status)).toEqual(['cancelled', 'succeeded']);
    expect(attempts[0]!.workerId).toBe(firstId);
    expect(attempts[1]!.workerId).toBe(await engine.workerId('second'));
  });
});
