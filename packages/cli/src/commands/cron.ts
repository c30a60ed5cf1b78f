// `dtss cron next "<expr>"`: when a cron expression fires, in a time zone, offline.
import { matchesLocalTime, nextCronFires, normalizeTimeZone, parseCron } from '@dtss/core';
import type { Command } from 'commander';
import { CliError, reportFailure } from '../format/cliError';

interface NextOptions {
  tz: string;
  after?: string;
  count: string;
  json?: boolean;
}

const MAX_COUNT = 1000;

export function registerCron(program: Command): void {
  const cron = program
    .command('cron')
    .description('work with cron expressions (offline, no database)');
  cron
    .command('next')
    .description('list the next fire times of a cron expression in a time zone')
    .argument('<expression>', 'cron expression, e.g. "30 2 * * MON-FRI" or "@daily" (quote it)')
    .option('--tz <zone>', 'IANA time zone the expression is read in', 'UTC')
    .option('--after <instant>', 'list fires strictly after this ISO-8601 instant (default: now)')
    .option('--count <n>', `how many fires to list (1-${MAX_COUNT})`, '5')
    .option('--json', 'print a JSON array of UTC instants ("2026-03-08T07:00:00Z")')
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 on success, 1 for an invalid expression, zone, instant or count.',
        '',
        'Example:',
        '  dtss cron next "30 2 * * *" --tz America/New_York --after 2026-03-07T12:00:00Z --count 3',
        '',
      ].join('\n'),
    )
    .action((expression: string, options: NextOptions) => {
      try {
        process.stdout.write(cronNext(expression, options));
      } catch (error) {
        reportFailure(error);
      }
    });
}

function cronNext(expression: string, options: NextOptions): string {
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    throw new CliError(`invalid cron expression "${expression}": ${parsed.error.message}`);
  }
  const zone = normalizeTimeZone(options.tz);
  if (!zone.ok) throw new CliError(`invalid --tz: ${zone.message}`);
  const after = options.after === undefined ? new Date() : parseInstant(options.after);
  const count = parseCount(options.count);

  const fires = nextCronFires(parsed.cron, zone.zone, after, count);
  if (options.json) return `${JSON.stringify(fires.map(isoSeconds))}\n`;

  const lines = [
    `next ${count === 1 ? 'fire' : `${count} fires`} of "${parsed.cron.source}" in ${zone.zone} after ${isoSeconds(after)}:`,
  ];
  for (const fire of fires) {
    const local = localTime(fire, zone.zone);
    // The one fire whose local time is not the expression's: cronie's catch-up after a DST gap.
    const note = matchesLocalTime(parsed.cron, local.fields)
      ? ''
      : '  (due time skipped by a DST change: fired at its end)';
    lines.push(`  ${isoSeconds(fire)}  ${local.text}${note}`);
  }
  if (fires.length === 0) lines.push('  (none)');
  return `${lines.join('\n')}\n`;
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** An ISO-8601 instant: a date and time with `Z` or an offset; calendar-checked (no February 30). */
function parseInstant(text: string): Date {
  const match = INSTANT.exec(text);
  const time = match ? Date.parse(text) : NaN;
  if (match && !Number.isNaN(time)) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month >= 1 && month <= 12 && day >= 1 && day <= lastDay) return new Date(time);
  }
  throw new CliError(
    `invalid --after "${text}": expected an ISO-8601 instant with Z or an offset, e.g. 2026-03-08T07:00:00Z`,
  );
}

function parseCount(text: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) {
    throw new CliError(`invalid --count "${text}": expected a whole number from 1 to ${MAX_COUNT}`);
  }
  return count;
}

/** `2026-03-08T07:00:00Z`: UTC, whole seconds, no milliseconds. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `Sun 2026-03-08 03:00:00 EDT (UTC-04:00)` and the local fields, for the readable listing. */
function localTime(date: Date, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  const part = Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
  const fields = {
    year: Number(part.year),
    month: Number(part.month),
    day: Number(part.day),
    hour: Number(part.hour) % 24,
    minute: Number(part.minute),
    second: Number(part.second),
  };
  const asUtc = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  const offsetMinutes = Math.round((asUtc - date.getTime()) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const hour = String(fields.hour).padStart(2, '0');
  const text = `${part.weekday} ${part.year}-${part.month}-${part.day} ${hour}:${part.minute}:${part.second} ${part.timeZoneName} (${offset})`;
  return { fields, text };
}
