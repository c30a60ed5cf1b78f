// IANA time zone names, checked against the runtime's time zone database (Intl).
import { didYouMean } from '../util/suggest';

export type TimeZoneResult = { ok: true; zone: string } | { ok: false; message: string };

let canonicalByLowercase: Map<string, string> | undefined;

function knownZones(): Map<string, string> {
  if (!canonicalByLowercase) {
    const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
    canonicalByLowercase = new Map(zones.map((zone) => [zone.toLowerCase(), zone]));
  }
  return canonicalByLowercase;
}

/**
 * Accepts an IANA zone name ("Europe/Berlin", "UTC", also links such as "US/Eastern") and returns
 * its canonical spelling when it differs only by case ("europe/berlin" → "Europe/Berlin"). Links
 * are kept as written rather than resolved, because the resolution depends on the ICU version and
 * the normalized definition must not change when Node is upgraded.
 */
export function normalizeTimeZone(zone: string): TimeZoneResult {
  const known = knownZones().get(zone.toLowerCase());
  if (known) return { ok: true, zone: known };
  // Newer runtimes accept UTC offsets as zones; offsets have no DST rules, so schedules refuse them.
  if (/^[+-]\d/.test(zone)) {
    return {
      ok: false,
      message: `"${zone}" is a UTC offset, not a time zone: use an IANA name such as "Europe/Berlin" or "UTC"`,
    };
  }
  if (isAcceptedByIntl(zone)) return { ok: true, zone };
  const hint = didYouMean(zone, knownZones().values());
  return {
    ok: false,
    message: `unknown time zone "${zone}"${hint || ' (expected an IANA name such as "Europe/Berlin" or "UTC")'}`,
  };
}

export function isValidTimeZone(zone: string): boolean {
  return normalizeTimeZone(zone).ok;
}

function isAcceptedByIntl(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
