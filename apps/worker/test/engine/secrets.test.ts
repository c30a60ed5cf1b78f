import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSecret } from '@dtss/db';
import { startEngine, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'secrets', workers: 1 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('secrets', () => {
  it('reach the task as env vars and are masked in stored logs', async () => {
    const value = 'hunter2-s3cr3t-value';
    await putSecret(engine.pool, {
      teamId: engine.teamId,
      name: 'DB_PASSWORD',
      value,
      key: engine.secretsKey,
    });
    const name = uniqueName('secrets');
    await engine.deploy(`
name: ${name}
tasks:
  use:
    kind: shell
    secrets: { DB_PASSWORD: DB_PASSWORD }
    command: |
      echo "password is $DB_PASSWORD"
      echo "to stderr: $DB_PASSWORD" >&2
      if [ "$DB_PASSWORD" = "${value}" ]; then echo '::output:: {"match": true}'; fi
      printf '::output:: {"len": %d, "match": %s}\\n' "\${#DB_PASSWORD}" "$([ "$DB_PASSWORD" = "${value}" ] && echo true || echo false)"
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 20_000);
    const t = task(view, 'use');
    expect(t.status).toBe('succeeded');
    expect(t.output).toEqual({ len: value.length, match: true });

    const lines = await engine.logsOf(runId, 'use');
    const text = lines.map((l) => l.text).join('\n');
    expect(text).toContain('password is ');
    expect(text).toContain('to stderr: ');
    expect(text).not.toContain(value);
    const { rows } = await engine.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM log_chunks WHERE run_id = $1 AND position($2 in text) > 0`,
      [runId, value],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('a secret name a workflow may reference (e.g. "db-password") can be stored', async () => {
    // @dtss/core accepts secret names with "-", "." and "/" in definitions (SECRET_NAME_PATTERN);
    // a name the definition format allows must be creatable, or the workflow can never run.
    await putSecret(engine.pool, {
      teamId: engine.teamId,
      name: 'db-password',
      value: 'x',
      key: engine.secretsKey,
    });
    const name = uniqueName('dashname');
    await engine.deploy(`
name: ${name}
tasks:
  use: { kind: shell, secrets: { PW: db-password }, command: 'test "$PW" = x' }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(task(view, 'use').status).toBe('succeeded');
  });
});
