// Times and durations as the CLI prints them (local time zone).

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `12:00:01.234`: the time of day of an event, for lines printed while following a run. */
export function formatClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `2024-05-01 12:00:01`: a full local date and time. */
export function formatDateTime(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `850ms`, `2.3s`, `4m 05s`, `1h 02m`: how long something took, short and readable. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return `${total}ms`;
  if (total < 60_000) return `${(total / 1000).toFixed(1)}s`;
  const seconds = Math.floor(total / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m`;
}

/** Elapsed time between two instants; until now when `end` is missing; null without a start. */
export function elapsedBetween(
  start: Date | null,
  end: Date | null,
  now = new Date(),
): number | null {
  if (!start) return null;
  return new Date(end ?? now).getTime() - new Date(start).getTime();
}
