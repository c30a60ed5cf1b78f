import { describe, expect, it } from 'vitest';
import { auditFiltersOf, auditInputOf } from './auditFilters';

describe('audit log filters', () => {
  it('reads the URL and gives the API its input (to includes its whole minute)', () => {
    const f = auditFiltersOf(
      new URLSearchParams(
        'actor=%20ada%20&action=secret&from=2026-12-01T09:00&to=2026-12-02T10:15',
      ),
    );
    const r = auditInputOf(f);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input.actor).toBe('ada');
    expect(r.input.action).toBe('secret');
    expect(r.input.from).toEqual(new Date(2026, 11, 1, 9, 0));
    expect(r.input.to).toEqual(new Date(2026, 11, 2, 10, 15, 59, 999));
  });

  it('leaves out empty filters', () => {
    expect(auditInputOf(auditFiltersOf(new URLSearchParams('')))).toEqual({
      ok: true,
      input: { actor: undefined, action: undefined, from: undefined, to: undefined },
    });
  });

  it('refuses a range that ends before it starts, on "to"', () => {
    const r = auditInputOf({
      actor: '',
      action: '',
      from: '2026-12-02T00:00',
      to: '2026-12-01T00:00',
    });
    expect(r).toEqual({ ok: false, errors: { to: ['the end is before the start'] } });
  });
});
