// How times and durations read everywhere in the UI.
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

// Formatting is the costly part of a live page's clock tick (every row's "started 3 minutes
// ago" each second), and a page shows few distinct strings: each is formatted once.
const MEMO_LIMIT = 5_000;
function memoised(format: (key: number) => string): (key: number) => string {
  const memo = new Map<number, string>();
  return (key) => {
    let text = memo.get(key);
    if (text === undefined) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, (text = format(key)));
    }
    return text;
  };
}
// Keyed by unit index and signed amount: 4 units, amounts well inside ±2^40.
const relativeText = memoised((key) => {
  const unit = UNITS[key & 3]![0];
  return rtf.format((key - (key & 3)) / 4, unit);
});

/** "3 minutes ago", "in 2 hours". */
export function relativeTime(at: Date | string | null | undefined, now = Date.now()): string {
  if (!at) return '—';
  const diff = new Date(at).getTime() - now;
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, ms] = UNITS[i]!;
    if (Math.abs(diff) >= ms || unit === 'second')
      return relativeText(Math.round(diff / ms) * 4 + i);
  }
  return '';
}

// One formatter for every call: toLocaleString with options builds a new one each time, which
// cost a live page of a few hundred tasks over 100 ms per update.
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const dateTimeText = memoised((ms) => dateTimeFormat.format(ms));

/** An absolute timestamp for titles and tables, in the viewer's zone. */
export function dateTime(at: Date | string | null | undefined): string {
  if (!at) return '—';
  const ms = new Date(at).getTime();
  return Number.isNaN(ms) ? dateTimeFormat.format(ms) : dateTimeText(ms);
}

/** 850 ms, 12.3 s, 4 m 05 s, 2 h 10 m. */
export function durationMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1_000);
  if (s < 3_600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3_600)} h ${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')} m`;
}
