import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, task, type Engine } from './engine/harness';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({ label: 'priority', workers: 1, concurrency: 1 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('task priority', () => {
  it('a worker with one free slot takes the highest-priority ready task first', async () => {
    await engine.deploy(`
name: prioritized
tasks:
  low: { kind: shell, command: sleep 0.05, priority: -10 }
  mid: { kind: shell, command: sleep 0.05 }
  high: { kind: shell, command: sleep 0.05, priority: 10 }
`);
    const view = await engine.waitForRun(await engine.run('prioritized'), 30_000);
    expect(view.status).toBe('succeeded');
    const order = ['low', 'mid', 'high'].sort(
      (a, b) => task(view, a).startedAt!.getTime() - task(view, b).startedAt!.getTime(),
    );
    expect(order).toEqual(['high', 'mid', 'low']);
  });
});
