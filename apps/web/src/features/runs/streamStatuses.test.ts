import { describe, expect, it } from 'vitest';
import { StreamStatuses } from './streamStatuses';

function recorder(s: StreamStatuses, task: string) {
  const calls: (string | undefined)[] = [];
  const stop = s.subscribe(task, () => calls.push(s.get(task)));
  return { calls, stop };
}

describe('StreamStatuses', () => {
  it('tells a status change to that task only, and nothing when it did not change', () => {
    const s = new StreamStatuses();
    const a = recorder(s, 'a');
    const b = recorder(s, 'b');
    s.set('a', 'running');
    s.set('a', 'running');
    s.set('a', 'succeeded');
    expect(a.calls).toEqual(['running', 'succeeded']);
    expect(b.calls).toEqual([]);
  });

  it('a snapshot replaces every status and tells only the tasks it changed', () => {
    const s = new StreamStatuses();
    s.set('a', 'running');
    s.set('gone', 'queued');
    const a = recorder(s, 'a');
    const b = recorder(s, 'b');
    const gone = recorder(s, 'gone');
    s.replace([
      { key: 'a', status: 'running' },
      { key: 'b', status: 'pending' },
    ]);
    expect(a.calls).toEqual([]);
    expect(b.calls).toEqual(['pending']);
    expect(gone.calls).toEqual([undefined]);
  });

  it('stops telling a subscriber that unsubscribed', () => {
    const s = new StreamStatuses();
    const a = recorder(s, 'a');
    a.stop();
    s.set('a', 'failed');
    expect(a.calls).toEqual([]);
    expect(s.get('a')).toBe('failed');
  });
});
