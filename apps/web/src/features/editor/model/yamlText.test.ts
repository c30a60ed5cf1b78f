import { parseWorkflowText } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { copyTasks, pasteTasks } from './clipboard';
import { stateOf } from './fixtures';
import { fromYaml, toYaml } from './yamlText';
import type { EditorState } from './types';

function expectOk(r: ReturnType<typeof fromYaml>): EditorState {
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.state;
}

const previous = stateOf(
  {
    extract: { kind: 'shell', command: 'echo extract', env: { A: '1' } },
    load: { kind: 'shell', needs: ['extract'], command: 'echo load' },
  },
  { extract: { x: 0, y: 0 }, load: { x: 300, y: 0 } },
  { description: 'Demo', tags: ['etl'] },
);

describe('toYaml', () => {
  it('writes keys in document order, without folding long lines', () => {
    const long = `echo ${'x'.repeat(200)}`;
    const text = toYaml({ name: 'w', tasks: { a: { kind: 'shell', command: long } } });
    expect(text).toBe(
      `name: w\ntasks:\n  a:\n    kind: shell\n    command: echo ${'x'.repeat(200)}\n`,
    );
    expect(toYaml(previous.workflow)).toBe(toYaml(structuredClone(previous.workflow)));
  });

  it('never writes anchors, even when tasks share objects', () => {
    const shared = { maxAttempts: 3 };
    const text = toYaml({
      name: 'w',
      tasks: { a: { kind: 'noop', retries: shared }, b: { kind: 'noop', retries: shared } },
    });
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text.match(/maxAttempts: 3/g)).toHaveLength(2);
  });

  it('is read back by @dtss/core as the same workflow', () => {
    const pasted = pasteTasks(previous, copyTasks(previous, ['extract', 'load']), { x: 0, y: 0 });
    const result = parseWorkflowText(toYaml(pasted.state.workflow));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});

describe('fromYaml', () => {
  it('returns the previous state itself when nothing changed', () => {
    expect(fromYaml(toYaml(previous.workflow), previous)).toEqual({ ok: true, state: previous });
    expect(expectOk(fromYaml(toYaml(previous.workflow), previous))).toBe(previous);
  });

  it('keeps unchanged tasks (and other values) by reference', () => {
    const text = toYaml(previous.workflow).replace('echo load', 'echo LOAD');
    const next = expectOk(fromYaml(text, previous));
    expect(next.workflow.tasks.load!.command).toBe('echo LOAD');
    expect(next.workflow.tasks.extract).toBe(previous.workflow.tasks.extract);
    expect(next.workflow.tags).toBe(previous.workflow.tags);
    expect(next.positions).toBe(previous.positions);
  });

  it('counts reordered keys as a change', () => {
    const text = toYaml({
      ...previous.workflow,
      tasks: {
        extract: { kind: 'shell', env: { A: '1' }, command: 'echo extract' },
        load: previous.workflow.tasks.load!,
      },
    });
    const next = expectOk(fromYaml(text, previous));
    expect(next.workflow.tasks.extract).not.toBe(previous.workflow.tasks.extract);
    expect(Object.keys(next.workflow.tasks.extract!)).toEqual(['kind', 'env', 'command']);
    expect(next.workflow.tasks.load).toBe(previous.workflow.tasks.load);
  });

  it('keeps positions of tasks that still exist and drops the others', () => {
    const text =
      'name: test\ntasks:\n  load: { kind: shell, command: echo load }\n  new: { kind: noop }\n';
    const next = expectOk(fromYaml(text, previous));
    expect(next.positions).toEqual({ load: { x: 300, y: 0 } });
    expect(next.positions.load).toBe(previous.positions.load);
  });

  it('reports YAML syntax errors with their line', () => {
    const r = fromYaml('name: w\ntasks:\n  a: [unclosed\n', previous);
    expect(r).toMatchObject({ ok: false, line: expect.any(Number) });
    const dup = fromYaml('name: w\ntasks:\n  a: { kind: noop }\n  a: { kind: noop }\n', previous);
    expect(dup).toMatchObject({ ok: false, line: 4 });
  });

  it('refuses text nested past the limit before parsing it', () => {
    const deep = `name: w\ntasks: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    expect(fromYaml(deep, previous)).toEqual({
      ok: false,
      message: 'nested deeper than 64 levels',
      line: 2,
    });
  });

  it('requires a mapping with a tasks mapping', () => {
    expect(fromYaml('', previous)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/empty/),
    });
    expect(fromYaml('- a\n- b\n', previous)).toMatchObject({ ok: false, line: 1 });
    expect(fromYaml('name: w\n', previous)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/tasks/),
    });
    expect(fromYaml('name: w\ntasks:\n  - a\n', previous)).toMatchObject({ ok: false, line: 3 });
    expect(fromYaml('name: w\ntasks: 3\n', previous)).toMatchObject({ ok: false, line: 2 });
  });

  it('leaves other problems to validation', () => {
    const next = expectOk(fromYaml('tasks:\n  a:\n  b: { kind: nope, needs: a }\n', previous));
    expect(next.workflow.tasks).toEqual({ a: null, b: { kind: 'nope', needs: 'a' } });
    expect(next.positions).toEqual({});
  });

  it('expands merge keys as @dtss/core does', () => {
    const text = [
      'name: w',
      'x-base: &base { kind: shell, command: echo hi }',
      'tasks:',
      '  a: { <<: *base }',
    ].join('\n');
    expect(expectOk(fromYaml(text, previous)).workflow.tasks.a).toEqual({
      kind: 'shell',
      command: 'echo hi',
    });
  });

  it('refuses alias bombs', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    }
    lines.push('tasks: { t: { kind: noop, result: *a7 } }');
    expect(fromYaml(lines.join('\n'), previous)).toMatchObject({ ok: false });
  });
});
