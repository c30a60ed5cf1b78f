// evaluateTriggerRule as a SQL expression, so the engine can decide a downstream task inside the
// very UPDATE that bumps its counters (one statement per propagation level instead of three).
// Same table as triggerRules.ts; packages/db/test/triggerRuleSql.test.ts checks the two agree for
// every rule and every small combination of counts on a real Postgres.
import { TRIGGER_RULES } from './triggerRules';

/** SQL expressions (column references or arithmetic) for a task's rule and upstream counts. */
export interface TriggerRuleSqlInputs {
  rule: string;
  total: string;
  succeeded: string;
  /** Failed, timed out and cancelled upstream. */
  failed: string;
  skipped: string;
  pending: string;
}

/** A CASE expression yielding 'ready', 'skip' or 'wait' (NULL for an unknown rule). */
export function triggerRuleSql(c: TriggerRuleSqlInputs): string {
  const allDone = `(${c.pending}) = 0`;
  const branches: Record<(typeof TRIGGER_RULES)[number], string> = {
    all_success: `CASE WHEN (${c.failed}) + (${c.skipped}) > 0 THEN 'skip' WHEN ${allDone} THEN 'ready' ELSE 'wait' END`,
    all_failed: `CASE WHEN (${c.total}) = 0 OR (${c.succeeded}) + (${c.skipped}) > 0 THEN 'skip' WHEN ${allDone} THEN 'ready' ELSE 'wait' END`,
    all_done: `CASE WHEN ${allDone} THEN 'ready' ELSE 'wait' END`,
    always: `CASE WHEN ${allDone} THEN 'ready' ELSE 'wait' END`,
    one_success: `CASE WHEN (${c.succeeded}) > 0 THEN 'ready' WHEN ${allDone} THEN 'skip' ELSE 'wait' END`,
    one_failed: `CASE WHEN (${c.failed}) > 0 THEN 'ready' WHEN ${allDone} THEN 'skip' ELSE 'wait' END`,
    none_failed: `CASE WHEN (${c.failed}) > 0 THEN 'skip' WHEN ${allDone} THEN 'ready' ELSE 'wait' END`,
  };
  const whens = TRIGGER_RULES.map((rule) => `WHEN '${rule}' THEN ${branches[rule]}`).join(' ');
  return `(CASE ${c.rule} ${whens} END)`;
}
