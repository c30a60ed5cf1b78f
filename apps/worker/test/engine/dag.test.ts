import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ms, startEngine, statuses, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'dag', workers: 2 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('DAG execution', () => {
  it('runs a linear chain a→b→c in order', async () => {
    const name = uniqueName('chain');
    await engine.deploy(`
name: ${name}
tasks:
  a: { kind: shell, command: echo a }
  b: { kind: shell, needs: [a], command: echo b }
  c: { kind: shell, needs: [b], command: echo c }
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 20_000);
    expect(statuses(view)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' });
    expect(view.status).toBe('succeeded');
    const [a, b, c] = ['a', 'b', 'c'].map((k) => task(view, k));
    expect(ms(b!.startedAt)).toBeGreaterThanOrEqual(ms(a!.finishedAt));
    expect(ms(c!.startedAt)).toBeGreaterThanOrEqual(ms(b!.finishedAt));
    expect(ms(view.startedAt)).toBeLessThanOrEqual(ms(a!.startedAt));
    expect(ms(view.finishedAt)).toBeGreaterThanOrEqual(ms(c!.finishedAt));
    for (const t of [a!, b!, c!]) {
      expect(t.attempts).toBe(1);
      expect(t.attemptHistory).toHaveLength(1);
      expect(t.attemptHistory[0]).toMatchObject({ number: 1, status: 'succeeded', exitCode: 0 });
    }
  });

  it('runs a diamond a→(b,c)→d, with b and c in parallel', async () => {
    const name = uniqueName('diamond');
    await engine.deploy(`
name: ${name}
tasks:
  a: { kind: shell, command: echo a }
  b: { kind: shell, needs: [a], command: sleep 0.5 }
  c: { kind: shell, needs: [a], command: sleep 0.5 }
  d: { kind: shell, needs: [b, c], command: echo d }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(view.status).toBe('succeeded');
    expect(statuses(view)).toEqual({
      a: 'succeeded',
      b: 'succeeded',
      c: 'succeeded',
      d: 'succeeded',
    });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((k) => task(view, k));
    expect(ms(b!.startedAt)).toBeGreaterThanOrEqual(ms(a!.finishedAt));
    expect(ms(c!.startedAt)).toBeGreaterThanOrEqual(ms(a!.finishedAt));
    expect(ms(d!.startedAt)).toBeGreaterThanOrEqual(Math.max(ms(b!.finishedAt), ms(c!.finishedAt)));
    // Both branches were running at the same moment (8 free slots across two workers).
    expect(ms(b!.startedAt)).toBeLessThan(ms(c!.finishedAt));
    expect(ms(c!.startedAt)).toBeLessThan(ms(b!.finishedAt));
  });

  it('fans out to 200 tasks and back in to one join', async () => {
    const name = uniqueName('fan');
    const shards = Array.from({ length: 200 }, (_, i) => `s${i}`);
    const yaml = [
      `name: ${name}`,
      'tasks:',
      '  start: { kind: noop }',
      ...shards.map(
        (s) => `  ${s}: { kind: noop, needs: [start], result: { shard: ${s.slice(1)} } }`,
      ),
      `  join: { kind: shell, needs: [${shards.join(', ')}], command: echo joined }`,
    ].join('\n');
    await engine.deploy(yaml);
    const started = Date.now();
    const view = await engine.waitForRun(await engine.run(name), 45_000);
    const took = Date.now() - started;
    expect(view.status).toBe('succeeded');
    expect(view.tasks).toHaveLength(202);
    const notOk = view.tasks.filter((t) => t.status !== 'succeeded').map((t) => t.key);
    expect(notOk).toEqual([]);
    const join = task(view, 'join');
    const lastShard = Math.max(...shards.map((s) => ms(task(view, s).finishedAt)));
    expect(ms(join.startedAt)).toBeGreaterThanOrEqual(lastShard);
    const start = task(view, 'start');
    const firstShard = Math.min(...shards.map((s) => ms(task(view, s).startedAt)));
    expect(firstShard).toBeGreaterThanOrEqual(ms(start.finishedAt));
    expect(task(view, 's7').output).toEqual({ shard: 7 });
    console.log(`fan-out 1→200→1 (noop) took ${took} ms`);
  });
});
