// Property: any valid workflow normalizes to a fixed point, through objects, YAML and JSON alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonicalJson';
import { formatValidationError } from './issue';
import { parseWorkflowText } from './parseWorkflowText';
import { validateWorkflow } from './validateWorkflow';
import { workflowToYaml } from './workflowToYaml';

const duration = fc.oneof(
  fc.constantFrom('500ms', '30s', '5m', '1h30m', '2d', '1.5s'),
  fc.integer({ min: 1, max: 3600 }),
);
const envMap = fc.dictionary(
  fc.constantFrom('A', 'B', 'LOG_LEVEL', 'PORT'),
  fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !s.includes('{')),
    fc.integer(),
  ),
  {
    maxKeys: 3,
  },
);
const retries = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    backoff: fc.constantFrom('fixed', 'exponential'),
    initialDelay: fc.constantFrom('1s', '5s'),
    maxDelay: fc.constantFrom('1m', '1h'),
    jitter: fc.constantFrom('none', 'full'),
    retryOn: fc.oneof(
      fc.constant(null),
      fc.record(
        {
          exitCodes: fc.array(fc.integer({ min: 1, max: 255 }), { maxLength: 3 }),
          httpStatuses: fc.constant(['5xx', 429]),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);
const commonFields = fc.record(
  {
    description: fc.string({ maxLength: 20 }),
    retries,
    timeout: fc.oneof(duration, fc.constant(null)),
    env: envMap,
    secrets: fc.dictionary(
      fc.constantFrom('TOKEN', 'PASSWORD'),
      fc.constantFrom('prod/db', 'api-key'),
      { maxKeys: 2 },
    ),
    workingDir: fc.constantFrom('/tmp', 'work/{{ run.id }}'),
    pool: fc.constantFrom('default', 'gpu', 'io-heavy'),
    priority: fc.integer({ min: -100, max: 100 }),
  },
  { requiredKeys: [] },
);
const kindFields = fc.oneof(
  fc.record({
    kind: fc.constant('shell'),
    command: fc.constantFrom('echo hi', 'echo {{ params.day }} {{ run.logical_date }}'),
  }),
  fc.record({ kind: fc.constant('node'), script: fc.constant('console.log(1)') }),
  fc.record({
    kind: fc.constant('python'),
    file: fc.constant('job.py'),
    args: fc.constant(['--day', '{{ params.day }}']),
  }),
  fc.record({
    kind: fc.constant('http'),
    request: fc.record({
      url: fc.constant('https://example.test/{{ params.day }}'),
      method: fc.constantFrom('get', 'POST'),
      body: fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('{{')),
    }),
  }),
  fc.record({ kind: fc.constant('noop'), result: fc.jsonValue({ maxDepth: 2 }) }),
);

const workflow = fc
  .tuple(
    fc.integer({ min: 1, max: 12 }),
    fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 20 }),
    fc.array(
      fc.tuple(
        kindFields,
        commonFields,
        fc.constantFrom('all_success', 'all_done', 'always', 'none_failed', 'one_failed'),
      ),
      {
        minLength: 12,
        maxLength: 12,
      },
    ),
    fc.record(
      {
        retries,
        timeout: duration,
        env: envMap,
        pool: fc.constant('default'),
        priority: fc.integer({ min: -5, max: 5 }),
      },
      { requiredKeys: [] },
    ),
    fc.array(
      fc.record({
        cron: fc.constantFrom('0 5 * * *', '@HOURLY', '*/15  9-17 * * mon-fri'),
        timezone: fc.constantFrom('UTC', 'europe/berlin', 'America/New_York'),
      }),
      {
        maxLength: 2,
      },
    ),
  )
  .map(([n, edges, tasks, defaults, schedules]) => {
    const ids = Array.from({ length: n }, (_, i) => `task_${i}`);
    const needs: string[][] = ids.map(() => []);
    for (const [a, b] of edges) {
      if (a >= n || b >= n || a === b) continue;
      const [from, to] = a < b ? [a, b] : [b, a];
      if (!needs[to]!.includes(ids[from]!)) needs[to]!.push(ids[from]!);
    }
    const taskMap: Record<string, unknown> = {};
    ids.forEach((id, i) => {
      const [kind, common, trigger] = tasks[i]!;
      // Rules that wait for upstream outcomes only make sense with upstream.
      const rule = needs[i]!.length === 0 && trigger === 'one_failed' ? 'all_success' : trigger;
      const secrets = Object.fromEntries(
        Object.entries(common.secrets ?? {}).filter(([k]) => !(k in (common.env ?? {}))),
      );
      taskMap[id] = { ...kind, ...common, secrets, needs: needs[i], trigger: rule };
    });
    return {
      name: 'generated',
      params: { day: { type: 'string', format: 'date', default: '2024-01-01' } },
      defaults,
      schedules: schedules.map((s) => ({ ...s, params: { day: '2024-02-29' } })),
      tasks: taskMap,
    };
  });

describe('normalization', () => {
  it('is idempotent and survives YAML and JSON round trips', () => {
    fc.assert(
      fc.property(workflow, (input) => {
        const first = validateWorkflow(input);
        if (!first.ok) throw new Error(first.errors.map(formatValidationError).join('\n'));
        const again = validateWorkflow(structuredClone(first.workflow));
        expect(again.ok && again.workflow).toEqual(first.workflow);
        const viaYaml = parseWorkflowText(workflowToYaml(first.workflow));
        expect(viaYaml.ok && canonicalJson(viaYaml.workflow)).toBe(canonicalJson(first.workflow));
        const viaJson = parseWorkflowText(JSON.stringify(first.workflow), { format: 'json' });
        expect(viaJson.ok && canonicalJson(viaJson.workflow)).toBe(canonicalJson(first.workflow));
      }),
      { numRuns: 150 },
    );
    // ~2 s alone; several times that while the other packages' suites share the two cores.
  }, 60_000);
});
