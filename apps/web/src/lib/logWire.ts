// The compact form of a `log` event's lines (`?format=compact` on the log stream): one chunk's
// lines as the text they are stored as (joined with "\n"), and their streams and times as runs of
// equal values. A 100,000-line log is ~9 MB of events instead of ~15 MB, and the browser parses
// a few long strings instead of 100,000 small objects. Lines never hold "\n" (the worker splits
// them), so the join is lossless. Written by the server (src/server/live/logStream.ts), read by
// the viewer (features/logs/logEvents.ts).

export interface WireLineFields {
  line: number;
  text: string;
  stream: string;
  time: string;
}

export interface CompactLines {
  /** Number of the first line (0-based within the attempt); the others follow one by one. */
  first: number;
  text: string;
  /** [how many lines, stream] runs, in line order. */
  streams: [number, string][];
  /** [how many lines, ISO time] runs, in line order. */
  times: [number, string][];
}

export function compactLines(lines: readonly WireLineFields[]): CompactLines {
  return {
    first: lines[0]?.line ?? 0,
    text: lines.map((l) => l.text).join('\n'),
    streams: runs(lines, (l) => l.stream),
    times: runs(lines, (l) => l.time),
  };
}

/** The lines again, or null when the parts do not agree (a malformed event is dropped). */
export function expandLines(c: CompactLines): WireLineFields[] | null {
  if (!Number.isInteger(c.first) || typeof c.text !== 'string') return null;
  if (!Array.isArray(c.streams) || !Array.isArray(c.times)) return null;
  const texts = c.text.split('\n');
  const streams = expand(c.streams, texts.length);
  const times = expand(c.times, texts.length);
  if (!streams || !times) return null;
  return texts.map((text, i) => ({
    line: c.first + i,
    text,
    stream: streams[i]!,
    time: times[i]!,
  }));
}

function runs<T>(items: readonly T[], value: (item: T) => string): [number, string][] {
  const out: [number, string][] = [];
  for (const item of items) {
    const v = value(item);
    const last = out[out.length - 1];
    if (last && last[1] === v) last[0]++;
    else out.push([1, v]);
  }
  return out;
}

function expand(rle: unknown[], length: number): string[] | null {
  const out: string[] = [];
  for (const run of rle) {
    if (!Array.isArray(run) || !Number.isInteger(run[0]) || typeof run[1] !== 'string') return null;
    const n = run[0] as number;
    if (n < 1 || out.length + n > length) return null;
    for (let i = 0; i < n; i++) out.push(run[1]);
  }
  return out.length === length ? out : null;
}
