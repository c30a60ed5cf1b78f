import { describe, expect, it } from 'vitest';
import { compactLines } from '@/lib/logWire';
import { formatSseEvent, type SseEvent } from '@/server/live/sse';
import { fetchAttemptLog, logFileName, logText } from './downloadLog';
import { errorEventMessage, logStreamUrl, parseLogEvent } from './logEvents';

const line = (n: number, text: string) => ({ line: n, text, stream: 'stdout', time: 't' });

/** A fetch answering with these SSE events, cut into small chunks like a network would. */
function sseFetch(events: SseEvent[], seen: string[] = []): typeof fetch {
  const body = events.map(formatSseEvent).join('');
  return (async (input: RequestInfo | URL) => {
    seen.push(String(input));
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
  }) as typeof fetch;
}

describe('fetchAttemptLog', () => {
  it('reads every line up to `end` with follow=false, dropping repeats', async () => {
    const seen: string[] = [];
    const store = await fetchAttemptLog('run-1', 'load data', 2, {
      fetchImpl: sseFetch(
        [
          {
            event: 'log',
            id: '0.2.0',
            data: {
              task: 'load data',
              attempt: 2,
              seq: 0,
              lines: [line(0, 'ä'), line(1, '\x1b[1mb\x1b[0m')],
            },
          },
          {
            event: 'log',
            id: '0.2.1',
            // The compact form, which the viewer asks for.
            data: {
              task: 'load data',
              attempt: 2,
              seq: 1,
              ...compactLines([line(1, 'b'), line(2, 'c')]),
            },
          },
          { event: 'end', id: '0.2.1', data: { runId: 'run-1', status: 'running' } },
          {
            event: 'log',
            id: '0.2.2',
            data: { task: 'load data', attempt: 2, seq: 2, lines: [line(3, 'after end')] },
          },
        ],
        seen,
      ),
    });
    expect(seen).toEqual([
      '/api/stream/runs/run-1/logs?task=load+data&attempt=2&follow=false&format=compact',
    ]);
    expect(logText(store.all())).toBe('ä\nb\nc\n');
  });

  it('fails on a server error event, a stream without end, and a refusal', async () => {
    await expect(
      fetchAttemptLog('r', 't', 1, {
        fetchImpl: sseFetch([{ event: 'error', data: { message: 'stream failed; reconnect' } }]),
      }),
    ).rejects.toThrow('stream failed; reconnect');
    await expect(
      fetchAttemptLog('r', 't', 1, {
        fetchImpl: sseFetch([{ event: 'log', data: { attempt: 1, lines: [line(0, 'a')] } }]),
      }),
    ).rejects.toThrow(/ended before/);
    const refused = (async () =>
      Response.json({ error: 'run r has no task "t"' }, { status: 404 })) as typeof fetch;
    await expect(fetchAttemptLog('r', 't', 1, { fetchImpl: refused })).rejects.toThrow(
      'run r has no task "t"',
    );
  });
});

describe('file', () => {
  it('names the file after the task and attempt, safely', () => {
    expect(logFileName('extract', 3)).toBe('extract-attempt-3.log');
    expect(logFileName('a/b c', 1)).toBe('a_b_c-attempt-1.log');
    expect(logFileName('..', 1)).toBe('_-attempt-1.log');
  });

  it('writes one line per line, with a final newline, and nothing for an empty log', () => {
    expect(logText([{ plain: 'a' }, { plain: '' }, { plain: 'c' }])).toBe('a\n\nc\n');
    expect(logText([])).toBe('');
  });
});

describe('logEvents', () => {
  it('builds the stream URL', () => {
    expect(logStreamUrl('r/1', 'a&b', 4)).toBe('/api/stream/runs/r%2F1/logs?task=a%26b&attempt=4');
  });

  it('parses log events and rejects malformed ones', () => {
    expect(
      parseLogEvent(
        '{"task":"t","attempt":1,"seq":0,"lines":[{"line":0,"text":"x","stream":"stderr","time":"t"}]}',
      ),
    ).toEqual({
      task: 't',
      attempt: 1,
      seq: 0,
      lines: [{ line: 0, text: 'x', stream: 'stderr', time: 't' }],
    });
    expect(parseLogEvent('not json')).toBeNull();
    expect(parseLogEvent('{"attempt":"1","lines":[]}')).toBeNull();
    expect(
      parseLogEvent('{"attempt":1,"lines":[{"line":"0","text":"x"},null,{"line":1,"text":"y"}]}')
        ?.lines,
    ).toEqual([{ line: 1, text: 'y', stream: 'stdout', time: '' }]);
  });

  it('reads the message of an error event', () => {
    expect(errorEventMessage('{"message":"access revoked"}')).toBe('access revoked');
    expect(errorEventMessage('')).toBe('the log stream failed');
  });
});
