'use client';
import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `everyMs` while `ticking` (elapsed times of what is still
 * running count up on screen; a clock, not a request).
 */
export function useNow(ticking: boolean, everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [ticking, everyMs]);
  return now;
}
