// Where a log stream stands: per attempt, the last chunk seq sent. Chunks of one attempt are
// inserted one at a time in seq order (the worker's log shipper awaits each insert), so "every
// chunk with seq > n" is exactly what a client with cursor n has not seen; across attempts, chunk
// ids can commit out of order, which is why a single chunk-id cursor could skip a chunk.
//
// On the wire (the SSE id, so Last-Event-ID on reconnect) an entry is
// `<task index>.<attempt number>.<seq>`, entries sorted and joined by commas, e.g. `0.1.4,2.1.0`.
// The task index is the task's position among the run's tasks sorted by key (fixed for a run):
// short ids keep Last-Event-ID small even for runs with hundreds of tasks.

export interface AttemptRef {
  attemptId: string;
  taskKey: string;
  taskIndex: number;
  attemptNumber: number;
}

/** attemptId → last seq sent. */
export type LogCursor = Map<string, number>;

const ENTRY = /^(\d{1,6})\.(\d{1,6})\.(\d{1,9})$/;
const MAX_CURSOR_LENGTH = 16_000;

export class CursorError extends Error {}

export function encodeCursor(cursor: LogCursor, attempts: ReadonlyMap<string, AttemptRef>): string {
  const entries: [number, number, number][] = [];
  for (const [attemptId, seq] of cursor) {
    const ref = attempts.get(attemptId);
    if (!ref) throw new Error(`cursor names attempt ${attemptId} that the stream does not know`);
    entries.push([ref.taskIndex, ref.attemptNumber, seq]);
  }
  entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return entries.map((e) => e.join('.')).join(',');
}

/** Reads a Last-Event-ID; an empty or missing one means "from the start". */
export function decodeCursor(text: string | null, attempts: Iterable<AttemptRef>): LogCursor {
  const cursor: LogCursor = new Map();
  if (!text?.trim()) return cursor;
  if (text.length > MAX_CURSOR_LENGTH) throw new CursorError('Last-Event-ID is too long');
  const byPosition = new Map<string, string>();
  for (const a of attempts) byPosition.set(`${a.taskIndex}.${a.attemptNumber}`, a.attemptId);
  for (const entry of text.trim().split(',')) {
    const m = ENTRY.exec(entry);
    if (!m)
      throw new CursorError(`Last-Event-ID "${truncate(text)}" is not a log cursor of this stream`);
    const attemptId = byPosition.get(`${Number(m[1])}.${Number(m[2])}`);
    if (!attemptId) {
      throw new CursorError(
        `Last-Event-ID names task ${m[1]} attempt ${m[2]}, which this run does not have`,
      );
    }
    cursor.set(attemptId, Number(m[3]));
  }
  return cursor;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
