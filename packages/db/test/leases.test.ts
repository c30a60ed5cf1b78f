import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease, createPool, releaseLease, renewLease, type Pool } from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('leases');
  pool = createPool(db.url, { applicationName: 'test' });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('leases', () => {
  it('grants a free lease to one holder and refuses the others while it is valid', async () => {
    const a = await acquireLease(pool, 'l1', 'a', 10_000);
    expect(a).not.toBeNull();
    expect(a!.fencingToken).toBe(1n);
    expect(await acquireLease(pool, 'l1', 'b', 10_000)).toBeNull();
    // Re-acquiring our own lease keeps the token.
    expect((await acquireLease(pool, 'l1', 'a', 10_000))!.fencingToken).toBe(1n);
  });

  it('hands an expired lease to the next holder with a larger fencing token', async () => {
    const a = (await acquireLease(pool, 'l2', 'a', 50))!;
    await new Promise((r) => setTimeout(r, 80));
    const b = await acquireLease(pool, 'l2', 'b', 10_000);
    expect(b!.fencingToken).toBe(a.fencingToken + 1n);
    // The deposed holder can no longer renew.
    expect(await renewLease(pool, a, 10_000)).toBeNull();
    expect(await renewLease(pool, b!, 10_000)).not.toBeNull();
  });

  it('lets exactly one of many concurrent contenders win', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => acquireLease(pool, 'l3', `h${i}`, 10_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a released lease is free at once', async () => {
    const a = (await acquireLease(pool, 'l4', 'a', 60_000))!;
    await releaseLease(pool, a);
    expect(await acquireLease(pool, 'l4', 'b', 60_000)).not.toBeNull();
  });
});
