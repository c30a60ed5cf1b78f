'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * `value`, taking a new one at most once every `everyMs` (the latest one, at the end of the wait):
 * for a costly view of fast-changing data whose urgent part is shown some other way.
 */
export function useThrottled<T>(value: T, everyMs: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, last.current + everyMs - performance.now());
    const timer = setTimeout(() => {
      last.current = performance.now();
      setShown(() => value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, everyMs]);
  return shown;
}
