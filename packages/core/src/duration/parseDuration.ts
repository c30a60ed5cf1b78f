// Durations as authors write them ("500ms", "30s", "1h30m", "2d", or a number of seconds) → milliseconds.

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

/** Longest duration accepted anywhere: beyond a year a value is a typo, not a timeout. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;

const COMPONENT = /(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)/y;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

/**
 * Parses a duration. Strings are one or more `<number><unit>` components, largest unit first,
 * each unit at most once (`1h30m`, `1.5s`, `2d 4h`); units: d, h, m, s, ms. A bare number is seconds.
 * The result is rounded to a whole millisecond.
 */
export function parseDuration(value: unknown): DurationResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      return {
        ok: false,
        message: `expected a duration, got ${value} (numbers are seconds and must be ≥ 0)`,
      };
    }
    return withinMax(Math.round(value * 1000), String(value));
  }
  if (typeof value !== 'string') {
    return {
      ok: false,
      message: `expected a duration such as "30s", "5m" or "1h30m", got ${kindOf(value)}`,
    };
  }
  const text = value.trim();
  const bad = {
    ok: false as const,
    message: `invalid duration "${value}" (expected e.g. "500ms", "30s", "5m", "1h30m", "2d", or a number of seconds)`,
  };
  if (text === '') return bad;
  // A numeric string is what YAML authors get from `timeout: "30"`: read it like the number.
  if (/^\d+(\.\d+)?$/.test(text)) return withinMax(Math.round(Number(text) * 1000), text);

  let total = 0;
  let lastUnitIndex = -1;
  let pos = 0;
  while (pos < text.length) {
    COMPONENT.lastIndex = pos;
    const match = COMPONENT.exec(text);
    if (!match) return bad;
    const unit = match[2] as Unit;
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) {
      return {
        ok: false,
        message: `invalid duration "${value}": write units from largest to smallest, each once (e.g. "1h30m")`,
      };
    }
    lastUnitIndex = unitIndex;
    total += Number(match[1]) * UNIT_MS[unit];
    pos = COMPONENT.lastIndex;
    while (text[pos] === ' ') pos++;
  }
  return withinMax(Math.round(total), `"${value}"`);
}

function withinMax(ms: number, shown: string): DurationResult {
  if (ms > MAX_DURATION_MS) {
    return { ok: false, message: `duration ${shown} is longer than the maximum of 365d` };
  }
  return { ok: true, ms };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** 90_000 → "1m30s": the shortest exact spelling, for messages and UI. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
