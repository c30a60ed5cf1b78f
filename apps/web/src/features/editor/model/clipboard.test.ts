import { validateWorkflow } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { CLIPBOARD_FORMAT, copyTasks, parseClipboard, pasteTasks } from './clipboard';
import { stateOf } from './fixtures';

const state = stateOf(
  {
    outside: { kind: 'shell', command: 'echo out' },
    extract: {
      kind: 'shell',
      needs: ['outside'],
      command: 'echo x',
      output: { schema: { type: 'object', properties: { rows: { type: 'number' } } } },
    },
    load: {
      kind: 'shell',
      needs: ['extract', 'outside'],
      command: 'echo {{ tasks.extract.output.rows }}',
    },
    lonely: { kind: 'noop' },
  },
  { outside: { x: 0, y: 0 }, extract: { x: 300, y: 100 }, load: { x: 600, y: 140 } },
);

describe('copyTasks', () => {
  it('keeps the edges among the copied tasks and positions relative to their top-left', () => {
    const clip = copyTasks(state, ['load', 'extract', 'nope']);
    expect(clip.format).toBe(CLIPBOARD_FORMAT);
    expect(Object.keys(clip.tasks)).toEqual(['extract', 'load']); // definition order
    expect(clip.tasks.extract).not.toHaveProperty('needs');
    expect(clip.tasks.load!.needs).toEqual(['extract']);
    expect(clip.edges).toEqual([{ source: 'extract', target: 'load' }]);
    expect(clip.positions).toEqual({ extract: { x: 0, y: 0 }, load: { x: 300, y: 40 } });
  });

  it('shares no objects with the state', () => {
    const clip = copyTasks(state, ['extract']);
    expect(clip.tasks.extract!.output).toEqual(state.workflow.tasks.extract!.output);
    expect(clip.tasks.extract!.output).not.toBe(state.workflow.tasks.extract!.output);
  });

  it('stacks tasks without a position below the others', () => {
    const clip = copyTasks(state, ['extract', 'lonely']);
    expect(clip.positions).toEqual({ extract: { x: 0, y: 0 }, lonely: { x: 0, y: 80 } });
  });

  it('survives JSON (the system clipboard)', () => {
    const clip = copyTasks(state, ['extract', 'load']);
    expect(parseClipboard(JSON.stringify(clip))).toEqual(clip);
  });
});

describe('pasteTasks', () => {
  it('adds copies with fresh ids, needs and references remapped, at the given point', () => {
    const clip = copyTasks(state, ['extract', 'load']);
    const { state: next, ids } = pasteTasks(state, clip, { x: 1000, y: 500 });
    expect(ids).toEqual(['extract_copy', 'load_copy']);
    expect(next.workflow.tasks.load_copy).toEqual({
      kind: 'shell',
      needs: ['extract_copy'],
      command: 'echo {{ tasks.extract_copy.output.rows }}',
    });
    expect(next.positions.extract_copy).toEqual({ x: 1000, y: 500 });
    expect(next.positions.load_copy).toEqual({ x: 1300, y: 540 });
    for (const id of Object.keys(state.workflow.tasks)) {
      expect(next.workflow.tasks[id]).toBe(state.workflow.tasks[id]);
    }
    expect(validateWorkflow(next.workflow).ok).toBe(true);

    const again = pasteTasks(next, clip, { x: 0, y: 0 });
    expect(again.ids).toEqual(['extract_copy2', 'load_copy2']);
    expect(again.state.workflow.tasks.load_copy2!.needs).toEqual(['extract_copy2']);
    expect(validateWorkflow(again.state.workflow).ok).toBe(true);
  });

  it('drops needs that point outside the pasted set', () => {
    const clip = parseClipboard(
      JSON.stringify({
        format: CLIPBOARD_FORMAT,
        version: 1,
        tasks: { b: { kind: 'noop', needs: ['a', 'elsewhere'] }, a: { kind: 'noop' } },
        positions: {},
      }),
    )!;
    const { state: next, ids } = pasteTasks(stateOf({}), clip, { x: 10, y: 10 });
    expect(ids).toEqual(['b_copy', 'a_copy']);
    expect(next.workflow.tasks.b_copy).toEqual({ kind: 'noop', needs: ['a_copy'] });
    expect(next.positions).toEqual({ b_copy: { x: 10, y: 10 }, a_copy: { x: 10, y: 90 } });
  });

  it('keeps ids within the 64-character limit', () => {
    const long = 'x'.repeat(64);
    const clip = copyTasks(stateOf({ [long]: { kind: 'noop' } }), [long]);
    const { ids } = pasteTasks(stateOf({ [long]: { kind: 'noop' } }), clip, { x: 0, y: 0 });
    expect(ids[0]).toHaveLength(64);
    expect(ids[0]).toMatch(/_copy$/);
  });
});

describe('parseClipboard', () => {
  it('rejects text that is not a clipboard', () => {
    expect(parseClipboard('')).toBeNull();
    expect(parseClipboard('hello')).toBeNull();
    expect(parseClipboard('{"tasks":{}}')).toBeNull();
    const base = { format: CLIPBOARD_FORMAT, version: 1, positions: {} };
    expect(parseClipboard(JSON.stringify({ ...base, tasks: {} }))).toBeNull();
    expect(parseClipboard(JSON.stringify({ ...base, tasks: [] }))).toBeNull();
    expect(parseClipboard(JSON.stringify({ ...base, tasks: { a: 'shell' } }))).toBeNull();
    expect(parseClipboard(JSON.stringify({ ...base, tasks: { a: { command: 'x' } } }))).toBeNull();
    expect(
      parseClipboard(JSON.stringify({ ...base, version: 2, tasks: { a: { kind: 'noop' } } })),
    ).toBeNull();
  });

  it('drops positions that are not finite numbers and recomputes edges', () => {
    const clip = parseClipboard(
      JSON.stringify({
        format: CLIPBOARD_FORMAT,
        version: 1,
        tasks: { a: { kind: 'noop' }, b: { kind: 'noop', needs: 'a' } },
        edges: [{ source: 'x', target: 'y' }],
        positions: { a: { x: 1, y: 2 }, b: { x: 'left', y: 0 } },
      }),
    );
    expect(clip).toMatchObject({
      edges: [{ source: 'a', target: 'b' }],
      positions: { a: { x: 1, y: 2 } },
    });
  });
});
