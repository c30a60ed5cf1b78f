import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseWorkflowText } from './parseWorkflowText';

function errorsOf(text: string, options?: Parameters<typeof parseWorkflowText>[1]) {
  const result = parseWorkflowText(text, options);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const yaml = (lines: string[]) => `${lines.join('\n')}\n`;

describe('parseWorkflowText', () => {
  it('parses and validates YAML', () => {
    const result = parseWorkflowText(
      yaml([
        'name: hello',
        'tasks:',
        '  say:',
        '    kind: shell',
        '    command: echo hello',
        '    timeout: 30s',
      ]),
    );
    expect(result.ok && result.workflow.tasks.say).toMatchObject({
      command: 'echo hello',
      timeoutMs: 30_000,
    });
    expect(result.ok && result.summary).toEqual({
      name: 'hello',
      taskCount: 1,
      layerCount: 1,
      paramCount: 0,
      scheduleCount: 0,
      triggerCount: 0,
    });
  });

  it('locates validation errors in the source (line and column of the key or item)', () => {
    const errors = errorsOf(
      yaml([
        'name: etl',
        'tasks:',
        '  extract:',
        '    kind: shell',
        '    command: echo',
        '  load:',
        '    kind: shell',
        '    needs: [extract, lod]',
        '    comand: echo',
      ]),
    );
    expect(errors).toEqual([
      {
        path: 'tasks.load',
        message: 'missing required field "command" for kind shell',
        line: 6,
        column: 3,
      },
      {
        path: 'tasks.load.comand',
        message: 'unknown field "comand" for kind shell (did you mean "command"?)',
        line: 9,
        column: 5,
      },
      {
        path: 'tasks.load.needs[1]',
        message: 'unknown task "lod" (tasks: extract)',
        line: 8,
        column: 22,
      },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(errorsOf(yaml(['name: x', 'tasks:', '  a: {kind: shell, command: [1, }']))).toEqual([
      {
        path: '',
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 3,
        column: 33,
      },
      {
        path: '',
        message: 'Flow map in block collection must be sufficiently indented and end with a }',
        line: 3,
        column: 34,
      },
    ]);
  });

  it('explains the usual YAML pitfalls: unquoted templates and ": " inside values', () => {
    expect(
      errorsOf(yaml(['name: x', 'tasks:', '  a:', '    kind: shell', '    command: {{ run.id }}'])),
    ).toEqual([
      {
        path: 'tasks.a.command',
        message: `expected a string, got an object (YAML reads a value starting with "{{" as a mapping: quote it, '{{ run.id }}')`,
        line: 5,
        column: 5,
      },
    ]);
    expect(
      errorsOf(
        yaml(['name: x', 'tasks:', '  a:', '    kind: shell', '    command: echo "ALERT: down"']),
      ),
    ).toEqual([
      {
        path: '',
        message:
          'Nested mappings are not allowed in compact mappings (a value containing ": " must be quoted)',
        line: 5,
        column: 14,
      },
    ]);
  });

  it('reports duplicate task ids and keys, with where they were first defined', () => {
    const errors = errorsOf(
      yaml([
        'name: x',
        'tasks:',
        '  a:',
        '    kind: shell',
        '    command: echo 1',
        '  a:',
        '    kind: shell',
        '    command: echo 2',
        '    env:',
        '      X: "1"',
        '      X: "2"',
      ]),
    );
    expect(errors).toEqual([
      {
        path: 'tasks.a',
        message: 'duplicate task id "a" (first defined on line 3)',
        line: 6,
        column: 3,
      },
      {
        path: 'tasks.a.env.X',
        message: 'duplicate key "X" (first defined on line 10)',
        line: 11,
        column: 7,
      },
    ]);
  });

  it('reads JSON strictly, with positions for syntax errors and duplicate keys detected', () => {
    expect(
      errorsOf('{"name": "x",\n "tasks": {"a": {"kind": "noop"},}}', { format: 'json' }),
    ).toEqual([
      {
        path: '',
        message: 'invalid JSON: Expected double-quoted property name',
        line: 2,
        column: 34,
      },
    ]);
    expect(
      errorsOf('{"name": "x", "tasks": {"a": {"kind": "noop"}, "a": {"kind": "noop"}}}', {
        filename: 'w.json',
      }),
    ).toEqual([{ path: 'tasks.a', message: 'duplicate task id "a"', line: 1, column: 48 }]);
    // Found by validate-fuzz.test.ts: V8 gives no position for these, and the YAML parser,
    // which reads them fine, none either; the error said neither line nor column.
    expect(errorsOf('# a YAML comment\n{"name": "x"}', { format: 'json' })).toEqual([
      { path: '', message: "invalid JSON: Unexpected token '#'", line: 1, column: 1 },
    ]);
    expect(errorsOf('{"name": "x", "tasks": {}}\nx: 1\n', { format: 'json' })).toEqual([
      expect.objectContaining({ line: 2, column: 1 }),
    ]);
    const ok = parseWorkflowText('{"name": "x", "tasks": {"a": {"kind": "noop"}}}', {
      filename: 'W.JSON',
    });
    expect(ok.ok).toBe(true);
  });

  it('places errors of alias expansion at the first alias', () => {
    // Found by validate-fuzz.test.ts: these said neither line nor column.
    expect(errorsOf('name: x\n<<: *nope\n')).toEqual([
      expect.objectContaining({ path: '', line: 2, column: 5 }),
    ]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const n of 'bcdef') {
      const prev = bomb.length === 1 ? 'a' : String.fromCharCode(n.charCodeAt(0) - 1);
      bomb.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    expect(errorsOf(yaml(bomb))).toEqual([
      {
        path: '',
        message: 'Excessive alias count indicates a resource exhaustion attack',
        line: 2,
        column: 8,
      },
    ]);
  });

  it('explains an empty file and multiple documents', () => {
    expect(errorsOf('')).toEqual([
      { path: '', message: 'the file is empty (expected a workflow with name and tasks)' },
    ]);
    expect(errorsOf('# just a comment\n')).toEqual([
      { path: '', message: 'the file is empty (expected a workflow with name and tasks)' },
    ]);
    expect(errorsOf('name: a\n---\nname: b\n')[0]!.message).toMatch(/multiple documents/);
  });

  it('refuses text a database cannot store: NUL and unpaired surrogates (YAML or JSON escapes)', () => {
    // Found by the API fuzz test: such a definition passed validation and failed to be stored.
    expect(
      errorsOf(
        'name: x\ndescription: "a \\0 b"\ntasks:\n  a:\n    kind: noop\n    result: { k: "\\uD800" }\n',
      ),
    ).toEqual([
      {
        path: 'description',
        message: 'contains a NUL character (\\u0000), which cannot be stored',
        line: 2,
        column: 1,
      },
    ]);
    const json = parseWorkflowText(
      '{"name":"x","tasks":{"a":{"kind":"noop","env":{"A":"\\udc00"}}}}',
      {
        format: 'json',
      },
    );
    expect(json.ok ? [] : json.errors.map((e) => [e.path, e.message])).toEqual([
      [
        'tasks.a.env.A',
        'contains an unpaired UTF-16 surrogate (\\udc00), which is not valid Unicode',
      ],
    ]);
  });

  it('refuses text nested past the limit before parsing it, and keeps working afterwards', () => {
    // Found by the `dtss validate` fuzz test: the yaml parser overflowed its stack on these, and
    // the next deep file then aborted the process (V8 could no longer compile a regexp).
    const flow = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const json = `{"name":"x","tasks":{"a":{"kind":"noop","result":${flow}}}}`;
    let block = '';
    for (let i = 0; i < 1_000; i++) block += `${' '.repeat(i)}a:\n`;
    for (const [text, line, column] of [
      [flow, 1, 64],
      [json, 1, 110],
      [block, 65, 65],
      ['['.repeat(30_000), 1, 64],
    ] as const) {
      expect(errorsOf(text)).toEqual([
        { path: '', message: 'nested deeper than 64 levels', line, column },
      ]);
    }
    // Nesting within the limit is read as before (here: a list 60 deep is simply not a workflow).
    expect(errorsOf(`${'['.repeat(60)}${']'.repeat(60)}`)[0]!.message).toMatch(
      /expected a workflow/,
    );
  });

  it('supports YAML anchors and merge keys for shared task settings', () => {
    const result = parseWorkflowText(
      yaml([
        'name: x',
        'tasks:',
        '  a: &base',
        '    kind: shell',
        '    command: echo a',
        '    retries: {maxAttempts: 3}',
        '  b:',
        '    <<: *base',
        '    command: echo b',
      ]),
    );
    expect(result.ok && result.workflow.tasks.b).toMatchObject({
      command: 'echo b',
      retries: { maxAttempts: 3 },
    });
  });

  it('round-trips: the normalized workflow, written as YAML, parses to itself', () => {
    const first = parseWorkflowText(
      yaml([
        'name: x',
        'params: {day: {type: string, default: "2024-01-01"}}',
        'schedules: [{cron: "0 5 * * MON-FRI", timezone: Europe/Berlin}]',
        'tasks:',
        '  a: {kind: shell, command: "echo {{ params.day }}", timeout: 1m}',
      ]),
    );
    if (!first.ok) throw new Error('invalid');
    const second = parseWorkflowText(stringify(first.workflow));
    expect(second.ok && second.workflow).toEqual(first.workflow);
  });
});
