import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ms, startEngine, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'retries', workers: 2 });
});
afterAll(async () => {
  await engine?.stop();
});

/** A command that fails until it has run `succeedOn` times for this run (a counter file). */
function flaky(succeedOn: number, exitCode = 1): string {
  return [
    `f="${engine.tmpDir}/{{ run.id }}-{{ task.id }}"`,
    'n=$(cat "$f" 2>/dev/null || echo 0)',
    'n=$((n + 1))',
    'echo "$n" > "$f"',
    'echo "attempt {{ task.attempt }} (count $n)"',
    `if [ "$n" -lt ${succeedOn} ]; then exit ${exitCode}; fi`,
  ].join('; ');
}

function gaps(view: Awaited<ReturnType<Engine['waitForRun']>>, key: string): number[] {
  const h = task(view, key).attemptHistory;
  return h.slice(1).map((a, i) => ms(a.startedAt) - ms(h[i]!.finishedAt));
}

describe('retries', () => {
  it('fixed backoff: fails twice, succeeds on the third attempt', async () => {
    const name = uniqueName('fixed');
    await engine.deploy(`
name: ${name}
tasks:
  flaky:
    kind: shell
    retries: { maxAttempts: 3, backoff: fixed, initialDelay: 300ms }
    command: '${flaky(3)}'
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 20_000);
    const t = task(view, 'flaky');
    expect(view.status).toBe('succeeded');
    expect(t.status).toBe('succeeded');
    expect(t.attempts).toBe(3);
    expect(t.maxAttempts).toBe(3);
    expect(t.attemptHistory.map((a) => [a.number, a.status, a.exitCode])).toEqual([
      [1, 'failed', 1],
      [2, 'failed', 1],
      [3, 'succeeded', 0],
    ]);
    for (const g of gaps(view, 'flaky')) expect(g).toBeGreaterThanOrEqual(250);
    // Each attempt has its own log.
    const logs = await engine.logsOf(runId, 'flaky');
    const byAttempt = [1, 2, 3].map((n) =>
      logs.filter((l) => l.attempt === n && /^attempt \d+ \(count/.test(l.text)).map((l) => l.text),
    );
    expect(byAttempt).toEqual([
      ['attempt 1 (count 1)'],
      ['attempt 2 (count 2)'],
      ['attempt 3 (count 3)'],
    ]);
  });

  it('shows retry_wait with nextAttemptAt between attempts', async () => {
    const name = uniqueName('wait');
    await engine.deploy(`
name: ${name}
tasks:
  flaky:
    kind: shell
    retries: { maxAttempts: 2, backoff: fixed, initialDelay: 2s }
    command: '${flaky(2)}'
`);
    const runId = await engine.run(name);
    const waiting = await engine.waitForView(
      runId,
      (v) => task(v, 'flaky').status === 'retry_wait',
      'flaky in retry_wait',
      10_000,
    );
    const t = task(waiting, 'flaky');
    expect(t.nextAttemptAt).not.toBeNull();
    expect(ms(t.nextAttemptAt)).toBeGreaterThan(ms(t.attemptHistory[0]!.finishedAt) + 1500);
    expect(waiting.status).toBe('running');
    const view = await engine.waitForRun(runId, 20_000);
    expect(task(view, 'flaky').status).toBe('succeeded');
  });

  it('exponential backoff doubles the delay', async () => {
    const name = uniqueName('expo');
    await engine.deploy(`
name: ${name}
tasks:
  flaky:
    kind: shell
    retries: { maxAttempts: 3, backoff: exponential, initialDelay: 300ms }
    command: '${flaky(3)}'
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(task(view, 'flaky').status).toBe('succeeded');
    expect(task(view, 'flaky').attemptHistory).toHaveLength(3);
    const [g1, g2] = gaps(view, 'flaky');
    expect(g1).toBeGreaterThanOrEqual(250);
    expect(g2).toBeGreaterThanOrEqual(550);
  });

  it('gives up after maxAttempts and fails the task and the run', async () => {
    const name = uniqueName('exhaust');
    await engine.deploy(`
name: ${name}
tasks:
  never:
    kind: shell
    retries: { maxAttempts: 2, backoff: fixed, initialDelay: 100ms }
    command: 'exit 4'
  after: { kind: noop, needs: [never] }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    const t = task(view, 'never');
    expect(t.status).toBe('failed');
    expect(t.attemptHistory.map((a) => [a.status, a.exitCode])).toEqual([
      ['failed', 4],
      ['failed', 4],
    ]);
    expect(task(view, 'after').status).toBe('skipped');
    expect(view.status).toBe('failed');
  });

  it('retryOn exitCodes: an exit code not listed is not retried', async () => {
    const name = uniqueName('retryon');
    await engine.deploy(`
name: ${name}
tasks:
  unlisted:
    kind: shell
    retries: { maxAttempts: 3, backoff: fixed, initialDelay: 100ms, retryOn: { exitCodes: [75] } }
    command: 'exit 3'
  listed:
    kind: shell
    retries: { maxAttempts: 3, backoff: fixed, initialDelay: 100ms, retryOn: { exitCodes: [75] } }
    command: '${flaky(3, 75)}'
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    const unlisted = task(view, 'unlisted');
    expect(unlisted.status).toBe('failed');
    expect(unlisted.attemptHistory).toHaveLength(1);
    expect(unlisted.attemptHistory[0]!.exitCode).toBe(3);
    const listed = task(view, 'listed');
    expect(listed.status).toBe('succeeded');
    expect(listed.attemptHistory.map((a) => a.exitCode)).toEqual([75, 75, 0]);
  });
});
