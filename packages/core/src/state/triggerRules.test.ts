import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateTriggerRule,
  TRIGGER_RULES,
  type TriggerDecision,
  type TriggerRule,
} from './triggerRules';

/** Counts for upstream outcomes: s succeeded, f failed, k skipped, c cancelled, p pending. */
function counts(s: number, f: number, k: number, p: number, c = 0) {
  return {
    total: s + f + k + p + c,
    succeeded: s,
    failed: f,
    skipped: k,
    cancelled: c,
    pendingUpstream: p,
  };
}

const table: Array<[TriggerRule, ReturnType<typeof counts>, TriggerDecision]> = [
  ['all_success', counts(2, 0, 0, 0), 'ready'],
  ['all_success', counts(1, 0, 0, 1), 'wait'],
  ['all_success', counts(1, 1, 0, 1), 'skip'],
  ['all_success', counts(1, 0, 1, 1), 'skip'],
  ['all_success', counts(1, 0, 0, 1, 1), 'skip'],
  ['all_success', counts(0, 0, 0, 0), 'ready'],
  ['all_failed', counts(0, 2, 0, 0), 'ready'],
  ['all_failed', counts(0, 1, 0, 0, 1), 'ready'],
  ['all_failed', counts(0, 1, 0, 1), 'wait'],
  ['all_failed', counts(1, 1, 0, 1), 'skip'],
  ['all_failed', counts(0, 1, 1, 0), 'skip'],
  ['all_failed', counts(0, 0, 0, 0), 'skip'],
  ['all_done', counts(1, 1, 1, 0), 'ready'],
  ['all_done', counts(1, 1, 1, 1), 'wait'],
  ['all_done', counts(0, 0, 0, 0), 'ready'],
  ['always', counts(0, 3, 0, 0), 'ready'],
  ['always', counts(0, 3, 0, 1), 'wait'],
  ['one_success', counts(1, 0, 0, 5), 'ready'],
  ['one_success', counts(0, 2, 1, 1), 'wait'],
  ['one_success', counts(0, 2, 1, 0), 'skip'],
  ['one_failed', counts(0, 1, 0, 5), 'ready'],
  ['one_failed', counts(0, 0, 0, 1, 1), 'ready'],
  ['one_failed', counts(3, 0, 0, 1), 'wait'],
  ['one_failed', counts(3, 0, 1, 0), 'skip'],
  ['none_failed', counts(1, 0, 2, 0), 'ready'],
  ['none_failed', counts(0, 0, 2, 0), 'ready'],
  ['none_failed', counts(1, 0, 0, 1), 'wait'],
  ['none_failed', counts(1, 1, 0, 1), 'skip'],
  ['none_failed', counts(0, 0, 0, 0), 'ready'],
];

describe('evaluateTriggerRule', () => {
  it.each(table)('%s with %j → %s', (rule, c, decision) => {
    expect(evaluateTriggerRule(rule, c)).toBe(decision);
  });

  it('covers every rule', () => {
    expect(new Set(table.map(([rule]) => rule))).toEqual(new Set(TRIGGER_RULES));
  });

  it('rejects inconsistent counters', () => {
    expect(() =>
      evaluateTriggerRule('all_success', {
        total: 3,
        succeeded: 1,
        failed: 0,
        skipped: 0,
        pendingUpstream: 1,
      }),
    ).toThrow(RangeError);
  });

  it('never waits once every upstream is done, and a decision is final', () => {
    const outcome = fc.constantFrom('succeeded', 'failed', 'skipped', 'cancelled');
    fc.assert(
      fc.property(
        fc.constantFrom(...TRIGGER_RULES),
        fc.array(outcome, { minLength: 1, maxLength: 8 }),
        (rule, outcomes) => {
          // Reveal outcomes one at a time, as the engine does; once decided, later outcomes must agree.
          let decided: TriggerDecision | undefined;
          for (let done = 0; done <= outcomes.length; done++) {
            const seen = outcomes.slice(0, done);
            const c = {
              total: outcomes.length,
              succeeded: seen.filter((o) => o === 'succeeded').length,
              failed: seen.filter((o) => o === 'failed').length,
              skipped: seen.filter((o) => o === 'skipped').length,
              cancelled: seen.filter((o) => o === 'cancelled').length,
              pendingUpstream: outcomes.length - done,
            };
            const decision = evaluateTriggerRule(rule, c);
            if (decided !== undefined) expect(decision).toBe(decided);
            else if (decision !== 'wait') decided = decision;
            if (done === outcomes.length) expect(decision).not.toBe('wait');
          }
        },
      ),
    );
  });
});
