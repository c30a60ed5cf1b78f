import { describe, expect, it } from 'vitest';
import { normalizeTimeZone } from './normalizeTimeZone';

describe('normalizeTimeZone', () => {
  it('accepts IANA names and fixes their case', () => {
    expect(normalizeTimeZone('Europe/Berlin')).toEqual({ ok: true, zone: 'Europe/Berlin' });
    expect(normalizeTimeZone('europe/berlin')).toEqual({ ok: true, zone: 'Europe/Berlin' });
    expect(normalizeTimeZone('utc')).toEqual({ ok: true, zone: 'UTC' });
  });

  it('keeps links as written (their resolution depends on the ICU version)', () => {
    expect(normalizeTimeZone('US/Eastern')).toEqual({ ok: true, zone: 'US/Eastern' });
  });

  it('rejects unknown zones with a suggestion, and UTC offsets', () => {
    expect(normalizeTimeZone('Europe/Berln')).toEqual({
      ok: false,
      message: 'unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)',
    });
    expect(normalizeTimeZone('Mars/Olympus')).toEqual({
      ok: false,
      message:
        'unknown time zone "Mars/Olympus" (expected an IANA name such as "Europe/Berlin" or "UTC")',
    });
    expect(normalizeTimeZone('+01:00').ok).toBe(false);
  });
});
