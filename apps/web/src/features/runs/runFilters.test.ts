import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../backfills/localDateTime';
import {
  checkCustomRange,
  filterKey,
  frozenFilterInput,
  isFiltered,
  readRunFilters,
  toFilterInput,
} from './runFilters';

const url = (qs: string) => new URLSearchParams(qs);

describe('readRunFilters', () => {
  it('reads every filter from the URL, lists in canonical order, unknown values dropped', () => {
    const f = readRunFilters(
      url('workflow=%20etl%20&status=running,failed,bogus&trigger=api,schedule,nope&range=24h'),
    );
    expect(f).toEqual({
      workflow: 'etl',
      statuses: ['running', 'failed'],
      triggerKinds: ['schedule', 'api'],
      range: '24h',
      from: null,
      to: null,
      rangeError: null,
    });
    expect(filterKey(f)).toBe(
      filterKey(
        readRunFilters(url('workflow=etl&status=failed,running&trigger=schedule,api&range=24h')),
      ),
    );
    expect(isFiltered(f)).toBe(true);
    expect(isFiltered(readRunFilters(url('')))).toBe(false);
  });

  it('reads a custom range, and refuses one that ends before it starts', () => {
    const ok = readRunFilters(
      url('range=custom&from=2026-03-01T08:00:00.000Z&to=2026-03-02T08:00:00.000Z'),
    );
    expect(ok).toMatchObject({
      range: 'custom',
      from: new Date('2026-03-01T08:00:00.000Z'),
      to: new Date('2026-03-02T08:00:00.000Z'),
      rangeError: null,
    });
    // from/to alone mean a custom range.
    expect(readRunFilters(url('from=2026-03-01T08:00:00.000Z')).range).toBe('custom');
    const backwards = readRunFilters(
      url('range=custom&from=2026-03-02T08:00:00.000Z&to=2026-03-01T08:00:00.000Z'),
    );
    expect(backwards).toMatchObject({
      range: 'custom',
      from: null,
      to: null,
      rangeError: 'The end must be after the start',
    });
    expect(readRunFilters(url('range=custom&from=yesterday')).rangeError).toBe(
      'The time range in the address is not valid',
    );
    // A preset wins over stray bounds.
    expect(readRunFilters(url('range=7d&from=2026-03-01T08:00:00.000Z'))).toMatchObject({
      range: '7d',
      from: null,
    });
  });
});

describe('toFilterInput', () => {
  const anchor = Date.parse('2026-03-10T12:00:00.000Z');

  it('counts a preset back from the anchor, open-ended', () => {
    const input = toFilterInput(readRunFilters(url('range=1h&status=failed')), anchor);
    expect(input).toEqual({ status: ['failed'], from: new Date('2026-03-10T11:00:00.000Z') });
  });

  it('passes a custom range and leaves out what is not set', () => {
    expect(toFilterInput(readRunFilters(url('')), anchor)).toEqual({});
    expect(
      toFilterInput(readRunFilters(url('range=custom&to=2026-03-02T00:00:00.000Z')), anchor),
    ).toEqual({ to: new Date('2026-03-02T00:00:00.000Z') });
  });

  it('freezes an open end at now for bulk actions', () => {
    const now = anchor + 5_000;
    expect(frozenFilterInput(readRunFilters(url('range=1h')), anchor, now)).toEqual({
      from: new Date('2026-03-10T11:00:00.000Z'),
      to: new Date(now),
    });
    expect(frozenFilterInput(readRunFilters(url('workflow=etl')), anchor, now)).toEqual({
      workflow: 'etl',
      to: new Date(now),
    });
    // A range wholly in the future keeps its own bounds (the server refuses nothing it matches).
    const future = readRunFilters(url('range=custom&from=2027-01-01T00:00:00.000Z'));
    expect(frozenFilterInput(future, anchor, now)).toEqual({
      from: new Date('2027-01-01T00:00:00.000Z'),
    });
  });
});

describe('checkCustomRange', () => {
  it('accepts open and closed ranges typed in datetime-local inputs', () => {
    const from = new Date(2026, 2, 1, 8, 0);
    const to = new Date(2026, 2, 1, 9, 30);
    expect(checkCustomRange(toLocalInput(from), toLocalInput(to))).toEqual({
      from,
      to,
      errors: {},
    });
    expect(checkCustomRange('', toLocalInput(to))).toEqual({ from: null, to, errors: {} });
    expect(checkCustomRange('', '')).toEqual({ from: null, to: null, errors: {} });
  });

  it('puts a clear message on the field at fault', () => {
    expect(checkCustomRange('2026-03-01T09:00', '2026-03-01T08:00').errors).toEqual({
      to: 'The end must be after the start',
    });
    expect(checkCustomRange('2026-03-01T09:00', '2026-03-01T09:00').errors.to).toBeDefined();
    expect(checkCustomRange('soon', '').errors).toEqual({ from: 'Enter a valid date and time' });
  });
});
