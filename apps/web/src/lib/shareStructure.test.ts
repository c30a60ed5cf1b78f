import { describe, expect, it } from 'vitest';
import { shareStructure } from './shareStructure';

describe('shareStructure', () => {
  it('keeps the previous object when only new Date instances of the same time arrived', () => {
    const prev = { tasks: [{ key: 'a', startedAt: new Date(1000), tags: ['x'] }] };
    const next = { tasks: [{ key: 'a', startedAt: new Date(1000), tags: ['x'] }] };
    expect(shareStructure(prev, next)).toBe(prev);
  });

  it('keeps unchanged siblings and replaces what changed', () => {
    const a = { key: 'a', startedAt: new Date(1000), status: 'running' };
    const b = { key: 'b', startedAt: null, status: 'pending' };
    const next = {
      status: 'running',
      tasks: [
        { key: 'a', startedAt: new Date(1000), status: 'succeeded' },
        { key: 'b', startedAt: null, status: 'pending' },
      ],
    };
    const shared = shareStructure({ status: 'running', tasks: [a, b] }, next);
    expect(shared.tasks[0]).not.toBe(a);
    expect(shared.tasks[0]!.status).toBe('succeeded');
    expect(shared.tasks[1]).toBe(b);
  });

  it('tells a changed date, an added key and a longer array apart from equal ones', () => {
    expect(shareStructure({ at: new Date(1) }, { at: new Date(2) }).at.getTime()).toBe(2);
    const prev = { a: 1 };
    expect(shareStructure(prev, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    const arr = [1, 2];
    expect(shareStructure(arr, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(shareStructure(arr, [1, 2])).toBe(arr);
    expect(shareStructure({ a: 1, b: undefined }, { a: 1, c: undefined })).toEqual({
      a: 1,
      c: undefined,
    });
  });
});
