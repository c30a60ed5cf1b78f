// A token's expiry as the form offers it (never, 7 / 30 / 90 days, or a date) and as the API takes
// it (`expiresInDays`, absent for never). Pure, so it is tested without a browser.
export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'custom', label: 'On a date…' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

const DAY_MS = 24 * 3600 * 1000;

/**
 * Days from `now` to the end of `date` (YYYY-MM-DD, the browser's local day), rounded up: what
 * `expiresInDays` should be for the token to last through that day. NaN for no date.
 */
export function daysUntil(date: string, now: Date = new Date()): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const endOfDay = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return Math.ceil((endOfDay.getTime() - now.getTime()) / DAY_MS);
}

/** `expiresInDays` for the choice: undefined for never, NaN for a missing custom date. */
export function expiresInDaysOf(
  choice: ExpiryChoice,
  date: string,
  now?: Date,
): number | undefined {
  if (choice === 'never') return undefined;
  if (choice === 'custom') return daysUntil(date, now);
  return Number(choice);
}
