// A cron expression in words (cronstrue), for lists and previews; null when cronstrue cannot read
// it (the expression's validity is @dtss/core's parseCron's call, not this).
import cronstrue from 'cronstrue';

export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch {
    return null;
  }
}
