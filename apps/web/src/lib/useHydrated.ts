'use client';
import { useSyncExternalStore } from 'react';

const unchanging = () => () => {};

/**
 * False while the server renders and while the browser hydrates, true after: a page whose data
 * came prefetched with the HTML draws its live, clock-dependent parts in the browser only, so
 * hydration never meets text that differs from the server's.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    unchanging,
    () => true,
    () => false,
  );
}
