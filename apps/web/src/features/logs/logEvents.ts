// The client side of the log stream's contract (src/server/live/logStream.ts): its URL and the
// data of its events, checked before use because the viewer must not crash on a malformed event.
import { expandLines, type CompactLines } from '@/lib/logWire';

/** One line as the stream sends it; `line` is 0-based within the attempt. */
export interface WireLine {
  line: number;
  text: string;
  /** 'stdout' | 'stderr' | 'system' today; kept open so a new stream is shown, not dropped. */
  stream: string;
  /** ISO 8601. */
  time: string;
}

export interface LogEventData {
  task: string;
  attempt: number;
  seq: number;
  lines: WireLine[];
}

export interface EndEventData {
  runId: string;
  status: string | null;
}

export function logStreamUrl(
  runId: string,
  task: string,
  attempt: number,
  { follow = true, compact = false }: { follow?: boolean; compact?: boolean } = {},
): string {
  const query = new URLSearchParams({ task, attempt: String(attempt) });
  if (!follow) query.set('follow', 'false');
  if (compact) query.set('format', 'compact');
  return `/api/stream/runs/${encodeURIComponent(runId)}/logs?${query}`;
}

/** The lines of a `log` event's data, or null when it is not one. */
export function parseLogEvent(data: string): LogEventData | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<LogEventData> & Partial<CompactLines>;
  if (typeof v.attempt !== 'number') return null;
  if (!Array.isArray(v.lines)) {
    // The compact form (?format=compact), checked as a whole by expandLines.
    const expanded = typeof v.text === 'string' ? expandLines(v as CompactLines) : null;
    if (!expanded) return null;
    return {
      task: String(v.task ?? ''),
      attempt: v.attempt,
      seq: Number(v.seq ?? 0),
      lines: expanded,
    };
  }
  const lines = v.lines.filter(
    (l): l is WireLine =>
      !!l && typeof l === 'object' && Number.isInteger(l.line) && typeof l.text === 'string',
  );
  for (const l of lines) {
    if (typeof l.stream !== 'string') l.stream = 'stdout';
    if (typeof l.time !== 'string') l.time = '';
  }
  return { task: String(v.task ?? ''), attempt: v.attempt, seq: Number(v.seq ?? 0), lines };
}

/** The message of a server-sent `error` event. */
export function errorEventMessage(data: unknown): string {
  if (typeof data !== 'string' || !data) return 'the log stream failed';
  try {
    const parsed = JSON.parse(data) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    return typeof message === 'string' && message ? message : 'the log stream failed';
  } catch {
    return data;
  }
}
