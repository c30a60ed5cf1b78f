// compactWorkflow: the smallest input that validates back to the same normalized workflow.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonicalJson';
import { compactWorkflow } from './compactWorkflow';
import { formatValidationError } from './issue';
import { parseWorkflowText } from './parseWorkflowText';
import { SYSTEM_TASK_DEFAULTS } from './taskSchema';
import type { NormalizedWorkflow } from './types';
import { validateWorkflow } from './validateWorkflow';
import type { WorkflowInput } from './workflowSchema';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../../examples');

function valid(input: unknown): NormalizedWorkflow {
  const result = validateWorkflow(input);
  if (!result.ok) throw new Error(result.errors.map(formatValidationError).join('\n'));
  return result.workflow;
}

/** Compacts `workflow` and checks the contract: the result validates back to it, also via YAML. */
function roundTrip(workflow: NormalizedWorkflow): WorkflowInput {
  const compact = compactWorkflow(workflow);
  expect(valid(compact)).toStrictEqual(workflow);
  const viaYaml = parseWorkflowText(stringify(compact));
  if (!viaYaml.ok) throw new Error(viaYaml.errors.map(formatValidationError).join('\n'));
  expect(canonicalJson(viaYaml.workflow)).toBe(canonicalJson(workflow));
  return compact;
}

/** Normalizes `input`, then compacts it (checking the round trip). */
function compactOf(input: unknown): WorkflowInput {
  return roundTrip(valid(input));
}

const wf = (tasks: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  name: 'test',
  ...rest,
  tasks,
});

/** Paths of every null and every `…Ms` key: what a hand-written file does not have. */
function machineLooking(value: unknown, at = ''): string[] {
  if (value === null) return [at];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.endsWith('Ms') ? [`${at}.${key}`] : []),
    ...machineLooking(item, `${at}.${key}`),
  ]);
}

describe('compactWorkflow', () => {
  it('leaves out everything the defaults give', () => {
    const normalized = valid(wf({ a: { kind: 'noop' } }));
    expect(Object.keys(normalized).length).toBeGreaterThan(5);
    expect(roundTrip(normalized)).toEqual({ name: 'test', tasks: { a: { kind: 'noop' } } });
  });

  it('writes every default spelled out explicitly as if it had been left out', () => {
    const compact = compactOf({
      schemaVersion: 1,
      name: 'test',
      description: null,
      tags: [],
      params: {},
      defaults: {},
      concurrency: { maxRuns: null },
      runTimeout: null,
      schedules: [],
      triggers: [],
      tasks: {
        a: {
          kind: 'shell',
          command: 'true',
          shell: 'sh',
          description: null,
          needs: [],
          trigger: 'all_success',
          env: {},
          secrets: {},
          retries: {},
          timeout: null,
          workingDir: null,
          pool: 'default',
          priority: 0,
          output: null,
        },
      },
    });
    expect(compact).toEqual({ name: 'test', tasks: { a: { kind: 'shell', command: 'true' } } });
  });

  it('keeps the top-level fields that differ from their defaults, in reading order', () => {
    const compact = compactOf(
      wf(
        { a: { kind: 'noop' } },
        {
          runTimeoutMs: 5_400_000,
          concurrency: { maxRuns: 2 },
          schedules: [{ cron: '@daily' }],
          triggers: [{ event: 'go' }],
          defaults: { pool: 'gpu' },
          params: { day: { type: 'string', default: '2024-01-01' } },
          tags: ['etl', 'daily', 'etl'],
          description: 'An ETL',
        },
      ),
    );
    expect(compact).toEqual({
      name: 'test',
      description: 'An ETL',
      tags: ['etl', 'daily'],
      params: { day: { type: 'string', default: '2024-01-01' } },
      defaults: { pool: 'gpu' },
      concurrency: { maxRuns: 2 },
      runTimeout: '1h30m',
      schedules: [{ cron: '@daily' }],
      triggers: [{ event: 'go' }],
      tasks: { a: { kind: 'noop', pool: 'gpu' } },
    });
    expect(Object.keys(compact)).toEqual([
      'name',
      'description',
      'tags',
      'params',
      'defaults',
      'concurrency',
      'runTimeout',
      'schedules',
      'triggers',
      'tasks',
    ]);
  });

  it('spells durations as text', () => {
    const compact = compactOf(
      wf({
        a: { kind: 'noop', timeoutMs: 1500 },
        b: { kind: 'noop', timeout: 90 },
        c: { kind: 'noop', timeout: '2d', retries: { initialDelayMs: 0, maxDelay: 86_400 } },
      }),
    );
    expect(compact.tasks.a).toEqual({ kind: 'noop', timeout: '1s500ms' });
    expect(compact.tasks.b).toEqual({ kind: 'noop', timeout: '1m30s' });
    expect(compact.tasks.c).toEqual({
      kind: 'noop',
      retries: { initialDelay: '0s', maxDelay: '1d' },
      timeout: '2d',
    });
  });

  it('falls back to the …Ms field when no text spells the value exactly', () => {
    // Validation never gives a fraction of a millisecond; this only shows the fallback.
    const normalized = valid(wf({ a: { kind: 'noop' } }));
    normalized.tasks.a!.timeoutMs = 0.5;
    expect(compactWorkflow(normalized).tasks.a).toEqual({ kind: 'noop', timeoutMs: 0.5 });
  });

  it('keeps only the fields each kind does not default', () => {
    const compact = compactOf(
      wf({
        sh: { kind: 'shell', command: 'echo hi', shell: 'sh' },
        bash: { kind: 'shell', command: 'echo hi', shell: 'bash' },
        js: { kind: 'node', script: 'console.log(1)', file: null, args: [] },
        jsFile: { kind: 'node', file: 'x.mjs', args: ['--n', 3] },
        py: { kind: 'python', script: 'print(1)', python: 'python3' },
        py312: { kind: 'python', file: 'job.py', python: 'python3.12' },
        get: {
          kind: 'http',
          request: { url: 'https://x.test/', method: 'get', headers: {}, query: {}, body: null },
          successStatuses: ['2XX'],
        },
        post: {
          kind: 'http',
          request: {
            method: 'post',
            url: 'https://x.test/{{ run.id }}',
            headers: { 'X-Id': 7 },
            query: { n: 1 },
            body: { k: [1, null] },
          },
          successStatuses: [200, '3xx'],
        },
        noop: { kind: 'noop', result: null },
        noopFalse: { kind: 'noop', result: false },
        noopObject: { kind: 'noop', result: { rows: 3, note: null } },
      }),
    );
    expect(compact.tasks).toEqual({
      sh: { kind: 'shell', command: 'echo hi' },
      bash: { kind: 'shell', command: 'echo hi', shell: 'bash' },
      js: { kind: 'node', script: 'console.log(1)' },
      jsFile: { kind: 'node', file: 'x.mjs', args: ['--n', '3'] },
      py: { kind: 'python', script: 'print(1)' },
      py312: { kind: 'python', file: 'job.py', python: 'python3.12' },
      get: { kind: 'http', request: { url: 'https://x.test/' } },
      post: {
        kind: 'http',
        request: {
          method: 'POST',
          url: 'https://x.test/{{ run.id }}',
          headers: { 'X-Id': '7' },
          query: { n: '1' },
          body: { k: [1, null] },
        },
        successStatuses: [200, '3xx'],
      },
      noop: { kind: 'noop' },
      noopFalse: { kind: 'noop', result: false },
      noopObject: { kind: 'noop', result: { rows: 3, note: null } },
    });
  });

  it('writes the common task fields in reading order, needs as a list', () => {
    const compact = compactOf(
      wf({
        a: { kind: 'noop' },
        b: {
          output: {},
          priority: -3,
          pool: 'gpu',
          workingDir: '/srv/{{ run.id }}',
          timeout: '5m',
          retries: { maxAttempts: 2 },
          secrets: { TOKEN: 'api-key' },
          env: { PORT: 8080 },
          shell: 'bash',
          command: 'echo hi',
          trigger: 'all_done',
          needs: 'a',
          description: '',
          kind: 'shell',
        },
        c: { kind: 'noop', needs: ['a', 'b'], output: { description: 'Rows.' } },
      }),
    );
    expect(compact.tasks.b).toEqual({
      kind: 'shell',
      description: '',
      needs: ['a'],
      trigger: 'all_done',
      command: 'echo hi',
      shell: 'bash',
      env: { PORT: '8080' },
      secrets: { TOKEN: 'api-key' },
      retries: { maxAttempts: 2 },
      timeout: '5m',
      workingDir: '/srv/{{ run.id }}',
      pool: 'gpu',
      priority: -3,
      output: {},
    });
    expect(Object.keys(compact.tasks.b!)).toEqual([
      'kind',
      'description',
      'needs',
      'trigger',
      'command',
      'shell',
      'env',
      'secrets',
      'retries',
      'timeout',
      'workingDir',
      'pool',
      'priority',
      'output',
    ]);
    expect(compact.tasks.c).toEqual({
      kind: 'noop',
      needs: ['a', 'b'],
      output: { description: 'Rows.' },
    });
  });

  it('writes only the retry fields that differ, and retryOn without its defaults', () => {
    const compact = compactOf(
      wf({
        asDefault: {
          kind: 'noop',
          retries: {
            maxAttempts: 1,
            backoff: 'exponential',
            initialDelay: '10s',
            maxDelayMs: 3_600_000,
            jitter: 'none',
            retryOn: null,
          },
        },
        some: { kind: 'noop', retries: { maxAttempts: 3, initialDelayMs: 2500 } },
        every: {
          kind: 'noop',
          retries: {
            maxAttempts: 100,
            backoff: 'fixed',
            initialDelay: '1m',
            maxDelay: '5m',
            jitter: 'full',
            retryOn: { exitCodes: [75], httpStatuses: ['5XX', '429'], timeouts: false },
          },
        },
        emptyRetryOn: {
          kind: 'noop',
          retries: { retryOn: { exitCodes: [], httpStatuses: [], timeouts: true } },
        },
      }),
    );
    expect(compact.tasks).toEqual({
      asDefault: { kind: 'noop' },
      some: { kind: 'noop', retries: { maxAttempts: 3, initialDelay: '2s500ms' } },
      every: {
        kind: 'noop',
        retries: {
          maxAttempts: 100,
          backoff: 'fixed',
          initialDelay: '1m',
          maxDelay: '5m',
          jitter: 'full',
          retryOn: { exitCodes: [75], httpStatuses: ['5xx', 429], timeouts: false },
        },
      },
      emptyRetryOn: { kind: 'noop', retries: { retryOn: {} } },
    });
  });

  it('spells each task’s values, so that tasks read the same without `defaults`', () => {
    const input = wf(
      {
        inherits: { kind: 'noop' },
        overrides: {
          kind: 'noop',
          timeout: null,
          retries: { maxAttempts: 1, retryOn: null },
          env: { A: 1 },
          workingDir: null,
          pool: 'default',
          priority: 0,
        },
      },
      {
        defaults: {
          timeout: '10m',
          retries: { maxAttempts: 3, retryOn: { exitCodes: [75] } },
          env: { LOG_LEVEL: 'info' },
          secrets: { TOKEN: 'api-key' },
          workingDir: '/work',
          pool: 'io',
          priority: 5,
        },
      },
    );
    const normalized = valid(input);
    const compact = roundTrip(normalized);
    const spelled = {
      env: { LOG_LEVEL: 'info' },
      secrets: { TOKEN: 'api-key' },
      retries: { maxAttempts: 3, retryOn: { exitCodes: [75] } },
      timeout: '10m',
      workingDir: '/work',
      pool: 'io',
      priority: 5,
    };
    // The stored block is written back for the round trip; it is never rebuilt from the tasks.
    expect(compact.defaults).toEqual(spelled);
    expect(compact.tasks).toEqual({
      inherits: { kind: 'noop', ...spelled },
      overrides: {
        kind: 'noop',
        env: { LOG_LEVEL: 'info', A: '1' },
        secrets: { TOKEN: 'api-key' },
        retries: { maxAttempts: 1, retryOn: null },
        timeout: null,
        workingDir: null,
        pool: 'default',
        priority: 0,
      },
    });
    const { defaults: _defaults, ...withoutDefaults } = compact;
    expect(valid(withoutDefaults).tasks).toEqual(normalized.tasks);
  });

  it('writes `required` only when the default does not imply it, all the way down', () => {
    const objectParam = {
      type: 'object',
      description: 'Where to write.',
      properties: {
        region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
        zones: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        dryRun: { type: 'boolean', required: false },
      },
      additionalProperties: false,
      default: { region: 'eu', zones: ['a'] },
    };
    const compact = compactOf(
      wf(
        {
          a: {
            kind: 'noop',
            output: {
              description: 'Counts.',
              schema: {
                type: 'object',
                properties: {
                  rows: { type: 'integer', minimum: 0, required: true },
                  note: { type: 'string', required: false },
                },
              },
            },
          },
        },
        {
          params: {
            table: { type: 'string', enum: ['orders', 'refunds'], default: 'orders' },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 10, required: true },
            note: { type: 'string', title: 'Note', required: false },
            day: { type: 'string', format: 'date', required: true },
            ratio: { type: 'number', required: false, default: 0.5 },
            strict: { type: 'boolean', default: true, required: true },
            target: objectParam,
          },
        },
      ),
    );
    expect(compact.params).toEqual({
      table: { type: 'string', enum: ['orders', 'refunds'], default: 'orders' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 10, required: true },
      note: { type: 'string', title: 'Note', required: false },
      day: { type: 'string', format: 'date' },
      ratio: { type: 'number', default: 0.5 },
      strict: { type: 'boolean', default: true, required: true },
      target: objectParam,
    });
    expect(compact.tasks.a).toEqual({
      kind: 'noop',
      output: {
        description: 'Counts.',
        schema: {
          type: 'object',
          properties: {
            rows: { type: 'integer', minimum: 0 },
            note: { type: 'string', required: false },
          },
        },
      },
    });
  });

  it('writes schedules without their defaults, and names only when not positional', () => {
    const compact = compactOf(
      wf(
        { a: { kind: 'noop' } },
        {
          params: { table: { type: 'string', default: 'orders' } },
          schedules: [
            { name: 'schedule-2', cron: '0 5 * * *' },
            { name: 'schedule-1', cron: '0 6 * * *' },
            {
              name: 'schedule-3',
              description: null,
              cron: '@HOURLY',
              timezone: 'UTC',
              params: {},
              enabled: true,
              catchup: 'latest',
              catchupWindow: null,
              overlap: 'skip',
              jitterMs: 0,
              startAt: null,
              endAt: null,
            },
            {
              endAt: '2025-01-01T00:00:00Z',
              startAt: '2024-03-01T00:00:00+01:00',
              jitter: '30s',
              overlap: 'buffer_one',
              catchupWindowMs: 90_061_001,
              catchup: 'all',
              enabled: false,
              params: { table: 'refunds' },
              timezone: 'europe/berlin',
              cron: '30  2 * * MON-FRI',
              description: 'Weeknights.',
              name: 'nightly',
            },
            { cron: '*/15 * * * *', catchup: 'none', overlap: 'cancel_previous' },
          ],
        },
      ),
    );
    expect(compact.schedules).toEqual([
      { name: 'schedule-2', cron: '0 5 * * *' },
      { name: 'schedule-1', cron: '0 6 * * *' },
      { cron: '@hourly' },
      {
        name: 'nightly',
        description: 'Weeknights.',
        cron: '30 2 * * MON-FRI',
        timezone: 'Europe/Berlin',
        params: { table: 'refunds' },
        enabled: false,
        catchup: 'all',
        catchupWindow: '1d1h1m1s1ms',
        overlap: 'buffer_one',
        jitter: '30s',
        startAt: '2024-02-29T23:00:00.000Z',
        endAt: '2025-01-01T00:00:00.000Z',
      },
      { cron: '*/15 * * * *', catchup: 'none', overlap: 'cancel_previous' },
    ]);
    expect(Object.keys(compact.schedules![3]!)).toEqual([
      'name',
      'description',
      'cron',
      'timezone',
      'params',
      'enabled',
      'catchup',
      'catchupWindow',
      'overlap',
      'jitter',
      'startAt',
      'endAt',
    ]);
  });

  it('writes triggers with bare equality filters and `after` without default statuses', () => {
    const compact = compactOf(
      wf(
        { a: { kind: 'noop' } },
        {
          params: {
            table: { type: 'string', enum: ['orders', 'refunds'], default: 'orders' },
            source: { type: 'string', required: false },
          },
          triggers: [
            {
              params: { table: '{{ event.payload.table }}' },
              filter: {
                'order.status': 'paid',
                'order.currency': { in: ['EUR', 'USD'] },
                'order.gift': { equals: null },
                'order.express': true,
              },
              event: 'order.paid',
            },
            {
              name: 'after-ingest',
              description: 'Chained.',
              after: { workflow: 'ingest', statuses: ['succeeded'] },
              params: { source: '{{ upstream_run.id }}' },
              enabled: false,
            },
            { after: { workflow: 'ingest', statuses: ['failed', 'timed_out'] } },
            { name: 'trigger-4', event: 'x', filter: {}, params: {}, enabled: true },
          ],
        },
      ),
    );
    expect(compact.triggers).toEqual([
      {
        event: 'order.paid',
        filter: {
          'order.status': 'paid',
          'order.currency': { in: ['EUR', 'USD'] },
          'order.gift': null,
          'order.express': true,
        },
        params: { table: '{{ event.payload.table }}' },
      },
      {
        name: 'after-ingest',
        description: 'Chained.',
        after: { workflow: 'ingest' },
        params: { source: '{{ upstream_run.id }}' },
        enabled: false,
      },
      { after: { workflow: 'ingest', statuses: ['failed', 'timed_out'] } },
      { event: 'x' },
    ]);
  });

  it('round-trips every example without nulls or …Ms fields', () => {
    const files = readdirSync(EXAMPLES).filter((file) => /\.(ya?ml|json)$/.test(file));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const parsed = parseWorkflowText(readFileSync(path.join(EXAMPLES, file), 'utf8'), {
        filename: file,
      });
      if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.map(formatValidationError)}`);
      const compact = roundTrip(parsed.workflow);
      expect(machineLooking(compact), file).toEqual([]);
      expect(compact, file).not.toHaveProperty('schemaVersion');
    }
  });

  it('returns a copy: editing the result leaves the workflow alone', () => {
    const normalized = valid(
      wf({ a: { kind: 'noop', env: { A: '1' }, result: { n: [1] } } }, { tags: ['x'] }),
    );
    const before = canonicalJson(normalized);
    const compact = compactWorkflow(normalized) as unknown as {
      tags: string[];
      tasks: Record<string, { env: Record<string, string>; result: { n: number[] } }>;
    };
    compact.tags.push('y');
    compact.tasks.a!.env.B = '2';
    compact.tasks.a!.result.n.push(2);
    expect(canonicalJson(normalized)).toBe(before);
  });
});

// Generators: every section, each field sometimes given (in either spelling), sometimes spelled as
// its default, sometimes left out. Always valid, so a failure is compactWorkflow's.
/** Stands for the positional name of the entry (`schedule-2` for schedules[1]); see uniqueNames. */
const POSITIONAL = 'positional';
const duration = fc.oneof(
  fc.constantFrom('500ms', '30s', '5m', '1h30m', '2d', '1.5s', '1m 30s'),
  fc.integer({ min: 1, max: 3600 }),
);
const timeoutFields = fc.oneof(
  fc.record({ timeout: fc.option(duration, { nil: null }) }),
  fc.record({ timeoutMs: fc.option(fc.integer({ min: 1, max: 86_400_000 }), { nil: null }) }),
  fc.constant({}),
);
const retries = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    backoff: fc.constantFrom('fixed', 'exponential'),
    // Every initial delay is at most every cap, however task and defaults combine.
    initialDelay: fc.constantFrom('0s', '1s', 2.5, '10s'),
    maxDelay: fc.constantFrom('10s', '1m', '1h'),
    jitter: fc.constantFrom('none', 'full'),
    retryOn: fc.option(
      fc.record(
        {
          exitCodes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
          httpStatuses: fc.array(fc.constantFrom('5xx', '5XX', 429, '503'), { maxLength: 2 }),
          timeouts: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { nil: null },
    ),
  },
  { requiredKeys: [] },
);
// Env and secrets use different names, so no task can get one variable from both.
const envMap = fc.dictionary(
  fc.constantFrom('A', 'B', 'LOG_LEVEL', 'PORT'),
  fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !s.includes('{')),
    fc.integer(),
    fc.boolean(),
  ),
  { maxKeys: 3 },
);
const secretsMap = fc.dictionary(
  fc.constantFrom('TOKEN', 'PASSWORD'),
  fc.constantFrom('prod/db', 'api-key'),
  { maxKeys: 2 },
);
const leafSchema = fc.oneof(
  fc.record(
    {
      type: fc.constant('string'),
      enum: fc.constant(['a', 'b']),
      default: fc.constantFrom('a', 'b'),
      required: fc.boolean(),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('integer', 'number'),
      description: fc.string({ maxLength: 10 }),
      minimum: fc.constant(0),
      default: fc.nat(100),
      required: fc.boolean(),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    { type: fc.constant('boolean'), title: fc.constant('Flag'), default: fc.boolean() },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('array'),
      items: fc.constant({ type: 'number' }),
      minItems: fc.constant(0),
      required: fc.boolean(),
    },
    { requiredKeys: ['type'] },
  ),
);
const valueSchema = fc.oneof(
  leafSchema,
  fc.record(
    {
      type: fc.constant('object'),
      properties: fc.dictionary(fc.constantFrom('x', 'y', 'z_1'), leafSchema, { maxKeys: 3 }),
      additionalProperties: fc.boolean(),
      required: fc.boolean(),
    },
    { requiredKeys: ['type'] },
  ),
);
// Schedules and triggers give no values for these, so none may be required without a default.
const paramSchema = valueSchema.map((schema) =>
  'default' in schema ? schema : { ...schema, required: false },
);
const commonFields = fc.record(
  {
    description: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
    retries,
    env: envMap,
    secrets: secretsMap,
    workingDir: fc.constantFrom(null, '/tmp', 'work/{{ run.id }}'),
    pool: fc.constantFrom('default', 'gpu'),
    priority: fc.integer({ min: -100, max: 100 }),
    output: fc.option(
      fc.record(
        {
          description: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
          schema: fc.option(valueSchema, { nil: null }),
        },
        { requiredKeys: [] },
      ),
      { nil: null },
    ),
  },
  { requiredKeys: [] },
);
const kindFields = fc.oneof(
  fc.record(
    {
      kind: fc.constant('shell'),
      command: fc.constantFrom('echo hi', 'echo {{ params.day }} {{ run.logical_date }}'),
      shell: fc.constantFrom('sh', 'bash'),
    },
    { requiredKeys: ['kind', 'command'] },
  ),
  fc.record(
    {
      kind: fc.constant('node'),
      script: fc.constant('console.log(1)'),
      args: fc.array(fc.oneof(fc.constant('{{ params.day }}'), fc.integer()), { maxLength: 2 }),
    },
    { requiredKeys: ['kind', 'script'] },
  ),
  fc.record(
    {
      kind: fc.constant('python'),
      file: fc.constant('job.py'),
      args: fc.constant(['--day', '{{ params.day }}']),
      python: fc.constantFrom('python3', 'python3.12'),
    },
    { requiredKeys: ['kind', 'file'] },
  ),
  fc.record(
    {
      kind: fc.constant('http'),
      request: fc.record(
        {
          url: fc.constant('https://example.test/{{ params.day }}'),
          method: fc.constantFrom('get', 'GET', 'POST', 'delete'),
          headers: fc.dictionary(fc.constantFrom('Accept', 'X-Id'), fc.constantFrom('1', 2)),
          query: fc.dictionary(fc.constantFrom('q', 'page'), fc.constantFrom('x', 3)),
          body: fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('{{')),
        },
        { requiredKeys: ['url'] },
      ),
      successStatuses: fc.constantFrom(['2xx'], ['2XX', 304], [200]),
    },
    { requiredKeys: ['kind', 'request'] },
  ),
  fc.record(
    { kind: fc.constant('noop'), result: fc.jsonValue({ maxDepth: 2 }) },
    { requiredKeys: ['kind'] },
  ),
);
const schedule = fc.record(
  {
    name: fc.constantFrom('nightly', 'hourly', POSITIONAL),
    description: fc.option(fc.constant('Runs.'), { nil: null }),
    cron: fc.constantFrom('0 5 * * *', '@HOURLY', '*/15  9-17 * * mon-fri'),
    timezone: fc.constantFrom('UTC', 'europe/berlin', 'America/New_York'),
    params: fc.constantFrom({}, { day: '2024-02-29' }),
    enabled: fc.boolean(),
    catchup: fc.constantFrom('none', 'latest', 'all'),
    catchupWindow: fc.option(fc.constantFrom('1h', '1d', 7200), { nil: null }),
    overlap: fc.constantFrom('skip', 'allow_all', 'buffer_one', 'cancel_previous'),
    jitter: fc.constantFrom('0s', '30s', 1.25),
    startAt: fc.option(fc.constant('2024-03-01T00:00:00+01:00'), { nil: null }),
    endAt: fc.option(fc.constant('2030-01-01T00:00:00Z'), { nil: null }),
  },
  { requiredKeys: ['cron'] },
);
const trigger = fc.oneof(
  fc.record(
    {
      name: fc.constantFrom('on-order', POSITIONAL),
      description: fc.option(fc.constant('On events.'), { nil: null }),
      event: fc.constantFrom('order.paid', 'deploy:done'),
      filter: fc.dictionary(
        fc.constantFrom('status', 'order.currency'),
        fc.oneof(
          fc.constantFrom('paid', 1, true, null),
          fc.record({ equals: fc.constantFrom('x', null) }),
          fc.record({ in: fc.constant(['EUR', 'USD']) }),
        ),
      ),
      params: fc.constantFrom({}, { day: '{{ event.payload.day }}' }),
      enabled: fc.boolean(),
    },
    { requiredKeys: ['event'] },
  ),
  fc.record(
    {
      name: fc.constantFrom('after-ingest', POSITIONAL),
      after: fc.record(
        {
          workflow: fc.constant('ingest'),
          statuses: fc.constantFrom(['succeeded'], ['failed', 'timed_out']),
        },
        { requiredKeys: ['workflow'] },
      ),
      params: fc.constantFrom({}, { day: '{{ upstream_run.params.day }}' }),
      enabled: fc.boolean(),
    },
    { requiredKeys: ['after'] },
  ),
);

const workflow = fc
  .tuple(
    fc.integer({ min: 1, max: 8 }),
    fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 12 }),
    fc.array(
      fc.tuple(
        kindFields,
        commonFields,
        timeoutFields,
        fc.constantFrom('all_success', 'all_done', 'always', 'none_failed', 'one_failed'),
      ),
      { minLength: 8, maxLength: 8 },
    ),
    fc.record(
      {
        description: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
        tags: fc.array(fc.constantFrom('etl', 'daily', 'a b'), { maxLength: 4 }),
        params: fc.dictionary(fc.constantFrom('limit', 'mode', 'opts'), paramSchema, {
          maxKeys: 3,
        }),
        defaults: fc.record(
          {
            retries,
            env: envMap,
            secrets: secretsMap,
            workingDir: fc.constantFrom(null, '/srv'),
            pool: fc.constantFrom('default', 'io'),
            priority: fc.integer({ min: -5, max: 5 }),
          },
          { requiredKeys: [] },
        ),
        concurrency: fc.record({ maxRuns: fc.option(fc.integer({ min: 1, max: 50 })) }),
        runTimeout: fc.option(fc.constantFrom('1h', '90s', 7200), { nil: null }),
      },
      { requiredKeys: [] },
    ),
    timeoutFields,
    fc.array(schedule, { maxLength: 3 }),
    fc.array(trigger, { maxLength: 3 }),
  )
  .map(([n, edges, tasks, top, defaultTimeout, schedules, triggers]) => {
    const ids = Array.from({ length: n }, (_, i) => `task_${i}`);
    const needs: string[][] = ids.map(() => []);
    for (const [a, b] of edges) {
      if (a >= n || b >= n || a === b) continue;
      const [from, to] = a < b ? [a, b] : [b, a];
      if (!needs[to]!.includes(ids[from]!)) needs[to]!.push(ids[from]!);
    }
    const taskMap: Record<string, unknown> = {};
    ids.forEach((id, i) => {
      const [kind, common, timeout, rule] = tasks[i]!;
      // Rules that wait for upstream outcomes only make sense with upstream.
      const trigger = needs[i]!.length === 0 && rule === 'one_failed' ? 'all_success' : rule;
      const edge = needs[i]!.length === 1 && i % 2 === 0 ? needs[i]![0] : needs[i];
      taskMap[id] = { ...kind, ...common, ...timeout, needs: edge, trigger };
    });
    return {
      name: 'generated',
      ...top,
      params: { day: { type: 'string', format: 'date', default: '2024-01-01' }, ...top.params },
      defaults: { ...top.defaults, ...defaultTimeout },
      schedules: uniqueNames(schedules, 'schedule'),
      triggers: uniqueNames(triggers, 'trigger'),
      tasks: taskMap,
    };
  });

/**
 * Names must be unique: a repeated name is dropped (the entry gets its positional name), and
 * POSITIONAL becomes the entry's own positional name, written out.
 */
function uniqueNames<T extends { name?: string }>(entries: T[], prefix: string): T[] {
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const { name, ...rest } = entry;
    if (name === POSITIONAL) return { ...entry, name: `${prefix}-${i + 1}` };
    if (name === undefined || seen.has(name)) return rest as T;
    seen.add(name);
    return entry;
  });
}

/** Every key of the compact form's structural objects, as a path, to try leaving each out. */
function structuralPaths(compact: WorkflowInput): string[][] {
  const paths: string[][] = [];
  const walk = (value: unknown, at: string[], depth: number) => {
    if (depth === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const [key, item] of Object.entries(value)) {
      paths.push([...at, key]);
      walk(item, [...at, key], depth - 1);
    }
  };
  walk(compact, [], 3);
  (compact.schedules ?? []).forEach((entry, i) => walk(entry, ['schedules', String(i)], 1));
  (compact.triggers ?? []).forEach((entry, i) => walk(entry, ['triggers', String(i)], 1));
  return paths;
}

function without(value: unknown, at: string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let holder: Record<string, unknown> = copy;
  for (const key of at.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  delete holder[at[at.length - 1]!];
  return copy;
}

describe('compactWorkflow: properties', () => {
  it('validates back to the same normalized workflow, and is its own fixed point', () => {
    fc.assert(
      fc.property(workflow, (input) => {
        const normalized = valid(input);
        const compact = roundTrip(normalized);
        expect(compactWorkflow(valid(compact))).toStrictEqual(compact);
        expect(compact).not.toHaveProperty('schemaVersion');
        // Each task reads the same on its own: the written-back `defaults` changes none of them.
        const { defaults: _defaults, ...withoutDefaults } = compact;
        expect(valid(withoutDefaults).tasks).toStrictEqual(normalized.tasks);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('writes nothing that could be left out (without `defaults`, where tasks spell values)', () => {
    fc.assert(
      fc.property(
        workflow.map((input) => ({ ...input, defaults: {} })),
        (input) => {
          const normalized = valid(input);
          expect(normalized.defaults).toStrictEqual(SYSTEM_TASK_DEFAULTS);
          const compact = compactWorkflow(normalized);
          const expected = canonicalJson(normalized);
          for (const at of structuralPaths(compact)) {
            const result = validateWorkflow(without(compact, at));
            const same = result.ok && canonicalJson(result.workflow) === expected;
            expect(same, `dropping ${at.join('.')} changes nothing`).toBe(false);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});
