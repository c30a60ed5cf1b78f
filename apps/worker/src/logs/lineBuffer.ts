// The lines of one attempt waiting for the database, as parallel arrays rather than an object per
// line: a flood of short lines is the normal case, and per-line objects would cost more memory
// than the text. LogLineMeta objects are built only for the chunk being written.
import type { LogLineMeta, LogStream } from '@dtss/db';

/** Rough memory of a buffered line beyond its text (array slots, string header). */
export const LINE_OVERHEAD_BYTES = 48;

export interface TakenLines {
  lines: string[];
  meta: LogLineMeta[];
  /** Sum of the lines' sizes as given to push(). */
  bytes: number;
}

export class LineBuffer {
  private texts: string[] = [];
  private streams: LogStream[] = [];
  private times: string[] = [];
  private sizes: number[] = [];
  private head = 0;
  /** Sum of sizes of the waiting lines. */
  bytes = 0;

  get length(): number {
    return this.texts.length - this.head;
  }

  push(text: string, stream: LogStream, time: string, size: number): void {
    this.texts.push(text);
    this.streams.push(stream);
    this.times.push(time);
    this.sizes.push(size);
    this.bytes += size;
  }

  /** Removes up to maxLines lines from the front, stopping once maxBytes is reached (≥ 1 line). */
  take(maxLines: number, maxBytes: number): TakenLines {
    const start = this.head;
    let end = start;
    let bytes = 0;
    while (
      end < this.texts.length &&
      end - start < maxLines &&
      (end === start || bytes < maxBytes)
    ) {
      bytes += this.sizes[end]!;
      end++;
    }
    const lines = this.texts.slice(start, end);
    const meta: LogLineMeta[] = new Array(end - start);
    for (let i = start; i < end; i++) meta[i - start] = { t: this.times[i]!, s: this.streams[i]! };
    this.head = end;
    this.bytes -= bytes;
    if (this.head === this.texts.length) this.reset();
    else if (this.head > 4096 && this.head * 2 > this.texts.length) this.compact();
    return { lines, meta, bytes };
  }

  private reset(): void {
    this.texts = [];
    this.streams = [];
    this.times = [];
    this.sizes = [];
    this.head = 0;
  }

  private compact(): void {
    this.texts = this.texts.slice(this.head);
    this.streams = this.streams.slice(this.head);
    this.times = this.times.slice(this.head);
    this.sizes = this.sizes.slice(this.head);
    this.head = 0;
  }
}
