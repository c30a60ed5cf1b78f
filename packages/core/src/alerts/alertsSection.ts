// The `alerts:` section of a workflow: entries parsed one by one (a bad one does not hide the
// others' errors), normalized, and given unique names (`run-failed`, `run-failed-2`, …).
import { z } from 'zod';
import type { Issue } from '../definition/issue';
import { parseEntries } from '../definition/runSources';
import {
  alertRuleSchema,
  MAX_ALERT_RULES,
  normalizeAlertRule,
  type AlertRuleSpec,
} from './ruleSchema';

export const alertsSectionSchema = z.array(z.unknown()).max(MAX_ALERT_RULES).default([]);

export function normalizeAlerts(entries: unknown[], issues: Issue[]): AlertRuleSpec[] {
  const parsed = parseEntries(alertRuleSchema, entries, 'alerts', issues);
  const taken = new Set<string>();
  const explicit = new Set(parsed.flatMap(({ value }) => (value.name ? [value.name] : [])));
  const out: AlertRuleSpec[] = [];
  for (const { index, value } of parsed) {
    const rule = normalizeAlertRule(value);
    if (value.name) {
      if (taken.has(rule.name)) {
        issues.push({
          path: ['alerts', index, 'name'],
          message: `another alert is named "${rule.name}"`,
        });
        continue;
      }
    } else {
      const base = rule.name;
      for (let n = 2; taken.has(rule.name) || explicit.has(rule.name); n++)
        rule.name = `${base}-${n}`;
    }
    taken.add(rule.name);
    out.push(rule);
  }
  return out;
}
