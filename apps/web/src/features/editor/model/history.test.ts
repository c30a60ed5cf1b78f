import { describe, expect, it } from 'vitest';
import { stateOf } from './fixtures';
import {
  canRedo,
  canUndo,
  createHistory,
  currentOf,
  HISTORY_LIMIT,
  push,
  redo,
  undo,
} from './history';
import { updateTask } from './tasks';

const s0 = stateOf({ a: { kind: 'noop' } });
const s = (n: number) => updateTask(s0, 'a', { kind: 'noop', result: n });

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = createHistory(s0);
    expect(canUndo(h)).toBe(false);
    const [s1, s2] = [s(1), s(2)];
    h = push(push(h, s1), s2);
    expect(currentOf(h)).toBe(s2);
    h = undo(h);
    expect(currentOf(h)).toBe(s1);
    expect(canRedo(h)).toBe(true);
    h = undo(h);
    expect(currentOf(h)).toBe(s0);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(currentOf(h)).toBe(s2);
    expect(redo(h)).toBe(h);
  });

  it('drops the redo branch on a new change', () => {
    const h = push(undo(push(createHistory(s0), s(1))), s(2));
    expect(canRedo(h)).toBe(false);
    expect(currentOf(undo(h))).toBe(s0);
  });

  it('ignores pushing the present again', () => {
    const h = push(createHistory(s0), s(1));
    expect(push(h, currentOf(h))).toBe(h);
  });

  it('merges consecutive pushes with the same key into one step', () => {
    let h = push(createHistory(s0), s(1));
    h = push(h, s(2), 'task:a:command');
    h = push(h, s(3), 'task:a:command');
    h = push(h, s(4), 'task:a:command');
    expect(currentOf(h).workflow.tasks.a!.result).toBe(4);
    expect(currentOf(undo(h)).workflow.tasks.a!.result).toBe(1);
  });

  it('starts a new step for another key, no key, or after an undo', () => {
    let h = push(createHistory(s0), s(1), 'x');
    h = push(h, s(2), 'y');
    expect(currentOf(undo(h)).workflow.tasks.a!.result).toBe(1);
    h = push(h, s(3));
    h = push(h, s(4));
    expect(currentOf(undo(h)).workflow.tasks.a!.result).toBe(3);
    h = push(h, s(5), 'z');
    h = redo(undo(h));
    h = push(h, s(6), 'z');
    expect(currentOf(undo(h)).workflow.tasks.a!.result).toBe(5);
    // An empty key never merges.
    h = push(push(h, s(7), ''), s(8), '');
    expect(currentOf(undo(h)).workflow.tasks.a!.result).toBe(7);
  });

  it(`keeps at most ${HISTORY_LIMIT} states`, () => {
    let h = createHistory(s(0));
    for (let i = 1; i <= 500; i++) h = push(h, s(i));
    expect(h.past.length + 1 + h.future.length).toBe(HISTORY_LIMIT);
    let steps = 0;
    while (canUndo(h)) {
      h = undo(h);
      steps++;
    }
    expect(steps).toBe(HISTORY_LIMIT - 1);
    expect(currentOf(h).workflow.tasks.a!.result).toBe(500 - (HISTORY_LIMIT - 1));
    expect(h.past.length + 1 + h.future.length).toBe(HISTORY_LIMIT);
  });
});
