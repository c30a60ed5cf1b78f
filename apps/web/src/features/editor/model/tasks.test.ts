import { TASK_KIND_NAMES, validateWorkflow } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { stateOf } from './fixtures';
import { addTask, defaultTask, newTaskId, removeElements, renameTask, updateTask } from './tasks';
import { rewriteString } from './templates';
import type { EditorState } from './types';

function expectOk(r: ReturnType<typeof renameTask>): EditorState {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r.state;
}

describe('newTaskId', () => {
  it('counts up per kind from the highest number in use', () => {
    let state = stateOf({});
    expect(newTaskId(state, 'shell')).toBe('shell_1');
    state = addTask(state, 'shell', { x: 0, y: 0 }).state;
    expect(newTaskId(state, 'shell')).toBe('shell_2');
    expect(newTaskId(state, 'http')).toBe('http_1');
    state = stateOf({ shell_7: { kind: 'shell', command: 'x' } });
    expect(newTaskId(state, 'shell')).toBe('shell_8');
  });

  it('makes a valid id from any kind name', () => {
    const state = stateOf({});
    expect(newTaskId(state, 'my kind!')).toBe('my_kind_1');
    expect(newTaskId(state, '9lives')).toBe('task_9lives_1');
    expect(newTaskId(state, '')).toBe('task_1');
    expect(newTaskId(state, 'x'.repeat(100))).toMatch(/^x{56}_1$/);
  });
});

describe('defaultTask', () => {
  it.each(TASK_KIND_NAMES)('gives a %s task that validates', (kind) => {
    const task = defaultTask(kind);
    expect(task.kind).toBe(kind);
    const result = validateWorkflow({ name: 'defaults', tasks: { [`${kind}_1`]: task } });
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('writes the documented starter content', () => {
    expect(defaultTask('shell')).toEqual({ kind: 'shell', command: 'echo hello' });
    expect(defaultTask('node')).toEqual({ kind: 'node', script: "console.log('hello')" });
    expect(defaultTask('python')).toEqual({ kind: 'python', script: "print('hello')" });
    expect(defaultTask('http')).toEqual({ kind: 'http', request: { url: 'https://example.com' } });
    expect(defaultTask('noop')).toEqual({ kind: 'noop' });
  });

  it('returns a fresh object each time', () => {
    expect(defaultTask('http')).not.toBe(defaultTask('http'));
    expect(defaultTask('http').request).not.toBe(defaultTask('http').request);
  });
});

describe('addTask', () => {
  it('adds a default task at a position and leaves the others untouched', () => {
    const state = stateOf({ a: { kind: 'noop' } }, { a: { x: 1, y: 2 } });
    const { state: next, id } = addTask(state, 'shell', { x: 100, y: 50 });
    expect(id).toBe('shell_1');
    expect(next.workflow.tasks[id]).toEqual({ kind: 'shell', command: 'echo hello' });
    expect(next.positions[id]).toEqual({ x: 100, y: 50 });
    expect(next.workflow.tasks.a).toBe(state.workflow.tasks.a);
    expect(next.positions.a).toBe(state.positions.a);
    expect(next.workflow.name).toBe('test');
    expect(state.workflow.tasks).not.toHaveProperty(id);
  });
});

describe('updateTask', () => {
  it('replaces one task', () => {
    const state = stateOf({ a: { kind: 'noop' }, b: { kind: 'noop' } });
    const next = updateTask(state, 'a', { kind: 'shell', command: 'ls' });
    expect(next.workflow.tasks.a).toEqual({ kind: 'shell', command: 'ls' });
    expect(next.workflow.tasks.b).toBe(state.workflow.tasks.b);
    expect(next.positions).toBe(state.positions);
  });

  it('returns the same state for an unknown id or the same object', () => {
    const state = stateOf({ a: { kind: 'noop' } });
    expect(updateTask(state, 'zz', { kind: 'noop' })).toBe(state);
    expect(updateTask(state, 'a', state.workflow.tasks.a!)).toBe(state);
  });
});

describe('removeElements', () => {
  const state = stateOf(
    {
      a: { kind: 'noop' },
      b: { kind: 'noop', needs: ['a'] },
      c: { kind: 'noop', needs: 'a' },
      d: { kind: 'noop', needs: ['b', 'c'] },
      e: { kind: 'noop' },
    },
    { a: { x: 0, y: 0 }, b: { x: 1, y: 0 }, c: { x: 2, y: 0 }, d: { x: 3, y: 0 } },
  );

  it('removes tasks from the map, from every needs, and from positions', () => {
    const next = removeElements(state, { tasks: ['a'], edges: [] });
    expect(Object.keys(next.workflow.tasks)).toEqual(['b', 'c', 'd', 'e']);
    expect(next.workflow.tasks.b).toEqual({ kind: 'noop' });
    expect(next.workflow.tasks.c).toEqual({ kind: 'noop' });
    expect(next.workflow.tasks.d).toBe(state.workflow.tasks.d);
    expect(next.workflow.tasks.e).toBe(state.workflow.tasks.e);
    expect(next.positions).not.toHaveProperty('a');
    expect(next.positions.b).toBe(state.positions.b);
    expect(validateWorkflow(next.workflow).ok).toBe(true);
  });

  it('removes edges and tasks together', () => {
    const next = removeElements(state, {
      tasks: ['e'],
      edges: [
        { source: 'b', target: 'd' },
        { source: 'a', target: 'c' },
      ],
    });
    expect(next.workflow.tasks.d).toEqual({ kind: 'noop', needs: ['c'] });
    expect(next.workflow.tasks.c).toEqual({ kind: 'noop' });
    expect(next.workflow.tasks.b).toBe(state.workflow.tasks.b);
    expect(next.workflow.tasks).not.toHaveProperty('e');
  });

  it('returns the same state when nothing matches', () => {
    expect(removeElements(state, { tasks: ['zz'], edges: [{ source: 'd', target: 'a' }] })).toBe(
      state,
    );
    expect(removeElements(state, { tasks: [], edges: [] })).toBe(state);
  });
});

describe('renameTask', () => {
  const state = stateOf(
    {
      extract: {
        kind: 'shell',
        command: 'echo hi',
        output: { schema: { type: 'object', properties: { rows: { type: 'number' } } } },
      },
      load: {
        kind: 'shell',
        needs: 'extract',
        env: { ROWS: '{{ tasks.extract.output.rows }}' },
        command:
          'echo {{tasks.extract.output.rows}} tasks.extract.output \\{{ tasks.extract.output }}',
      },
      notify: {
        kind: 'http',
        needs: ['load', 'extract'],
        request: {
          url: 'https://example.com/{{ tasks.extract.output.rows }}',
          body: { nested: ['{{ tasks.extract.output }}', 1] },
        },
      },
      extract_more: { kind: 'shell', command: 'echo more' },
      other: { kind: 'noop', needs: ['extract_more'], result: '{{ tasks.extract_more.output }}' },
    },
    { extract: { x: 5, y: 6 }, load: { x: 300, y: 6 } },
  );

  it('renames the key in place, needs, positions and template references', () => {
    expect(validateWorkflow(state.workflow).ok).toBe(true);
    const next = expectOk(renameTask(state, 'extract', 'pull'));
    const { tasks } = next.workflow;
    expect(Object.keys(tasks)).toEqual(['pull', 'load', 'notify', 'extract_more', 'other']);
    expect(tasks.pull).toBe(state.workflow.tasks.extract);
    expect(tasks.load).toEqual({
      kind: 'shell',
      needs: 'pull',
      env: { ROWS: '{{ tasks.pull.output.rows }}' },
      // Plain text and escaped braces are not references.
      command: 'echo {{tasks.pull.output.rows}} tasks.extract.output \\{{ tasks.extract.output }}',
    });
    expect(tasks.notify).toEqual({
      kind: 'http',
      needs: ['load', 'pull'],
      request: {
        url: 'https://example.com/{{ tasks.pull.output.rows }}',
        body: { nested: ['{{ tasks.pull.output }}', 1] },
      },
    });
    // A task whose id merely starts with the old one is not touched.
    expect(tasks.extract_more).toBe(state.workflow.tasks.extract_more);
    expect(tasks.other).toBe(state.workflow.tasks.other);
    expect(next.positions).toEqual({ pull: { x: 5, y: 6 }, load: { x: 300, y: 6 } });
    expect(validateWorkflow(next.workflow).ok).toBe(true);
  });

  it('refuses bad ids, taken ids and unknown tasks', () => {
    expect(renameTask(state, 'extract', '1x')).toMatchObject({ ok: false });
    expect(renameTask(state, 'extract', 'has space')).toMatchObject({ ok: false });
    expect(renameTask(state, 'extract', '__proto__')).toMatchObject({ ok: false });
    expect(renameTask(state, 'extract', 'x'.repeat(65))).toMatchObject({ ok: false });
    expect(renameTask(state, 'extract', 'load')).toEqual({
      ok: false,
      reason: 'a task "load" already exists',
    });
    expect(renameTask(state, 'zz', 'yy')).toEqual({ ok: false, reason: 'unknown task "zz"' });
  });

  it('accepts the current id as a no-op', () => {
    expect(renameTask(state, 'load', 'load')).toEqual({ ok: true, state });
  });
});

describe('rewriteString', () => {
  const renames = new Map([['a', 'b']]);
  it('rewrites only expressions that read the renamed task', () => {
    expect(rewriteString('{{ tasks.a.output }} {{tasks.a[0]}} {{ params.a }}', renames)).toBe(
      '{{ tasks.b.output }} {{tasks.b[0]}} {{ params.a }}',
    );
    expect(rewriteString('{{ tasks.ab.output }}', renames)).toBe('{{ tasks.ab.output }}');
  });

  it('leaves text that is not a valid template alone', () => {
    expect(rewriteString('{{ tasks.a.output ', renames)).toBe('{{ tasks.a.output ');
    expect(rewriteString('no braces tasks.a.output', renames)).toBe('no braces tasks.a.output');
  });
});
