import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEngine, uniqueName, type Engine } from './harness';
let e: Engine;
beforeAll(async () => { e = await startEngine({ label: 'dl', workers: 1 }); });
afterAll(async () => { await e.stop(); });
for (let i = 0; i < 6; i++)
  it(`race with a slow task ${i}`, async () => {
    const name = uniqueName('slow');
    await e.deploy(`name: ${name}\ntasks:\n  a: { kind: shell, command: sleep 3 }\n`);
    const rs = await Promise.all(Array.from({ length: 8 }, () => e.create(name, {}, { idempotencyKey: 'k' })));
    expect(rs.filter((r) => r.created)).toHaveLength(1);
  });
