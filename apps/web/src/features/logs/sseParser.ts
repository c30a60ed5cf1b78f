// Server-sent events framing for a stream read with fetch (the download reads the log with
// `follow=false` and stops at `end`; EventSource would reconnect and has no way to say "done").
// Follows the HTML spec's event stream rules: lines end with \n, \r\n or \r; `data` lines join
// with \n; comments start with `:`; a blank line dispatches.

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** A \r ended the last chunk: a \n starting the next one belongs to the same line break. */
  private pendingCr = false;

  /** Feeds decoded text; returns the messages completed by it. */
  push(text: string): SseMessage[] {
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    // Only the new text is searched for line ends: a 1 MB `data` line arriving in 64 KB pieces is
    // scanned once, not once per piece.
    const lineEnd = /[\r\n]/g;
    lineEnd.lastIndex = this.buffer.length;
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (let m = lineEnd.exec(this.buffer); m; m = lineEnd.exec(this.buffer)) {
      const i = m.index;
      this.line(this.buffer.slice(start, i), out);
      let next = i + 1;
      if (this.buffer.charCodeAt(i) === 0x0d) {
        if (next === this.buffer.length) this.pendingCr = true;
        else if (this.buffer.charCodeAt(next) === 0x0a) next++;
      }
      start = next;
      lineEnd.lastIndex = next;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      }
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    // `retry` and unknown fields do not matter to a one-shot read.
  }
}
