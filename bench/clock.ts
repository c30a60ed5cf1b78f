/**
 * One clock for every latency: the wall clock of this process in milliseconds with microsecond
 * resolution. Other clocks (Postgres, the worker processes) are mapped onto it by an offset
 * measured the way NTP does: ask for the remote time, keep the sample with the shortest round trip,
 * and assume the remote read happened half-way through it.
 */

/** Wall-clock milliseconds with sub-millisecond resolution (Date.now() only has whole ms). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface ClockOffset {
  /** remote − local, in ms: subtract it from a remote timestamp to read it on the local clock. */
  offsetMs: number;
  /** Round trip of the best sample: the offset is exact to ± half of it. */
  rttMs: number;
}

export async function measureOffset(
  remoteNow: () => Promise<number>,
  samples = 30,
): Promise<ClockOffset> {
  let best: ClockOffset | null = null;
  for (let i = 0; i < samples; i++) {
    const t0 = wallNow();
    const remote = await remoteNow();
    const t1 = wallNow();
    const rtt = t1 - t0;
    if (!best || rtt < best.rttMs) best = { offsetMs: remote - (t0 + t1) / 2, rttMs: rtt };
  }
  return best!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
