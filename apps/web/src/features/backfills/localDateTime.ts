// <input type="datetime-local"> values: wall-clock times of the browser's zone, minute precision.

/** "2026-03-02T09:05" for an instant, in the browser's zone. */
export function toLocalInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The instant of an input's value (read in the browser's zone); null when empty or invalid. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  // A date-time without an offset is local time (ECMAScript's Date parsing).
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
