import { describe, expect, it } from 'vitest';
import { formatSseEvent } from './sse';

describe('formatSseEvent', () => {
  it('frames an event with its id and JSON data on one line', () => {
    expect(formatSseEvent({ event: 'log', id: '0.1.2', data: { text: 'a\nb' } })).toBe(
      'id: 0.1.2\nevent: log\ndata: {"text":"a\\nb"}\n\n',
    );
    expect(formatSseEvent({ event: 'end', data: null })).toBe('event: end\ndata: null\n\n');
  });

  it('refuses line breaks in names and ids, which would forge events', () => {
    expect(() => formatSseEvent({ event: 'log\nevent: end', data: 1 })).toThrow();
    expect(() => formatSseEvent({ event: 'log', id: '1\ndata: x', data: 1 })).toThrow();
  });
});
