/**
 * The pool graphile-worker gets: a connection cut mid-statement is reported in a form graphile
 * retries (57P03), so its unawaited job-end writes are retried instead of rejecting unhandled.
 */
import type { Pool, PoolClient } from '@dtss/db';
import { describe, expect, it } from 'vitest';
import { patientPool } from '../src/engine/patientPool';

function fakePool(fail: () => Error) {
  let calls = 0;
  const client = {
    query: () => {
      calls++;
      return Promise.reject(fail());
    },
    release: () => {},
  } as unknown as PoolClient;
  const pool = { connect: async () => client } as unknown as Pool;
  return { pool, calls: () => calls };
}

describe('patientPool', () => {
  it('reports a connection cut mid-statement as retryable (57P03)', async () => {
    for (const fail of [
      () => new Error('Connection terminated unexpectedly'),
      () =>
        Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        }),
      () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    ]) {
      const { pool } = fakePool(fail);
      const client = await patientPool(pool, () => {}).connect();
      await expect(client.query('select 1')).rejects.toMatchObject({ code: '57P03' });
    }
  });

  it('leaves other errors alone, and wraps a pooled client once', async () => {
    const { pool, calls } = fakePool(() =>
      Object.assign(new Error('syntax error'), { code: '42601' }),
    );
    const patient = patientPool(pool, () => {});
    await patient.connect();
    const client = await patient.connect();
    await expect(client.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    expect(calls()).toBe(1);
  });
});
