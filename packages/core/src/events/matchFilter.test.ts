import { describe, expect, it } from 'vitest';
import { matchFilter } from './matchFilter';

describe('matchFilter', () => {
  const payload = { order: { status: 'paid', total: 42, tags: ['a'] }, ok: true, none: null };

  it('matches when every condition holds', () => {
    expect(matchFilter({}, payload)).toBe(true);
    expect(matchFilter(null, payload)).toBe(true);
    expect(matchFilter({ 'order.status': { equals: 'paid' } }, payload)).toBe(true);
    expect(
      matchFilter({ 'order.status': { in: ['paid', 'refunded'] }, ok: { equals: true } }, payload),
    ).toBe(true);
    expect(matchFilter({ none: { equals: null } }, payload)).toBe(true);
    expect(matchFilter({ 'order.tags.0': { equals: 'a' } }, payload)).toBe(true);
  });

  it('fails on any condition that does not hold', () => {
    expect(matchFilter({ 'order.status': { equals: 'open' } }, payload)).toBe(false);
    expect(matchFilter({ 'order.total': { equals: '42' } }, payload)).toBe(false);
    expect(
      matchFilter({ 'order.status': { equals: 'paid' }, ok: { equals: false } }, payload),
    ).toBe(false);
    expect(matchFilter({ 'order.status': { in: ['open'] } }, payload)).toBe(false);
  });

  it('never matches a missing field or a non-scalar value', () => {
    expect(matchFilter({ 'order.missing': { equals: null } }, payload)).toBe(false);
    expect(matchFilter({ order: { equals: null } }, payload)).toBe(false);
    expect(matchFilter({ 'order.status': { equals: 'paid' } }, 'text')).toBe(false);
    expect(matchFilter({ constructor: { equals: null } }, {})).toBe(false);
  });
});
