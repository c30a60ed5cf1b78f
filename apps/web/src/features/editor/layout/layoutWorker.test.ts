import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeLayout, type LayoutInput } from './computeLayout';
import { handleLayoutRequest, type LayoutRequest, type LayoutResponse } from './layoutProtocol';

const input: LayoutInput = {
  nodes: [
    { id: 'a', width: 100, height: 40 },
    { id: 'b', width: 100, height: 40 },
  ],
  edges: [{ source: 'a', target: 'b' }],
};

describe('handleLayoutRequest', () => {
  it('echoes the request id with the layout', () => {
    expect(handleLayoutRequest({ id: 7, input })).toEqual({
      id: 7,
      positions: computeLayout(input),
    });
    expect(handleLayoutRequest({ id: 8, input, direction: 'TB' })).toEqual({
      id: 8,
      positions: computeLayout(input, 'TB'),
    });
  });

  it('answers a failure instead of throwing', () => {
    const reply = handleLayoutRequest({
      id: 9,
      input: { nodes: null, edges: [] } as unknown as LayoutInput,
    });
    expect(reply).toMatchObject({ id: 9, positions: {}, error: expect.any(String) });
  });
});

describe('layout.worker', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('replies to each message with its id', async () => {
    const replies: LayoutResponse[] = [];
    const scope: {
      onmessage: ((e: { data: LayoutRequest }) => void) | null;
      postMessage: (m: LayoutResponse) => void;
    } = {
      onmessage: null,
      postMessage: (message) => replies.push(message),
    };
    vi.stubGlobal('self', scope);
    await import('./layout.worker');
    expect(scope.onmessage).toBeTypeOf('function');
    scope.onmessage!({ data: { id: 2, input } });
    scope.onmessage!({ data: { id: 1, input, direction: 'TB' } });
    expect(replies.map((r) => r.id)).toEqual([2, 1]);
    expect(replies[0]!.positions).toEqual(computeLayout(input));
    expect(replies[1]!.positions).toEqual(computeLayout(input, 'TB'));
  });
});
