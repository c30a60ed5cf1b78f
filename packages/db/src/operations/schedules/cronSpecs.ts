// Parsed cron expressions, cached by their text (schedules fire the same few expressions forever).
import { parseCron, type CronSpec } from '@dtss/core';

const cache = new Map<string, CronSpec>();

/** The parsed expression; throws for an invalid one (stored expressions were validated). */
export function cronSpec(expression: string): CronSpec {
  let spec = cache.get(expression);
  if (!spec) {
    const parsed = parseCron(expression);
    if (!parsed.ok) throw new Error(`invalid cron "${expression}": ${parsed.error.message}`);
    spec = parsed.cron;
    if (cache.size > 10_000) cache.clear();
    cache.set(expression, spec);
  }
  return spec;
}
