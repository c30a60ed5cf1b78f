import { describe, expect, it } from 'vitest';
import { CursorError, decodeCursor, encodeCursor, type AttemptRef } from './logCursor';

const attempts: AttemptRef[] = [
  { attemptId: 'a1', taskKey: 'extract', taskIndex: 0, attemptNumber: 1 },
  { attemptId: 'a2', taskKey: 'extract', taskIndex: 0, attemptNumber: 2 },
  { attemptId: 'b1', taskKey: 'load', taskIndex: 1, attemptNumber: 1 },
];
const byId = new Map(attempts.map((a) => [a.attemptId, a]));

describe('log cursor', () => {
  it('writes task.attempt.seq entries in a stable order and reads them back', () => {
    const cursor = new Map([
      ['b1', 7],
      ['a2', 0],
      ['a1', 12],
    ]);
    const text = encodeCursor(cursor, byId);
    expect(text).toBe('0.1.12,0.2.0,1.1.7');
    expect(decodeCursor(text, attempts)).toEqual(cursor);
  });

  it('reads a missing or blank Last-Event-ID as the start', () => {
    expect(decodeCursor(null, attempts)).toEqual(new Map());
    expect(decodeCursor('  ', attempts)).toEqual(new Map());
  });

  it('refuses ids that are not cursors of this run', () => {
    expect(() => decodeCursor('17', attempts)).toThrow(CursorError);
    expect(() => decodeCursor('0.1.1;DROP', attempts)).toThrow(/is not a log cursor/);
    expect(() => decodeCursor('2.1.0', attempts)).toThrow(
      'Last-Event-ID names task 2 attempt 1, which this run does not have',
    );
    expect(() => decodeCursor('0.1.1,'.repeat(4000), attempts)).toThrow(
      'Last-Event-ID is too long',
    );
  });
});
