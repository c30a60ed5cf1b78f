import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTriggerRule, TRIGGER_RULES, triggerRuleSql } from '@dtss/core';
import { createPool, type Pool } from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('rule_sql');
  pool = createPool(db.url, { applicationName: 'test' });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('triggerRuleSql', () => {
  it('decides exactly like evaluateTriggerRule for every rule and every count up to 3', async () => {
    const cases: {
      rule: string;
      total: number;
      succeeded: number;
      failed: number;
      skipped: number;
      pending: number;
    }[] = [];
    for (const rule of TRIGGER_RULES)
      for (let total = 0; total <= 3; total++)
        for (let succeeded = 0; succeeded <= total; succeeded++)
          for (let failed = 0; succeeded + failed <= total; failed++)
            for (let skipped = 0; succeeded + failed + skipped <= total; skipped++)
              cases.push({
                rule,
                total,
                succeeded,
                failed,
                skipped,
                pending: total - succeeded - failed - skipped,
              });
    const expr = triggerRuleSql({
      rule: 'c.rule',
      total: 'c.total',
      succeeded: 'c.succeeded',
      failed: 'c.failed',
      skipped: 'c.skipped',
      pending: 'c.pending',
    });
    const { rows } = await pool.query<{ i: number; decision: string }>(
      `SELECT c.i, ${expr} AS decision FROM jsonb_to_recordset($1::jsonb)
         AS c(i int, rule text, total int, succeeded int, failed int, skipped int, pending int)`,
      [JSON.stringify(cases.map((c, i) => ({ i, ...c })))],
    );
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      const c = cases[row.i]!;
      const expected = evaluateTriggerRule(c.rule as (typeof TRIGGER_RULES)[number], {
        total: c.total,
        succeeded: c.succeeded,
        failed: c.failed,
        skipped: c.skipped,
        pendingUpstream: c.pending,
      });
      expect({ ...c, decision: row.decision }).toEqual({ ...c, decision: expected });
    }
  });
});
