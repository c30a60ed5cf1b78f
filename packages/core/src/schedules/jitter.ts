// A schedule's jitter: each fire is delayed by 0..jitterMs, the same delay for a given instant
// wherever it is computed (so a new leader waits exactly as long as the old one would have).

/** FNV-1a over the schedule id and the instant, reduced to 0..jitterMs. */
export function jitterDelayMs(scheduleId: string, instant: Date, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  let hash = 0x811c9dc5;
  for (const ch of `${scheduleId}@${instant.toISOString()}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % (jitterMs + 1);
}
