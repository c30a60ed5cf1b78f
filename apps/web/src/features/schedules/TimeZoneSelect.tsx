'use client';
import { forwardRef, useSyncExternalStore, type SelectHTMLAttributes } from 'react';
import { Select } from '@/components/ui/input';

let zones: readonly string[] | undefined;

/** UTC and every IANA zone the browser knows (the server checks with the same Intl data). */
function allZones(): readonly string[] {
  zones ??= [
    'UTC',
    ...(typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')
      : []),
  ];
  return zones;
}

/** The zone of the browser: the default for new schedules and the calendar's days. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const unchanging = () => () => {};

/**
 * The browser's zone for what the server renders too: null while hydrating (the server cannot
 * know it), then the zone.
 */
export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(unchanging, browserTimeZone, () => null);
}

export const TimeZoneSelect = forwardRef<
  HTMLSelectElement,
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value'> & { value: string }
>(function TimeZoneSelect({ value, ...props }, ref) {
  const list = allZones();
  return (
    <Select ref={ref} value={value} {...props}>
      {/* A stored zone the list lacks (a link such as US/Eastern) stays selectable. */}
      {list.includes(value) ? null : <option value={value}>{value}</option>}
      {list.map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </Select>
  );
});
