import { describe, expect, it } from 'vitest';
import { collectTemplateRefs } from './collectTemplateRefs';
import { parseTemplate, TemplateError } from './parseTemplate';
import { renderTemplate, renderTemplateValue, type TemplateContext } from './renderTemplate';
import { templatedStrings } from './templatedStrings';

const context: TemplateContext = {
  params: { date: '2024-01-31', limit: 10, tables: ['a', 'b'], cfg: { region: 'eu' } },
  tasks: { extract: { output: { rows: 42, files: ['x.csv'] }, status: 'succeeded' } },
  run: { id: 'run_1', logical_date: '2024-01-31T05:00:00Z', trigger: 'schedule' },
  workflow: { name: 'daily-etl', version: 3 },
  task: { id: 'load', attempt: 2 },
  event: { name: 'order.paid', payload: { order: { id: 7, tags: null } } },
};

describe('parseTemplate', () => {
  it('splits text and expressions', () => {
    const result = parseTemplate('load {{ params.date }} ({{tasks.extract.output.files[0]}})');
    expect(result).toEqual({
      ok: true,
      template: {
        parts: [
          { type: 'text', value: 'load ' },
          { type: 'expression', path: ['params', 'date'], source: 'params.date', offset: 5 },
          { type: 'text', value: ' (' },
          {
            type: 'expression',
            path: ['tasks', 'extract', 'output', 'files', '0'],
            source: 'tasks.extract.output.files[0]',
            offset: 24,
          },
          { type: 'text', value: ')' },
        ],
      },
    });
  });

  it('treats a stray "}}" as text and \\{{ as a literal "{{"', () => {
    expect(renderTemplate('{"a": {"b": 1}}', {})).toBe('{"a": {"b": 1}}');
    expect(renderTemplate('\\{{ not a template }}', {})).toBe('{{ not a template }}');
  });

  it.each([
    [
      'echo {{ params.date',
      'unclosed "{{" at character 6 (expected "}}"; write \\{{ for a literal "{{")',
    ],
    ['{{ }}', 'empty template expression at character 1'],
    [
      '{{ params.a b }}',
      'invalid template expression "{{ params.a b }}": expected a dotted name such as params.date or tasks.extract.output',
    ],
    ['{{ params.{{x}} }}', '"{{" inside a template expression at character 11 (missing "}}"?)'],
    [
      '{{ params..x }}',
      'invalid template expression "{{ params..x }}": expected a dotted name such as params.date or tasks.extract.output',
    ],
  ])('rejects %j', (text, message) => {
    const result = parseTemplate(text);
    expect(result.ok ? undefined : result.error.message).toBe(message);
  });
});

describe('collectTemplateRefs', () => {
  it('lists every expression in order', () => {
    expect(collectTemplateRefs('{{ run.id }}-{{ params.date }}').map((r) => r.expression)).toEqual([
      'run.id',
      'params.date',
    ]);
  });

  it('throws TemplateError on bad syntax', () => {
    expect(() => collectTemplateRefs('{{ oops')).toThrow(TemplateError);
  });
});

describe('renderTemplate', () => {
  it('inserts strings as they are and other values as JSON', () => {
    expect(
      renderTemplate(
        '{{ params.date }} {{ params.limit }} {{ params.tables }} {{ params.cfg }} {{ event.payload.order.tags }}',
        context,
      ),
    ).toBe('2024-01-31 10 ["a","b"] {"region":"eu"} null');
  });

  it('reads every root', () => {
    expect(
      renderTemplate(
        '{{run.id}} {{run.logical_date}} {{workflow.name}}@{{workflow.version}} {{task.id}}#{{task.attempt}} {{tasks.extract.status}} {{event.name}}',
        context,
      ),
    ).toBe('run_1 2024-01-31T05:00:00Z daily-etl@3 load#2 succeeded order.paid');
  });

  it('indexes lists with .N and [N]', () => {
    expect(renderTemplate('{{ params.tables.1 }}{{ params.tables[0] }}', context)).toBe('ba');
  });

  it('names the missing value and what is there', () => {
    expect(() => renderTemplate('{{ tasks.extract.output.rowz }}', context)).toThrow(
      '{{ tasks.extract.output.rowz }}: no value at tasks.extract.output.rowz (tasks.extract.output has: rows, files)',
    );
    expect(() => renderTemplate('{{ event.payload.x }}', { params: {} })).toThrow(
      '{{ event.payload.x }}: no value at event',
    );
  });

  it('renderTemplateValue keeps the type of a lone expression', () => {
    expect(renderTemplateValue('{{ event.payload.order.id }}', context)).toBe(7);
    expect(renderTemplateValue(' {{ event.payload.order.id }}', context)).toBe(' 7');
    expect(renderTemplateValue('{{ params.cfg }}', context)).toEqual({ region: 'eu' });
  });
});

describe('templatedStrings', () => {
  it('follows field patterns with * and **', () => {
    const task = {
      command: 'a',
      env: { A: 'x', B: 'y' },
      request: { url: 'u', headers: { H: 'h' }, body: { list: ['p', { q: 'q' }], n: 1 } },
      untouched: 'no',
    };
    expect(
      templatedStrings(task, [
        'command',
        'env.*',
        'request.url',
        'request.headers.*',
        'request.body.**',
        'missing',
      ]),
    ).toEqual([
      { path: ['command'], text: 'a' },
      { path: ['env', 'A'], text: 'x' },
      { path: ['env', 'B'], text: 'y' },
      { path: ['request', 'url'], text: 'u' },
      { path: ['request', 'headers', 'H'], text: 'h' },
      { path: ['request', 'body', 'list', 0], text: 'p' },
      { path: ['request', 'body', 'list', 1, 'q'], text: 'q' },
    ]);
  });
});
