import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, readDatabaseHealth, type Pool } from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('health');
  pool = createPool(db.url, { applicationName: 'test' });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('readDatabaseHealth', () => {
  it('reports the server and the newest applied migration', async () => {
    const health = await readDatabaseHealth(pool);
    expect(health.ok).toBe(true);
    expect(health.serverVersion).toMatch(/^\d+/);
    const migrations = readdirSync(
      path.resolve(import.meta.dirname, '../../../prisma/migrations'),
    ).filter((name) => /^\d{14}_/.test(name));
    expect(health.migration!.latest).toBe(migrations.sort().at(-1));
    expect(health.migration!.applied).toBe(migrations.length);
  });

  it('reports an unreachable server instead of throwing', async () => {
    const dead = createPool('postgresql://postgres:x@127.0.0.1:1/none', {
      applicationName: 'test',
    });
    try {
      const health = await readDatabaseHealth(dead);
      expect(health.ok).toBe(false);
      expect(health.error).toMatch(/ECONNREFUSED|connect/);
    } finally {
      await dead.end();
    }
  });
});
