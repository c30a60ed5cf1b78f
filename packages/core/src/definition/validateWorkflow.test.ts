import { describe, expect, it } from 'vitest';
import { formatValidationError } from './issue';
import type { NormalizedWorkflow } from './types';
import { validateWorkflow } from './validateWorkflow';

/** Errors of an invalid workflow, printed as `path: message`. */
function errorsOf(input: unknown): string[] {
  const result = validateWorkflow(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors.map(formatValidationError);
}

function valid(input: unknown): NormalizedWorkflow {
  const result = validateWorkflow(input);
  if (!result.ok) throw new Error(result.errors.map(formatValidationError).join('\n'));
  return result.workflow;
}

/** A minimal valid workflow with the given tasks (and other top-level fields). */
function wf(tasks: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  return { name: 'test', ...rest, tasks };
}

const sh = (command = 'true', extra: Record<string, unknown> = {}) => ({
  kind: 'shell',
  command,
  ...extra,
});

describe('validateWorkflow: normalized form', () => {
  it('fills every field, merges defaults into tasks, and spells durations in ms', () => {
    const workflow = valid(
      wf(
        {
          extract: sh('echo hi', { timeout: '90s', env: { B: 2 }, retries: { maxAttempts: 5 } }),
          load: {
            kind: 'noop',
            needs: 'extract',
            timeout: null,
            pool: 'gpu',
            secrets: { TOKEN: 'prod/token' },
          },
        },
        {
          description: 'An ETL',
          tags: ['etl', 'etl', 'daily'],
          defaults: {
            retries: { maxAttempts: 2, initialDelay: '1s', jitter: 'full' },
            timeout: '1h',
            env: { A: '1' },
            priority: 5,
          },
          runTimeout: '2h',
          concurrency: { maxRuns: 1 },
        },
      ),
    );
    expect(workflow).toMatchObject({
      schemaVersion: 1,
      name: 'test',
      description: 'An ETL',
      tags: ['etl', 'daily'],
      params: {},
      concurrency: { maxRuns: 1 },
      runTimeoutMs: 7_200_000,
      schedules: [],
      triggers: [],
    });
    expect(workflow.tasks.extract).toEqual({
      kind: 'shell',
      description: null,
      needs: [],
      trigger: 'all_success',
      command: 'echo hi',
      shell: 'sh',
      env: { A: '1', B: '2' },
      secrets: {},
      workingDir: null,
      pool: 'default',
      priority: 5,
      timeoutMs: 90_000,
      retries: {
        maxAttempts: 5,
        backoff: 'exponential',
        initialDelayMs: 1000,
        maxDelayMs: 3_600_000,
        jitter: 'full',
        retryOn: null,
      },
      output: null,
    });
    expect(workflow.tasks.load).toMatchObject({
      needs: ['extract'],
      timeoutMs: null,
      pool: 'gpu',
      secrets: { TOKEN: 'prod/token' },
      result: null,
    });
  });

  it('normalizes kind fields: http method case, status patterns, script sources', () => {
    const workflow = valid(
      wf({
        ping: {
          kind: 'http',
          request: { url: 'https://example.com/health', method: 'head', query: { n: 1 } },
          successStatuses: [200, '3XX', '204'],
        },
        py: { kind: 'python', script: 'print(1)' },
        js: { kind: 'node', file: 'scripts/x.mjs', args: ['--n', 3] },
      }),
    );
    expect(workflow.tasks.ping).toMatchObject({
      request: {
        method: 'HEAD',
        url: 'https://example.com/health',
        headers: {},
        query: { n: '1' },
        body: null,
      },
      successStatuses: [200, '3xx', 204],
    });
    expect(workflow.tasks.py).toMatchObject({
      script: 'print(1)',
      file: null,
      args: [],
      python: 'python3',
    });
    expect(workflow.tasks.js).toMatchObject({
      script: null,
      file: 'scripts/x.mjs',
      args: ['--n', '3'],
    });
  });

  it('is idempotent: the normalized form validates to itself', () => {
    const first = valid(
      wf(
        {
          a: sh('echo {{ params.day }}', {
            retries: { retryOn: { exitCodes: [75] } },
            output: { schema: { type: 'object', properties: { n: { type: 'integer' } } } },
          }),
          b: {
            kind: 'http',
            needs: ['a'],
            request: { url: 'https://x.test/{{ tasks.a.output.n }}', body: { k: ['v'] } },
          },
        },
        {
          params: { day: { type: 'string', format: 'date', default: '2024-01-01' } },
          schedules: [{ cron: '@DAILY', timezone: 'europe/berlin' }],
          triggers: [
            {
              event: 'file.ready',
              filter: { bucket: 'in', 'meta.kind': { in: ['csv', 'tsv'] } },
              params: { day: '{{ event.payload.day }}' },
            },
          ],
          defaults: { timeout: 60 },
        },
      ),
    );
    const second = valid(JSON.parse(JSON.stringify(first)));
    expect(second).toEqual(first);
    expect(first.schedules[0]).toMatchObject({
      name: 'schedule-1',
      cron: '@daily',
      timezone: 'Europe/Berlin',
      catchup: 'latest',
    });
    expect(first.triggers[0]!.filter).toEqual({
      bucket: { equals: 'in' },
      'meta.kind': { in: ['csv', 'tsv'] },
    });
  });
});

describe('validateWorkflow: errors', () => {
  it('rejects what is not a workflow object', () => {
    expect(errorsOf(null)).toEqual([
      'expected a workflow (an object with name and tasks), got null',
    ]);
    expect(errorsOf([])).toEqual([
      'expected a workflow (an object with name and tasks), got a list',
    ]);
  });

  it('names missing, unknown and misspelt top-level fields', () => {
    expect(errorsOf({ nme: 'x', task: {} })).toEqual([
      'missing required field "name"',
      'missing required field "tasks"',
      'nme: unknown field "nme" (did you mean "name"?)',
      'task: unknown field "task" (did you mean "tasks"?)',
    ]);
  });

  it('explains names', () => {
    expect(errorsOf(wf({ a: sh() }, { name: 'Daily ETL' }))).toEqual([
      'name: invalid workflow name "Daily ETL": use 1-100 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. "daily-etl")',
    ]);
  });

  it('rejects a list of tasks and an empty task map', () => {
    expect(errorsOf({ name: 'x', tasks: [{ id: 'a' }] })).toEqual([
      'tasks: expected an object keyed by task id (tasks: { extract: { kind: shell, … } }), got a list',
    ]);
    expect(errorsOf({ name: 'x', tasks: {} })).toEqual([
      'tasks: a workflow needs at least one task',
    ]);
  });

  it('reports kinds and kind-specific fields', () => {
    expect(
      errorsOf(
        wf({
          extract: { kind: 'bash', command: 'x' },
          typo: { kind: 'shel', command: 'x' },
          x: { kind: 'shell', comand: 'echo' },
          nokind: { command: 'x' },
          n: { kind: 'node' },
          p: { kind: 'python', script: 'x', file: 'y' },
          h: { kind: 'http', request: { url: 'ftp://files.test/x', method: 'GETT' } },
          h2: { kind: 'http', request: { url: 'example.com/{{ params.x }}' } },
          h3: { kind: 'http' },
        }),
      ),
    ).toEqual([
      'tasks.extract.kind: unknown kind "bash" (expected one of: shell, node, python, http, noop)',
      'tasks.typo.kind: unknown kind "shel" (expected one of: shell, node, python, http, noop) (did you mean "shell"?)',
      'tasks.x: missing required field "command" for kind shell',
      'tasks.x.comand: unknown field "comand" for kind shell (did you mean "command"?)',
      'tasks.nokind: missing required field "kind" (expected one of: shell, node, python, http, noop)',
      'tasks.n: missing required field "script" or "file" for kind node',
      'tasks.p.file: give either "script" or "file" for kind python, not both',
      'tasks.h.request.method: unknown HTTP method "GETT" (did you mean "GET"?)',
      'tasks.h.request.url: unsupported URL scheme "ftp:" in "ftp://files.test/x" (expected http or https)',
      'tasks.h2.request.url: URL "example.com/{{ params.x }}" must start with http:// or https://',
      'tasks.h3: missing required field "request" for kind http',
    ]);
  });

  it('lists allowed fields when nothing is close', () => {
    expect(errorsOf(wf({ a: { kind: 'noop', zzzzzz: 1 } }))).toEqual([
      'tasks.a.zzzzzz: unknown field "zzzzzz" for kind noop (allowed: kind, description, needs, trigger, output, retries, timeout, timeoutMs, env, secrets, workingDir, pool, priority, result)',
    ]);
  });

  it('checks common task fields', () => {
    expect(
      errorsOf(
        wf({
          a: sh('x', {
            trigger: 'all_sucess',
            retries: {
              maxAttempts: 0,
              backoff: 'expo',
              initialDelay: '1m',
              maxDelay: '10s',
              retryOn: { httpStatuses: ['6xx'] },
            },
            timeout: '5 minutes',
            priority: 500,
            pool: 'has space',
            env: { 'MY VAR': 'x', DTSS_RUN_ID: 'y', OK: { no: 1 } },
            secrets: { TOKEN: 'not a valid name!' },
            needs: [1],
          }),
        }),
      ),
    ).toEqual([
      'tasks.a.needs[0]: expected a task id, got a number (1)',
      'tasks.a.trigger: unknown trigger rule "all_sucess" (did you mean "all_success"?)',
      'tasks.a.retries.maxAttempts: must be at least 1 (got 0)',
      'tasks.a.retries.backoff: unknown backoff "expo" (expected one of: fixed, exponential)',
      'tasks.a.retries.retryOn.httpStatuses[0]: expected an HTTP status (100-599) or a class such as "5xx", got a string ("6xx")',
      'tasks.a.timeout: invalid duration "5 minutes" (expected e.g. "500ms", "30s", "5m", "1h30m", "2d", or a number of seconds)',
      'tasks.a.env["MY VAR"]: invalid environment variable name "MY VAR": use letters, digits and "_", not starting with a digit',
      'tasks.a.env.DTSS_RUN_ID: "DTSS_RUN_ID" is reserved: names starting with DTSS_ are set by the engine',
      'tasks.a.env.OK: expected a string, got an object',
      'tasks.a.secrets.TOKEN: invalid secret name "not a valid name!": use letters, digits, "_", ".", "/" or "-" (this is the name of a stored secret, never its value)',
      'tasks.a.pool: invalid pool "has space": use up to 64 letters, digits, "_", "." or "-"',
      'tasks.a.priority: must be at most 100 (got 500)',
    ]);
  });

  it('checks merged retry bounds and both spellings of a duration', () => {
    expect(
      errorsOf(
        wf(
          {
            a: sh('x', { retries: { maxDelay: '5s' } }),
            b: sh('x', { timeout: '1s', timeoutMs: 1000 }),
          },
          {
            defaults: { retries: { initialDelay: '1m', initialDelayMs: 60_000 } },
            runTimeout: '1h',
            runTimeoutMs: 1000,
          },
        ),
      ),
    ).toEqual([
      'defaults.retries.initialDelay: give either "initialDelay" or "initialDelayMs", not both',
      'runTimeout: give either "runTimeout" or "runTimeoutMs", not both',
      'tasks.a.retries.maxDelay: maxDelay (5s) is shorter than initialDelay (1m)',
      'tasks.b.timeout: give either "timeout" or "timeoutMs", not both',
    ]);
  });

  it('refuses a variable taken both from env and from a secret', () => {
    expect(
      errorsOf(
        wf(
          { a: sh('x', { secrets: { TOKEN: 'tok' } }) },
          { defaults: { env: { TOKEN: 'plain' } } },
        ),
      ),
    ).toEqual([
      'tasks.a.secrets.TOKEN: "TOKEN" is also set in env (possibly through defaults): take it from env or from a secret, not both',
    ]);
  });

  it('reports invalid task ids', () => {
    expect(errorsOf(wf({ 'bad id': sh(), '1st': sh() }))).toEqual([
      'tasks["bad id"]: invalid task id "bad id": use up to 64 letters, digits, "_" or "-", starting with a letter or "_"',
      'tasks["1st"]: invalid task id "1st": use up to 64 letters, digits, "_" or "-", starting with a letter or "_"',
    ]);
  });
});

describe('validateWorkflow: the graph', () => {
  it('reports unknown, self and duplicate dependencies with suggestions', () => {
    expect(
      errorsOf(
        wf({
          extract: sh(),
          load: sh('x', { needs: ['extrct', 'load', 'extract', 'extract', 'zzz'] }),
        }),
      ),
    ).toEqual([
      'tasks.load.needs[0]: unknown task "extrct" (did you mean "extract"?)',
      'tasks.load.needs[1]: task "load" cannot need itself',
      'tasks.load.needs[3]: "extract" is listed twice (also at needs[2])',
      'tasks.load.needs[4]: unknown task "zzz" (tasks: extract)',
    ]);
  });

  it('reports every cycle with its path', () => {
    expect(
      errorsOf(
        wf({
          a: sh('x', { needs: ['c'] }),
          b: sh('x', { needs: ['a'] }),
          c: sh('x', { needs: ['b'] }),
          d: sh('x', { needs: ['e'] }),
          e: sh('x', { needs: ['d'] }),
        }),
      ),
    ).toEqual([
      'tasks.a.needs: dependency cycle a → b → c → a (each task needs the one before it)',
      'tasks.d.needs: dependency cycle d → e → d (each task needs the one before it)',
    ]);
  });

  it('still checks the graph of tasks whose other fields are broken', () => {
    expect(
      errorsOf(
        wf({
          a: { kind: 'shell', needs: ['b'] },
          b: { kind: 'shell', command: 'x', needs: ['a'] },
        }),
      ),
    ).toEqual([
      'tasks.a: missing required field "command" for kind shell',
      'tasks.a.needs: dependency cycle a → b → a (each task needs the one before it)',
    ]);
  });

  it('refuses trigger rules that can never fire on a root task', () => {
    expect(errorsOf(wf({ alert: sh('x', { trigger: 'one_failed' }) }))).toEqual([
      'tasks.alert.trigger: trigger "one_failed" waits for upstream tasks, but "alert" has no needs, so it could never run',
    ]);
  });

  it('limits the number of tasks', () => {
    const tasks: Record<string, unknown> = {};
    for (let i = 0; i <= 10_000; i++) tasks[`t${i}`] = { kind: 'noop' };
    expect(errorsOf(wf(tasks))).toEqual([
      'tasks: too many tasks: 10,001 (a workflow may have at most 10,000; split it into several workflows)',
    ]);
  });

  // A deep chain (10,000 layers) must not overflow the stack or take a quadratic path; its speed is
  // not asserted here (timed unit tests flake on a busy machine).
  it('validates a 10,000-task, 10,000-layer workflow', () => {
    const tasks: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) {
      const needs = i === 0 ? [] : [`t${i - 1}`, ...(i % 7 === 0 && i > 10 ? [`t${i - 10}`] : [])];
      tasks[`t${i}`] = {
        kind: 'shell',
        command: i > 2 ? `echo {{ tasks.t${i - 2}.output.n }} {{ params.p }}` : 'true',
        needs,
        output: {},
      };
    }
    const result = validateWorkflow(wf(tasks, { params: { p: { type: 'string', default: 'x' } } }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.summary).toMatchObject({ taskCount: 10_000, layerCount: 10_000 });
  });
});

describe('validateWorkflow: templates', () => {
  const params = {
    date: { type: 'string' },
    cfg: { type: 'object', properties: { region: { type: 'string' } } },
  };

  it('checks roots, params, and that tasks read only upstream output', () => {
    expect(
      errorsOf(
        wf(
          {
            extract: sh('x', {
              output: { schema: { type: 'object', properties: { rows: { type: 'integer' } } } },
            }),
            load: sh(
              'echo {{ tasks.report.output }} {{ params.dat }} {{ run.logical_dat }} {{ foo.bar }} {{ event.x }} {{ tasks.extract.output.rowz }} {{ tasks.other.output }} {{ params.cfg.regoin }} {{ params.date.x }} {{ tasks.nope.output }} {{ tasks.load.status }}',
              { needs: ['extract'] },
            ),
            report: sh('x', { needs: ['load'], env: { D: '{{ params.date' } }),
            other: sh(),
          },
          { params },
        ),
      ),
    ).toEqual([
      'tasks.load.command: template references tasks.report.output, but "report" is not upstream of "load" ("report" runs after "load")',
      'tasks.load.command: template references params.dat, but no param "dat" is declared (did you mean "date"?)',
      'tasks.load.command: template references run.logical_dat: run has no field "logical_dat" (did you mean "logical_date"?)',
      'tasks.load.command: template references foo.bar: unknown name "foo" (templates start with params, tasks, run, workflow, task, event)',
      'tasks.load.command: template references event.x, but the workflow declares no triggers (event is only set for runs started by an event)',
      'tasks.load.command: template references tasks.extract.output.rowz, but tasks.extract.output has no field "rowz" (did you mean "rows"?)',
      'tasks.load.command: template references tasks.other.output, but "other" is not upstream of "load" (add it to tasks.load.needs)',
      'tasks.load.command: template references params.cfg.regoin, but params.cfg has no field "regoin" (did you mean "region"?)',
      'tasks.load.command: template references params.date.x, but params.date is a string with no fields',
      'tasks.load.command: template references tasks.nope.output, but there is no task "nope"',
      'tasks.load.command: template references tasks.load.status: a task cannot read its own output or status',
      'tasks.report.env.D: unclosed "{{" at character 1 (expected "}}"; write \\{{ for a literal "{{")',
    ]);
  });

  it('accepts transitive upstream, status, fixed roots and http fields', () => {
    valid(
      wf(
        {
          a: sh('x'),
          b: sh('x', { needs: 'a' }),
          c: {
            kind: 'http',
            needs: ['b'],
            trigger: 'all_done',
            workingDir: '/tmp/{{ run.id }}',
            request: {
              method: 'POST',
              url: 'https://hooks.test/{{ workflow.name }}',
              headers: { 'X-Attempt': '{{ task.attempt }}' },
              body: {
                text: '{{ tasks.a.status }} {{ tasks.a.output.anything }} {{ event.payload.x }}',
                list: ['{{ run.logical_date }}'],
              },
            },
          },
        },
        { triggers: [{ event: 'go' }] },
      ),
    );
  });

  it('checks every templated field of http tasks', () => {
    expect(
      errorsOf(
        wf({
          c: {
            kind: 'http',
            request: {
              url: 'https://x.test/{{ params.a }}',
              headers: { H: '{{ x }}' },
              query: { q: '{{ run }}' },
              body: { deep: ['{{ task.nope }}'] },
            },
          },
        }),
      ),
    ).toEqual([
      'tasks.c.request.url: template references params.a, but no param "a" is declared (the workflow has no params)',
      'tasks.c.request.headers.H: template references x: unknown name "x" (templates start with params, tasks, run, workflow, task, event)',
      'tasks.c.request.query.q: template references run: name a field (run.id, run.logical_date, run.trigger)',
      'tasks.c.request.body.deep[0]: template references task.nope: task has no field "nope" (expected id, attempt)',
    ]);
  });

  it('explains why secrets and env are not template values', () => {
    expect(errorsOf(wf({ a: sh('curl -H "{{ secrets.TOKEN }}" {{ env.HOME }}') }))).toEqual([
      'tasks.a.command: template references secrets.TOKEN: secret values are never rendered into templates; map a secret to a variable with `secrets:` and read it from the environment',
      'tasks.a.command: template references env.HOME: environment variables are not template values; read them in the command itself (e.g. "$NAME")',
    ]);
  });

  it('does not template scripts (they are code; braces are common there)', () => {
    valid(wf({ py: { kind: 'python', script: 'print(f"{{literal}}")' } }));
  });
});

describe('validateWorkflow: params', () => {
  it('checks param schemas: types, misplaced constraints, defaults, enums, ranges, patterns', () => {
    expect(
      errorsOf(
        wf(
          { a: sh() },
          {
            params: {
              date: { type: 'strng' },
              n: { type: 'integer', default: 1.5, enum: [1, 'a', 1] },
              m: { type: 'string', minimum: 3 },
              r: { type: 'number', minimum: 5, maximum: 1 },
              p: { type: 'string', pattern: '(' },
              e: { type: 'string', enum: ['dev', 'prod'], default: 'qa' },
              'bad-name': { type: 'string', default: 'x' },
              notype: { default: 1 },
              list: { type: 'array', items: { type: 'integer' }, default: [1, 'two'] },
            },
          },
        ),
      ),
    ).toEqual([
      'params.date.type: unknown type "strng" (did you mean "string"?)',
      'params.n.enum[1]: expected an integer, got a string ("a")',
      'params.n.enum[2]: duplicate enum member 1',
      'params.n.default: expected an integer, got 1.5',
      'params.m.minimum: "minimum" does not apply to type string (it is for: number, integer)',
      'params.r.minimum: minimum (5) is greater than maximum (1)',
      'params.p.pattern: invalid regular expression "("',
      'params.e.default: a string ("qa") is not one of the allowed values: "dev", "prod"',
      'params.bad-name: invalid param name "bad-name": use up to 64 letters, digits and "_", not starting with a digit',
      'params.notype: missing required field "type" (expected one of: string, number, integer, boolean, array, object)',
      'params.list.default[1]: expected an integer, got a string ("two")',
    ]);
  });
});

describe('validateWorkflow: schedules and triggers', () => {
  const params = {
    date: { type: 'string', format: 'date' },
    limit: { type: 'integer', default: 10 },
  };

  it('checks cron, time zone, and schedule params against the params spec', () => {
    expect(
      errorsOf(
        wf(
          { a: sh() },
          {
            params,
            schedules: [
              { cron: '0 25 * * *', params: { date: '2024-01-01' } },
              { cron: '0 5 * * *', timezone: 'Europe/Berln', params: { date: '2024-01-01' } },
              { cron: '0 5 * * *', params: { date: '31.01.2024', limit: '10', lmit: 1 } },
              { cron: '0 5 * * *', params: {} },
              { name: 'dup', cron: '@daily', params: { date: '2024-01-01' } },
              { name: 'dup', cron: '@weekly', params: { date: '2024-01-01' } },
              { cron: '@daly', catchup: 'everything', params: { date: '2024-01-01' } },
            ],
          },
        ),
      ),
    ).toEqual([
      'schedules[0].cron: invalid hour field "25" (allowed 0-23)',
      'schedules[1].timezone: unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)',
      'schedules[2].params.date: expected a date like "2024-01-31", got "31.01.2024"',
      'schedules[2].params.limit: expected an integer, got a string ("10")',
      'schedules[2].params.lmit: unknown param "lmit" (did you mean "limit"?)',
      'schedules[3].params.date: missing required param "date" (string)',
      'schedules[5].name: duplicate name "dup" (also schedules[4])',
      'schedules[6].cron: unknown macro "@daly" (did you mean "@daily"?)',
      'schedules[6].catchup: unknown catchup mode "everything" (expected one of: none, latest, all)',
    ]);
  });

  it('normalizes schedule policies and checks their bounds', () => {
    const workflow = valid(
      wf(
        { a: sh() },
        {
          schedules: [
            {
              name: 'nightly',
              cron: '0 2 * * *',
              overlap: 'buffer_one',
              jitter: '30s',
              catchupWindow: '1d',
              startAt: '2024-03-01T00:00:00+01:00',
            },
          ],
        },
      ),
    );
    expect(workflow.schedules[0]).toEqual({
      name: 'nightly',
      description: null,
      cron: '0 2 * * *',
      timezone: 'UTC',
      params: {},
      enabled: true,
      catchup: 'latest',
      catchupWindowMs: 86_400_000,
      overlap: 'buffer_one',
      jitterMs: 30_000,
      startAt: '2024-02-29T23:00:00.000Z',
      endAt: null,
    });
    expect(
      errorsOf(
        wf(
          { a: sh() },
          {
            schedules: [
              {
                cron: '@daily',
                overlap: 'queue',
                jitter: '1s',
                jitterMs: 1000,
                startAt: '2024-03-01',
                endAt: '2024-01-01T00:00:00Z',
              },
              { cron: '@daily', startAt: '2024-03-01T00:00:00Z', endAt: '2024-01-01T00:00:00Z' },
            ],
          },
        ),
      ),
    ).toEqual([
      'schedules[0].overlap: unknown overlap mode "queue" (expected one of: skip, allow_all, buffer_one, cancel_previous)',
      'schedules[0].startAt: expected a date-time with offset such as "2024-03-01T00:00:00Z", got "2024-03-01"',
      'schedules[1].endAt: endAt (2024-01-01T00:00:00.000Z) must be after startAt (2024-03-01T00:00:00.000Z)',
    ]);
  });

  it('checks trigger filters and params (literal or mapped from the event)', () => {
    expect(
      errorsOf(
        wf(
          { a: sh() },
          {
            params,
            triggers: [
              { event: 'order paid' },
              {
                event: 'ok',
                filter: { 'a..b': 1, c: [1], d: { in: [] } },
                params: { date: '{{ run.id }}', limit: 'x-{{ event.payload.n }}' },
              },
              { event: 'ok2', params: { limit: '{{ event.payload.n }}' } },
            ],
          },
        ),
      ),
    ).toEqual([
      'triggers[0].event: invalid event name "order paid": use letters, digits, ".", "_", ":", "/" or "-", starting with a letter or digit',
      'triggers[1].filter["a..b"]: invalid payload field "a..b": use a dot path such as "order.status"',
      'triggers[1].filter.c: expected a value to compare with (string, number, boolean, null), { equals: value } or { in: [values] }, got a list',
      'triggers[1].filter.d: "in" needs a non-empty list of strings, numbers, booleans or null',
      'triggers[2].params.date: missing required param "date" (string): give a value or map it from the event, e.g. "{{ event.payload.date }}"',
    ]);
    expect(
      errorsOf(
        wf(
          { a: sh() },
          {
            params,
            triggers: [
              { event: 'ok', params: { date: '{{ run.id }}', limit: 'x-{{ event.payload.n }}' } },
              { event: 'ok2', params: { limit: '{{ event.payload.n }}' } },
            ],
          },
        ),
      ),
    ).toEqual([
      'triggers[0].params.date: template references run.id: only event.name and event.payload.… can be used in trigger params (got run.id)',
      'triggers[0].params.limit: this template renders to a string, but param "limit" is an integer (use a lone "{{ … }}" to pass a value with its type)',
      'triggers[1].params.date: missing required param "date" (string): give a value or map it from the event, e.g. "{{ event.payload.date }}"',
    ]);
  });
});
