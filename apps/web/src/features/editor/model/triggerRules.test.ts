import {
  evaluateTriggerRule,
  TRIGGER_RULES,
  validateWorkflow,
  type UpstreamCounts,
} from '@dtss/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRIGGER_RULE,
  explainTriggerRule,
  TRIGGER_RULE_EXPLANATIONS,
} from './triggerRules';

describe('explainTriggerRule', () => {
  it.each(TRIGGER_RULES)('explains %s in one line', (rule) => {
    const text = explainTriggerRule(rule);
    expect(text).toBeTruthy();
    expect(text).not.toContain('\n');
  });

  it('has one distinct explanation per rule of @dtss/core, and no others', () => {
    expect(Object.keys(TRIGGER_RULE_EXPLANATIONS).sort()).toEqual([...TRIGGER_RULES].sort());
    expect(new Set(Object.values(TRIGGER_RULE_EXPLANATIONS)).size).toBe(TRIGGER_RULES.length);
  });

  it('says "skipped if" exactly for the rules that can skip a task with upstream', () => {
    const outcomes: UpstreamCounts[] = [];
    for (let succeeded = 0; succeeded <= 2; succeeded++)
      for (let failed = 0; failed <= 2 - succeeded; failed++)
        for (let skipped = 0; skipped <= 2 - succeeded - failed; skipped++)
          outcomes.push({
            total: 2,
            succeeded,
            failed,
            skipped,
            pendingUpstream: 2 - succeeded - failed - skipped,
          });
    for (const rule of TRIGGER_RULES) {
      const canSkip = outcomes.some((counts) => evaluateTriggerRule(rule, counts) === 'skip');
      expect(/skipped if/.test(explainTriggerRule(rule)!), rule).toBe(canSkip);
    }
  });

  it('returns undefined for names that are not rules', () => {
    expect(explainTriggerRule('one_succes')).toBeUndefined();
    expect(explainTriggerRule('toString')).toBeUndefined();
  });

  it('knows the default rule', () => {
    const result = validateWorkflow({ name: 'w', tasks: { a: { kind: 'noop' } } });
    expect(result.ok && result.workflow.tasks.a!.trigger).toBe(DEFAULT_TRIGGER_RULE);
  });
});
