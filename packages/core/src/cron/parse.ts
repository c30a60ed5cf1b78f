// Parses cron expressions into the value sets of each field, plus the flags matching needs later.
//
// Five fields (minute hour day-of-month month day-of-week) or six with leading seconds.
// Each field is a comma list of `*`, `N`, `N-M`, each optionally stepped (`*/15`, `1-30/5`, `5/10`
// = from 5 to the end by 10). Months and weekdays accept names (JAN, mon; any case); weekday 7 is
// Sunday like 0; `?` means `*` in the two day fields. Macros: @yearly @annually @monthly @weekly
// @daily @midnight @hourly.
//
// Day matching follows Vixie cron: when both day fields are restricted a day matches if EITHER
// does; when one starts with `*` only the other one counts. Hence the `…Star` flags.
import { didYouMean } from '../util/suggest';

export type CronFieldName = 'second' | 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

export interface CronSpec {
  /** The expression with whitespace collapsed and macros lowercased: its normalized spelling. */
  source: string;
  hasSeconds: boolean;
  /** Sorted, distinct values of each field. Seconds is [0] for five-field expressions. */
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0-6, Sunday = 0 (a written 7 is folded into 0). */
  daysOfWeek: number[];
  /** The field starts with `*` (or `?`): unrestricted for the Vixie day-matching rule. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
  /** Minute/hour fields starting with `*`: such schedules fire many times an hour/day, which changes DST handling. */
  minuteStar: boolean;
  hourStar: boolean;
  /** Seconds field starting with `*` (always false for five fields): counts like minuteStar. */
  secondStar: boolean;
}

export interface CronParseError {
  /** The field at fault, when the problem is inside one field. */
  field?: CronFieldName;
  message: string;
}

export type CronParseResult = { ok: true; cron: CronSpec } | { ok: false; error: CronParseError };

interface FieldRule {
  name: CronFieldName;
  min: number;
  max: number;
  names?: readonly string[];
  /** First value `names[0]` stands for. */
  namesFrom?: number;
  allowQuestionMark?: boolean;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const SECOND: FieldRule = { name: 'second', min: 0, max: 59 };
const FIVE_FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, allowQuestionMark: true },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0, allowQuestionMark: true },
];

export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Longest day of each month (February counts its leap day). */
const MONTH_LENGTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_LABEL = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function parseCron(expression: string): CronParseResult {
  const collapsed = expression.trim().replace(/\s+/g, ' ');
  if (collapsed === '')
    return fail('empty cron expression (expected e.g. "0 5 * * *" or "@daily")');

  if (collapsed.startsWith('@')) {
    const macro = collapsed.toLowerCase();
    const expanded = CRON_MACROS[macro];
    if (expanded === undefined) {
      if (macro === '@reboot')
        return fail('@reboot is not supported: schedules need a time to fire at');
      const known = Object.keys(CRON_MACROS);
      return fail(
        `unknown macro "${collapsed}"${didYouMean(macro, known) || ` (expected one of: ${known.join(' ')})`}`,
      );
    }
    const parsed = parseFields(expanded.split(' '), macro);
    return parsed;
  }
  return parseFields(collapsed.split(' '), collapsed);
}

function parseFields(fields: string[], source: string): CronParseResult {
  if (fields.length !== 5 && fields.length !== 6) {
    return fail(
      `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got ${fields.length}`,
    );
  }
  const hasSeconds = fields.length === 6;
  const rules = hasSeconds ? [SECOND, ...FIVE_FIELDS] : FIVE_FIELDS;
  const sets: number[][] = [];
  for (let i = 0; i < rules.length; i++) {
    const parsed = parseField(fields[i]!, rules[i]!);
    if (typeof parsed === 'string')
      return { ok: false, error: { field: rules[i]!.name, message: parsed } };
    sets.push(parsed);
  }
  const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = hasSeconds
    ? sets
    : [[0], ...sets];
  const dayFields = fields.slice(hasSeconds ? 3 : 2);
  const startsWithStar = (field: string) => field.startsWith('*') || field.startsWith('?');
  const cron: CronSpec = {
    source,
    hasSeconds,
    seconds: seconds!,
    minutes: minutes!,
    hours: hours!,
    daysOfMonth: daysOfMonth!,
    months: months!,
    daysOfWeek: [...new Set(daysOfWeek!.map((d) => d % 7))].sort((a, b) => a - b),
    dayOfMonthStar: startsWithStar(dayFields[0]!),
    dayOfWeekStar: startsWithStar(dayFields[2]!),
    minuteStar: startsWithStar(fields[hasSeconds ? 1 : 0]!),
    hourStar: startsWithStar(fields[hasSeconds ? 2 : 1]!),
    secondStar: hasSeconds && startsWithStar(fields[0]!),
  };
  const never = neverFires(cron);
  return never
    ? { ok: false, error: { field: 'day-of-month', message: never } }
    : { ok: true, cron };
}

/** The values of one field, or an error message naming the field. */
function parseField(field: string, rule: FieldRule): number[] | string {
  const values = new Set<number>();
  const allowed = `allowed ${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : ''}`;
  const problem = (detail?: string) =>
    detail === undefined
      ? `invalid ${rule.name} field "${field}" (${allowed})`
      : `invalid ${rule.name} field "${field}": ${detail}`;

  for (const item of field.split(',')) {
    if (item === '') return problem('empty list item');
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) return problem(`more than one "/" in "${item}"`);
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart)) return problem(`step "${stepPart}" is not a number`);
      step = Number(stepPart);
      if (step < 1) return problem('step must be at least 1');
    }
    let from: number;
    let to: number;
    if (rangePart === '*' || (rangePart === '?' && rule.allowQuestionMark)) {
      if (rangePart === '?' && stepPart !== undefined) return problem('"?" cannot have a step');
      from = rule.min;
      to = rule.name === 'day-of-week' ? 6 : rule.max;
    } else {
      const bounds = rangePart!.split('-');
      if (bounds.length > 2) return problem(`"${rangePart}" is not a value or a range`);
      const low = value(bounds[0]!, rule, allowed);
      if (typeof low !== 'number') {
        // A lone bad number reads best as `invalid hour field "25" (allowed 0-23)`.
        return problem(low.outOfRange && field === bounds[0] ? undefined : low.message);
      }
      from = low;
      if (bounds.length === 2) {
        const high = value(bounds[1]!, rule, allowed);
        if (typeof high !== 'number') return problem(high.message);
        to = high;
        if (from > to) {
          return problem(
            `range start ${bounds[0]} is after its end ${bounds[1]} (ranges do not wrap around)`,
          );
        }
      } else {
        // `5/15` steps from 5 to the end of the field, like Vixie cron.
        to = stepPart !== undefined ? (rule.name === 'day-of-week' ? 6 : rule.max) : from;
      }
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** A number or name within the field's bounds, or what is wrong with it. */
function value(
  text: string,
  rule: FieldRule,
  allowed: string,
): number | { message: string; outOfRange: boolean } {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= rule.min && n <= rule.max) return n;
    return { message: `${text} is out of range (${allowed})`, outOfRange: true };
  }
  if (rule.names) {
    const index = rule.names.indexOf(text.toUpperCase());
    if (index !== -1) return index + rule.namesFrom!;
    const hint = didYouMean(text.toUpperCase(), rule.names);
    return { message: `unknown name "${text}"${hint || ` (${allowed})`}`, outOfRange: false };
  }
  return { message: `"${text}" is not a number (${allowed})`, outOfRange: false };
}

/** Catches day-of-month lists no selected month contains (e.g. "0 0 30 2 *"). */
function neverFires(cron: CronSpec): string | undefined {
  if (cron.dayOfMonthStar || !cron.dayOfWeekStar) return undefined;
  const possible = cron.months.some((m) => cron.daysOfMonth.some((d) => d <= MONTH_LENGTH[m - 1]!));
  if (possible) return undefined;
  const months = cron.months.map((m) => MONTH_LABEL[m - 1]).join(', ');
  return `never fires: day ${cron.daysOfMonth.join(', ')} does not exist in ${months}`;
}

function fail(message: string): CronParseResult {
  return { ok: false, error: { message } };
}
