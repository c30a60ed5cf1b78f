import { describe, expect, it } from 'vitest';
import { formatSseEvent } from '@/server/live/sse';
import { SseParser } from './sseParser';

describe('SseParser', () => {
  it('reads what the server formats', () => {
    const parser = new SseParser();
    const text =
      'retry: 2000\n: connected\n\n' +
      formatSseEvent({ event: 'log', id: '0.1.0', data: { lines: [{ line: 0, text: 'a' }] } }) +
      ': heartbeat\n\n' +
      formatSseEvent({ event: 'end', id: '0.1.0', data: { runId: 'r', status: 'succeeded' } });
    expect(parser.push(text)).toEqual([
      { event: 'log', id: '0.1.0', data: '{"lines":[{"line":0,"text":"a"}]}' },
      { event: 'end', id: '0.1.0', data: '{"runId":"r","status":"succeeded"}' },
    ]);
  });

  it('joins messages split across chunks at any point', () => {
    const text = formatSseEvent({ event: 'log', data: { a: 'x\ny' } }).repeat(3);
    for (let cut = 1; cut < text.length; cut += 7) {
      const parser = new SseParser();
      const got = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(got).toHaveLength(3);
      expect(JSON.parse(got[2]!.data)).toEqual({ a: 'x\ny' });
    }
  });

  it('accepts CRLF and CR line ends, including a CRLF split between chunks', () => {
    const parser = new SseParser();
    expect([
      ...parser.push('event: a\r\ndata: 1\r'),
      ...parser.push('\n\r\nevent: b\rdata: 2\r\r'),
    ]).toEqual([
      { event: 'a', data: '1', id: undefined },
      { event: 'b', data: '2', id: undefined },
    ]);
  });

  it('joins multi-line data, defaults the event name, and skips data-less blocks', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\ndata:two\n\nevent: x\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo', id: undefined },
    ]);
  });
});
