// The runs list's filters as the URL keeps them, and as runs.list / runs.count take them. Pure.
//
//   ?workflow=etl&status=failed,timed_out&trigger=schedule,api&range=24h
//   ?range=custom&from=2026-03-01T08:00:00.000Z&to=2026-03-02T08:00:00.000Z
//
// Unknown statuses or trigger kinds are ignored; a custom range that does not parse, or ends
// before it starts, is not applied and says why (`rangeError`).
import { RUN_STATUSES, TRIGGER_KINDS, type RunStatus, type TriggerKind } from '@dtss/core';
import { fromLocalInput } from '../backfills/localDateTime';

const HOUR = 3_600_000;
export const RANGE_PRESETS = {
  '1h': { label: 'Last hour', ms: HOUR },
  '24h': { label: 'Last 24 hours', ms: 24 * HOUR },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * HOUR },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * HOUR },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
/** '' = any time. */
export type RangeKey = '' | RangePreset | 'custom';

export interface RunFilterState {
  workflow: string;
  statuses: RunStatus[];
  triggerKinds: TriggerKind[];
  range: RangeKey;
  /** Custom range bounds (null: open); only with range = custom. */
  from: Date | null;
  to: Date | null;
  /** Why the custom range in the URL is not applied. */
  rangeError: string | null;
}

/** What runs.list and runs.count take (besides the team and paging). */
export interface RunFilterInput {
  workflow?: string;
  status?: RunStatus[];
  triggerKind?: TriggerKind[];
  from?: Date;
  to?: Date;
}

type Params = Pick<URLSearchParams, 'get'>;

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const wanted = new Set((raw ?? '').split(',').map((s) => s.trim()));
  // In the canonical order, so `a,b` and `b,a` are one filter (one query key).
  return allowed.filter((v) => wanted.has(v));
}

function isoDate(raw: string | null): Date | null | 'bad' {
  if (!raw) return null;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? 'bad' : at;
}

export function isRangePreset(s: string | null): s is RangePreset {
  return s !== null && Object.hasOwn(RANGE_PRESETS, s);
}

export function readRunFilters(params: Params): RunFilterState {
  const rawRange = params.get('range');
  const from = isoDate(params.get('from'));
  const to = isoDate(params.get('to'));
  const custom = rawRange === 'custom' || (!isRangePreset(rawRange) && (from || to) !== null);
  const range: RangeKey = isRangePreset(rawRange) ? rawRange : custom ? 'custom' : '';
  let rangeError: string | null = null;
  if (range === 'custom') {
    if (from === 'bad' || to === 'bad') rangeError = 'The time range in the address is not valid';
    else if (from && to && from >= to) rangeError = 'The end must be after the start';
  }
  const ok = range === 'custom' && rangeError === null;
  return {
    workflow: (params.get('workflow') ?? '').trim().slice(0, 200),
    statuses: listOf(params.get('status'), RUN_STATUSES),
    triggerKinds: listOf(params.get('trigger'), TRIGGER_KINDS),
    range,
    from: ok && from instanceof Date ? from : null,
    to: ok && to instanceof Date ? to : null,
    rangeError,
  };
}

export function isFiltered(f: RunFilterState): boolean {
  return Boolean(
    f.workflow || f.statuses.length || f.triggerKinds.length || f.from || f.to || f.range,
  );
}

/** A key that changes exactly when the filter does. */
export function filterKey(f: RunFilterState): string {
  return JSON.stringify([
    f.workflow,
    f.statuses,
    f.triggerKinds,
    f.range,
    f.from?.getTime() ?? null,
    f.to?.getTime() ?? null,
  ]);
}

/**
 * The filter as runs.list takes it. A preset counts back from `anchor` (the moment it was chosen,
 * so the query stays the same while the page is open) and is open-ended: new runs still show.
 */
export function toFilterInput(f: RunFilterState, anchor: number): RunFilterInput {
  const input: RunFilterInput = {};
  if (f.workflow) input.workflow = f.workflow;
  if (f.statuses.length) input.status = f.statuses;
  if (f.triggerKinds.length) input.triggerKind = f.triggerKinds;
  if (isRangePreset(f.range)) input.from = new Date(anchor - RANGE_PRESETS[f.range].ms);
  if (f.range === 'custom') {
    if (f.from) input.from = f.from;
    if (f.to) input.to = f.to;
  }
  return input;
}

/**
 * The filter of a bulk action, fixed at `now`: an open end becomes `now`, so runs started after
 * the count was shown cannot change what the confirmed action applies to.
 */
export function frozenFilterInput(f: RunFilterState, anchor: number, now: number): RunFilterInput {
  const input = toFilterInput(f, anchor);
  if (!input.to && (!input.from || input.from.getTime() < now)) input.to = new Date(now);
  return input;
}

/** URL changes (for replaceSearchParams) that set a list filter; null values remove the key. */
export function listParam(values: readonly string[]): string | null {
  return values.length ? values.join(',') : null;
}

export interface CustomRangeCheck {
  from: Date | null;
  to: Date | null;
  errors: { from?: string; to?: string };
}

/** Two datetime-local values (the browser's zone) as a range, with a message per bad field. */
export function checkCustomRange(fromText: string, toText: string): CustomRangeCheck {
  const from = fromText ? fromLocalInput(fromText) : null;
  const to = toText ? fromLocalInput(toText) : null;
  const errors: CustomRangeCheck['errors'] = {};
  if (fromText && !from) errors.from = 'Enter a valid date and time';
  if (toText && !to) errors.to = 'Enter a valid date and time';
  if (from && to && from >= to) errors.to = 'The end must be after the start';
  return { from, to, errors };
}
