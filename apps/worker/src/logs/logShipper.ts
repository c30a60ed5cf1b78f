// Ships one attempt's log lines to `log_chunks` in batches. write() is synchronous and cheap (the
// executor calls it per line); inserts happen in the background, one at a time so chunks keep
// their order. Memory stays bounded whatever the task prints or however slow the database is:
// - past `maxBytes` stored, lines are only counted, and close() stores one marker saying how many;
// - past a quarter of `maxBufferedBytes` waiting for the database, full() says so and a process's
//   pipes are read no further until room() resolves: a burst of output waits for the database, it
//   is not lost (the task blocks on a full pipe, as on a slow terminal). The other three quarters
//   take what still arrives after a pause: a pipe's pieces already read (64 KB each, up to ~3×
//   that held as short lines), and what Node hands over when the task exits;
// - past `maxBufferedBytes` (a writer that does not wait), lines are dropped and counted, and a
//   marker takes their place once the backlog drains.
import {
  appendLogChunk,
  isDatabaseUnavailable,
  type LogChunkInput,
  type LogStream,
  type Pool,
} from '@dtss/db';
import type { LogBackpressure } from '../executors/types';
import { LINE_OVERHEAD_BYTES, LineBuffer } from './lineBuffer';
import { secretMask } from './secretMask';

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Biggest chunk written at once, when a backlog built up while an insert was in flight. */
const MAX_CHUNK_LINES = 10_000;
const MAX_CHUNK_BYTES = 1024 * 1024;
const RETRY_DELAYS_MS = [200, 1_000];
/**
 * A database that cannot be reached (restart, outage) is waited for this long, retrying every few
 * seconds: meanwhile lines wait in the bounded buffer and then in the task's pipes, as above.
 */
const UNAVAILABLE_WAIT_MS = 10 * 60_000;
const UNAVAILABLE_RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

export interface LogShipperOptions {
  attemptId: string;
  taskRunId: string;
  runId: string;
  /** Bytes stored per attempt; the caller reads DTSS_LOG_MAX_BYTES. */
  maxBytes?: number;
  /** Values replaced by *** in every line (shorter than 4 characters: ignored). */
  secrets?: readonly string[];
  /** A chunk is written when this many lines are waiting… */
  flushLines?: number;
  /** …or this many bytes… */
  flushBytes?: number;
  /** …or this long after the first waiting line. */
  flushIntervalMs?: number;
  /** Waiting plus in-flight bytes kept in memory while the database lags. */
  maxBufferedBytes?: number;
}

export interface LogStats {
  /** Stored bytes (the chunks' text, markers included). */
  bytes: number;
  /** Stored lines, markers included. */
  lines: number;
  /** The maxBytes cap was hit: later lines were counted, not stored. */
  truncated: boolean;
}

type Db = Pick<Pool, 'query'>;

export class LogShipper implements LogBackpressure {
  private readonly maxBytes: number;
  private readonly flushLines: number;
  private readonly flushBytes: number;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private readonly mask: (line: string) => string;

  private readonly buffer = new LineBuffer();
  /** Memory held by waiting and in-flight lines, per-line overhead included. */
  private heldBytes = 0;
  /** Bytes accepted for storage (waiting, in flight or stored), each line counted with its \n. */
  private acceptedBytes = 0;

  private seq = 0;
  private nextLine = 0;
  private stored = { bytes: 0, lines: 0 };
  private truncated = { lines: 0, bytes: 0, active: false };
  private overflow = { lines: 0, bytes: 0 };
  private lost = { lines: 0, error: '' };

  /** Writers waiting for room (see full()). */
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private forceNext = false;
  private closing = false;
  private closed: Promise<LogStats> | null = null;
  private lastMs = 0;
  private lastIso = '';

  constructor(
    private readonly db: Db,
    private readonly opts: LogShipperOptions,
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.flushLines = opts.flushLines ?? 500;
    this.flushBytes = opts.flushBytes ?? 64 * 1024;
    this.flushIntervalMs = opts.flushIntervalMs ?? 200;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.mask = secretMask(opts.secrets ?? []);
  }

  write(stream: LogStream, line: string): void {
    if (this.closing) return;
    if (line.includes('\n')) {
      // Multi-line messages (errors from the engine) become one stored line each.
      for (const part of line.split(/\r?\n/)) this.write(stream, part);
      return;
    }
    if (this.truncated.active) {
      this.truncated.lines++;
      this.truncated.bytes += Buffer.byteLength(line) + 1;
      return;
    }
    const text = this.clean(line);
    const size = Buffer.byteLength(text) + 1;
    if (this.acceptedBytes + size > this.maxBytes) {
      this.truncated = { lines: 1, bytes: size, active: true };
      return;
    }
    if (this.heldBytes + size + LINE_OVERHEAD_BYTES > this.maxBufferedBytes) {
      this.overflow.lines++;
      this.overflow.bytes += size;
      return;
    }
    if (this.overflow.lines > 0) this.pushOverflowMarker();
    this.push(stream, text, size);
  }

  /** A quarter of the buffer is held: a writer that can wait should, until room() resolves. */
  full(): boolean {
    return !this.closing && this.heldBytes >= this.maxBufferedBytes / 4;
  }

  room(): Promise<void> {
    if (!this.full()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waiters go on once an eighth of the buffer is held (not at once: fewer pause/resume turns). */
  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    if (!this.closing && this.heldBytes > this.maxBufferedBytes / 8) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  /** Stores what is left (and the markers), then reports what was stored. Idempotent. */
  close(): Promise<LogStats> {
    this.closed ??= this.finish();
    return this.closed;
  }

  /**
   * Stores nothing more and drops what waits: for an attempt that is no longer this worker's (its
   * outcome was decided elsewhere; the database refuses its lines anyway, see insert()).
   */
  discard(): LogStats {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const dropped = this.buffer.take(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    this.heldBytes -= dropped.bytes + dropped.lines.length * LINE_OVERHEAD_BYTES;
    this.wakeWaiters();
    const stats = { ...this.stored, truncated: this.truncated.active };
    this.closed ??= Promise.resolve(stats);
    return stats;
  }

  private async finish(): Promise<LogStats> {
    if (this.overflow.lines > 0) this.pushOverflowMarker();
    if (this.truncated.active) {
      const { lines, bytes } = this.truncated;
      const text = `… log truncated: ${lines} more lines (${bytes} bytes) not stored`;
      this.push('system', text, Buffer.byteLength(text) + 1);
    }
    this.closing = true;
    this.wakeWaiters();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushAll();
    if (this.lost.lines > 0) {
      // Best effort: the database just failed; say so in the log if it is back.
      const text = `… ${this.lost.lines} log lines lost: ${this.lost.error}`;
      this.push('system', text, Buffer.byteLength(text) + 1);
      await this.flushAll();
    }
    return { ...this.stored, truncated: this.truncated.active };
  }

  private async flushAll(): Promise<void> {
    while (this.buffer.length > 0 || this.flushing) {
      this.schedule(true);
      await this.flushing;
    }
  }

  private clean(line: string): string {
    const masked = this.mask(line);
    // Postgres text cannot hold NUL.
    return masked.includes('\0') ? masked.replaceAll('\0', '\uFFFD') : masked;
  }

  private pushOverflowMarker(): void {
    const { lines, bytes } = this.overflow;
    this.overflow = { lines: 0, bytes: 0 };
    const text = `… ${lines} lines (${bytes} bytes) dropped: the log database fell behind`;
    this.push('system', text, Buffer.byteLength(text) + 1);
  }

  private push(stream: LogStream, text: string, size: number): void {
    this.buffer.push(text, stream, this.now(), size);
    this.heldBytes += size + LINE_OVERHEAD_BYTES;
    this.acceptedBytes += size;
    if (this.isFull()) {
      this.schedule(false);
    } else {
      this.armTimer();
    }
  }

  private armTimer(): void {
    if (this.timer || this.closing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule(true);
    }, this.flushIntervalMs);
  }

  /** Starts the insert loop unless running; `force` writes even a small batch. */
  private schedule(force: boolean): void {
    if (force) this.forceNext = true;
    if (this.flushing) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0 && (this.forceNext || this.closing || this.isFull())) {
      this.forceNext = false;
      await this.sendChunk();
    }
    if (this.buffer.length > 0) this.armTimer();
  }

  private isFull(): boolean {
    return this.buffer.length >= this.flushLines || this.buffer.bytes >= this.flushBytes;
  }

  private async sendChunk(): Promise<void> {
    const { lines, meta, bytes } = this.buffer.take(MAX_CHUNK_LINES, MAX_CHUNK_BYTES);
    const n = lines.length;
    const held = bytes + n * LINE_OVERHEAD_BYTES;
    const chunk: LogChunkInput = {
      attemptId: this.opts.attemptId,
      taskRunId: this.opts.taskRunId,
      runId: this.opts.runId,
      seq: this.seq++,
      firstLine: this.nextLine,
      lines,
      meta,
    };
    this.nextLine += n;
    try {
      await this.insert(chunk);
      this.stored.lines += n;
      this.stored.bytes += bytes - 1; // lines are joined: one \n fewer than lines
    } catch (err) {
      this.lost.lines += n;
      this.lost.error = (err as Error).message;
    } finally {
      this.heldBytes -= held;
      this.wakeWaiters();
    }
  }

  private async insert(chunk: LogChunkInput): Promise<void> {
    const giveUpAt = Date.now() + UNAVAILABLE_WAIT_MS;
    for (let attempt = 0, waits = 0; ;) {
      try {
        // false: a previous try committed before its reply was lost (the chunk is stored), or the
        // attempt was closed elsewhere (swept as lost while this worker was cut off): its lines are
        // not stored, and the heartbeat's ownership check stops the attempt.
        await appendLogChunk(this.db, chunk, { whileAttemptOpen: true });
        return;
      } catch (err) {
        const delay =
          isDatabaseUnavailable(err) && Date.now() < giveUpAt
            ? UNAVAILABLE_RETRY_MS[Math.min(waits++, UNAVAILABLE_RETRY_MS.length - 1)]
            : RETRY_DELAYS_MS[attempt++];
        if (delay === undefined) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** One ISO string per millisecond, not per line. */
  private now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }
}
