// Plain-language help for a task's `trigger` (see the trigger-rules table in @dtss/core's README).
import { TRIGGER_RULES, type TriggerRule } from '@dtss/core';

/** What a task without `trigger` gets. */
export const DEFAULT_TRIGGER_RULE: TriggerRule = 'all_success';

export const TRIGGER_RULE_EXPLANATIONS: Readonly<Record<TriggerRule, string>> = {
  all_success: 'Runs when every upstream task succeeded; skipped if any failed or was skipped.',
  all_failed: 'Runs when every upstream task failed; skipped if any succeeded or was skipped.',
  all_done: 'Runs once every upstream task is done, whatever the outcome; never skipped.',
  always:
    'Runs once every upstream task is done, even when the run is cancelled or times out (cleanup).',
  one_success:
    'Runs as soon as one upstream task succeeds; skipped if all are done and none succeeded.',
  one_failed: 'Runs as soon as one upstream task fails; skipped if all are done and none failed.',
  none_failed:
    'Runs once every upstream task is done and none failed (skipped ones are fine); skipped if any failed.',
};

function isTriggerRule(rule: string): rule is TriggerRule {
  return (TRIGGER_RULES as readonly string[]).includes(rule);
}

/** One line explaining `rule`; undefined for a name that is not a rule (validation reports it). */
export function explainTriggerRule(rule: string): string | undefined {
  return isTriggerRule(rule) ? TRIGGER_RULE_EXPLANATIONS[rule] : undefined;
}
