// Turns a byte stream into lines with bounded memory: a line longer than its limit keeps its start
// and counts the rest, so a process printing gigabytes without a newline costs one limit of memory.
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept whole, in UTF-16 code units (≈ bytes for ASCII). */
export const MAX_LINE_CHARS = 64 * 1024;

export interface LineSplitterOptions {
  maxLineChars?: number;
  /**
   * Lines starting with `prefix` may grow to `maxChars`: the output contract needs a whole
   * `::output::` line up to its own size cap, which is larger than a log line's.
   */
  longLine?: { prefix: string; maxChars: number };
}

/** `cutChars`: characters dropped from the end of this line (0 when it is whole). */
export type LineHandler = (line: string, cutChars: number) => void;

export class LineSplitter {
  // StringDecoder keeps a multi-byte character split across chunks intact.
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineChars: number;
  private parts: string[] = [];
  private kept = 0;
  private cut = 0;
  /** The current line's limit, decided once it outgrows maxLineChars. */
  private limit: number | null = null;

  constructor(
    private readonly onLine: LineHandler,
    private readonly opts: LineSplitterOptions = {},
  ) {
    this.maxLineChars = opts.maxLineChars ?? MAX_LINE_CHARS;
  }

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  /** Emits the last line even without a trailing newline. */
  end(): void {
    this.feed(this.decoder.end());
    if (this.kept > 0 || this.cut > 0) this.emit();
  }

  private feed(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        if (start < text.length) this.append(text, start, text.length);
        return;
      }
      if (this.kept === 0 && this.cut === 0 && nl - start <= this.maxLineChars) {
        // Fast path, the common case: a whole short line inside one chunk.
        this.onLine(stripCr(text.slice(start, nl)), 0);
      } else {
        this.append(text, start, nl);
        this.emit();
      }
      start = nl + 1;
    }
  }

  private append(text: string, from: number, to: number): void {
    const length = to - from;
    if (this.limit === null && this.kept + length > this.maxLineChars) {
      this.limit = this.decideLimit(text, from);
    }
    const room = (this.limit ?? this.maxLineChars) - this.kept;
    const take = Math.min(room, length);
    if (take > 0) {
      this.parts.push(text.slice(from, from + take));
      this.kept += take;
    }
    this.cut += length - take;
  }

  private decideLimit(text: string, from: number): number {
    const long = this.opts.longLine;
    if (!long) return this.maxLineChars;
    const head = (this.parts.join('') + text.slice(from, from + long.prefix.length)).slice(
      0,
      long.prefix.length,
    );
    return head === long.prefix ? Math.max(long.maxChars, this.maxLineChars) : this.maxLineChars;
  }

  private emit(): void {
    const line = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    const cut = this.cut;
    this.parts = [];
    this.kept = 0;
    this.cut = 0;
    this.limit = null;
    this.onLine(cut === 0 ? stripCr(line) : line, cut);
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
