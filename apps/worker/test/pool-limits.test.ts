import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPoolLimit } from '@dtss/db';
import { startEngine, type Engine } from './engine/harness';

let engine: Engine;

beforeAll(async () => {
  engine = await startEngine({
    label: 'pool_limits',
    workers: 2,
    concurrency: 4,
    env: { DTSS_POOL_LIMITS_REFRESH_MS: '100' },
  });
});
afterAll(async () => {
  await engine?.stop();
});

describe('per-pool concurrency limit', () => {
  it('never runs more tasks of a limited pool at once than its slots, across workers', async () => {
    await setPoolLimit(engine.pool, 'default', 1);
    await new Promise((r) => setTimeout(r, 400)); // a refresh of the workers' limits
    try {
      await engine.deploy(`
name: limited-pool
tasks:
${[1, 2, 3, 4].map((i) => `  t${i}: { kind: shell, command: sleep 0.3 }`).join('\n')}
`);
      const view = await engine.waitForRun(await engine.run('limited-pool'), 30_000);
      expect(view.status).toBe('succeeded');
      const spans = view.tasks
        .map((t) => [t.startedAt!.getTime(), t.finishedAt!.getTime()] as const)
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++)
        expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    } finally {
      await setPoolLimit(engine.pool, 'default', null);
    }
  });
});
