import { formatPath, validateWorkflow, type ValidationError } from '@dtss/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldErrors, groupErrors, parsePath } from './errors';

function errorsOf(workflow: unknown): ValidationError[] {
  const result = validateWorkflow(workflow);
  if (result.ok) throw new Error('expected validation errors');
  return result.errors;
}

const broken = {
  name: 'Bad Name',
  defaults: { retries: { maxAttempts: 0 } },
  schedules: [{ cron: 'nope' }],
  tasks: {
    a: { kind: 'shell', needs: ['c'], command: 'echo a' },
    b: { kind: 'shell', needs: 'a', command: 'echo b' },
    c: { kind: 'shell', needs: ['b'], command: 'echo c' },
    fetch: { kind: 'http', request: { url: 'ftp://example.com' } },
    run: {
      kind: 'shell',
      comand: 'typo',
      retries: { maxAttempts: 0 },
      env: { FOO: { nested: true }, 'MY VAR': 'x' },
    },
    join: { kind: 'noop', needs: ['fetch', 'fetch', 'lod'] },
    '1bad': { kind: 'noop' },
  },
};

describe('groupErrors', () => {
  const errors = errorsOf(broken);
  const { byTask, general } = groupErrors(errors);

  it('puts every error under tasks.<id> on that task', () => {
    expect(byTask.get('fetch')?.map((e) => e.path)).toEqual(['tasks.fetch.request.url']);
    expect(
      byTask
        .get('run')
        ?.map((e) => e.path)
        .sort(),
    ).toEqual(
      [
        'tasks.run',
        'tasks.run.comand',
        'tasks.run.env.FOO',
        'tasks.run.env["MY VAR"]',
        'tasks.run.retries.maxAttempts',
      ].sort(),
    );
    expect(byTask.get('join')?.map((e) => e.path)).toEqual([
      'tasks.join.needs[1]',
      'tasks.join.needs[2]',
    ]);
    expect(byTask.get('1bad')?.map((e) => e.path)).toEqual(['tasks["1bad"]']);
  });

  it('shows a cycle on every task in it', () => {
    const cycle = errors.find((e) => e.message.startsWith('dependency cycle'))!;
    expect(cycle.path).toBe('tasks.a.needs');
    for (const id of ['a', 'b', 'c']) expect(byTask.get(id)).toEqual([cycle]);
  });

  it('keeps the rest for the workflow as a whole', () => {
    expect(general.map((e) => e.path).sort()).toEqual(
      ['defaults.retries.maxAttempts', 'name', 'schedules[0].cron'].sort(),
    );
    const counted = new Set([...byTask.values()].flat());
    expect(counted.size + general.length).toBe(errors.length);
  });

  it('treats the tasks map itself and unreadable paths as general', () => {
    const { byTask: none, general: all } = groupErrors([
      { path: 'tasks', message: 'a workflow needs at least one task' },
      { path: '', message: 'expected a workflow' },
      { path: 'tasks..x', message: 'odd' },
    ]);
    expect(none.size).toBe(0);
    expect(all).toHaveLength(3);
  });
});

describe('fieldErrors', () => {
  const errors = errorsOf(broken);

  it('keys messages by the field path inside the task', () => {
    const run = fieldErrors(errors, 'run');
    expect([...run.keys()].sort()).toEqual(
      ['', 'comand', 'env.FOO', 'env["MY VAR"]', 'retries.maxAttempts'].sort(),
    );
    expect(run.get('retries.maxAttempts')).toEqual(['must be at least 1 (got 0)']);
    expect(run.get('')).toEqual(['missing required field "command" for kind shell']);
    expect([...fieldErrors(errors, 'fetch').keys()]).toEqual(['request.url']);
    expect([...fieldErrors(errors, 'join').keys()]).toEqual(['needs[1]', 'needs[2]']);
  });

  it('lists a cycle under needs for each of its tasks', () => {
    for (const id of ['a', 'b', 'c']) {
      expect(fieldErrors(errors, id).get('needs')).toEqual([
        'dependency cycle a → b → c → a (each task needs the one before it)',
      ]);
    }
  });

  it('is empty for a task without errors', () => {
    expect(fieldErrors(errors, 'nothing').size).toBe(0);
  });
});

describe('parsePath', () => {
  it("reads what @dtss/core's formatPath writes", () => {
    expect(parsePath('tasks.load.needs[0]')).toEqual(['tasks', 'load', 'needs', 0]);
    expect(parsePath('tasks["1bad"].env["MY VAR"]')).toEqual(['tasks', '1bad', 'env', 'MY VAR']);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('a.')).toBeNull();
    expect(parsePath('a[x]')).toBeNull();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat()), { maxLength: 6 }), (path) => {
        expect(parsePath(formatPath(path))).toEqual(path);
      }),
    );
  });
});
