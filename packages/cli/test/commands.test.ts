// The API commands end to end (login, apply, logs, cancel, ls, events, schedules, alerts): the real CLI
// against a real server and database with a real API token. No workers: the test plays them.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendLogChunk,
  claimTask,
  completeAttempt,
  createAlertChannel,
  getRun,
  type ClaimedTask,
} from '@dtss/db';
import { startRun, taskRunIds } from '../../../apps/web/test/support/fixtures';
import { waitFor } from '../../../apps/worker/test/spawn-worker';
import { createHarness, type Harness } from './cli-harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('cli_commands');
});

afterAll(async () => {
  await h?.close();
});

const PIPELINE = [
  'name: cli-pipeline',
  'tasks:',
  '  extract: { kind: shell, command: echo extract }',
  '  load: { kind: shell, needs: [extract], command: echo load }',
  'schedules:',
  '  - name: nightly',
  '    cron: 0 3 * * *',
  '    timezone: UTC',
  'triggers:',
  '  - name: on-order',
  '    event: orders.created',
  '',
].join('\n');

async function claim(runId: string, key: string): Promise<ClaimedTask> {
  const claimed = await claimTask(h.pool, (await taskRunIds(h.pool, runId))[key]!, null);
  if (!claimed) throw new Error(`could not claim ${key}`);
  return claimed;
}

async function log(
  task: ClaimedTask,
  seq: number,
  lines: string[],
  s: 'stdout' | 'stderr' = 'stdout',
) {
  await appendLogChunk(h.pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    seq,
    firstLine: seq * 10,
    lines,
    meta: lines.map(() => ({ t: new Date().toISOString(), s })),
  });
}

async function succeed(task: ClaimedTask) {
  await completeAttempt(h.pool, {
    attemptId: task.attemptId,
    taskRunId: task.taskRunId,
    runId: task.runId,
    outcome: 'succeeded',
    exitCode: 0,
  });
}

describe('dtss login', () => {
  it('checks the token, saves url and token with mode 0600, and later commands use them', async () => {
    const noEnv = { DTSS_URL: '', DTSS_TOKEN: '' };
    const bad = await h.dtss(
      ['login', '--url', h.server.url, '--token', `dtss_${'x'.repeat(43)}`],
      noEnv,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('refused the API token (401)');
    const file = path.join(h.dir, '.config', 'dtss', 'config.json');
    await expect(stat(file)).rejects.toThrow();

    const ok = await h.dtss(['login', '--url', `${h.server.url}/`, '--token', h.token], noEnv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(
      `logged in to ${h.server.url} with an API token (role editor in team ${h.teamId})\nsaved to ${file}\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url: h.server.url, token: h.token });

    // No DTSS_URL / DTSS_TOKEN: the saved config is used.
    const ls = await h.dtss(['ls', 'workflows', '--json'], noEnv);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([]);
  });
});

describe('dtss apply', () => {
  it('creates, updates or leaves each workflow, and applies nothing when a file is invalid', async () => {
    await mkdir(path.join(h.dir, 'flows'));
    await h.file('flows/pipeline.yaml', PIPELINE);
    await h.file('flows/other.yml', 'name: cli-other\ntasks:\n  t: { kind: noop }\n');
    const first = await h.dtss(['apply', '-f', 'flows']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('\n').sort()).toEqual([
      '',
      'created workflow "cli-other" (version 1)  (flows/other.yml)',
      'created workflow "cli-pipeline" (version 1)  (flows/pipeline.yaml)',
    ]);

    await h.file(
      'flows/other.yml',
      'name: cli-other\ntasks:\n  t: { kind: noop }\n  u: { kind: noop }\n',
    );
    const second = await h.dtss(['apply', '-f', 'flows', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const results = (
      JSON.parse(second.stdout) as { name: string; change: string; version: number }[]
    )
      .map(({ name, change, version }) => ({ name, change, version }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(results).toEqual([
      { name: 'cli-other', change: 'updated', version: 2 },
      { name: 'cli-pipeline', change: 'unchanged', version: 1 },
    ]);

    await h.file('flows/broken.yaml', 'name: cli-broken\ntasks:\n  a: { kind: shell }\n');
    await h.file('flows/other.yml', 'name: cli-other\ntasks:\n  t: { kind: noop }\n');
    const broken = await h.dtss(['apply', '-f', 'flows']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^flows\/broken\.yaml: tasks\.a/);
    expect(broken.stderr).toMatch(/nothing was applied\n$/);
    const { rows } = await h.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
        WHERE w.name = 'cli-other'`,
    );
    expect(rows[0]!.n).toBe(2);
  });
});

describe('dtss logs', () => {
  it('prints stored lines, filters by task, and follows a running run to its end', async () => {
    const run = await startRun(h.pool, h.teamId, 'cli-pipeline');
    const extract = await claim(run.id, 'extract');
    await log(extract, 0, ['one', 'two']);
    await log(extract, 1, ['warn'], 'stderr');

    const all = await h.dtss(['logs', run.id]);
    expect(all).toEqual({
      code: 0,
      stdout: 'extract | one\nextract | two\nextract | warn\n',
      stderr: '',
    });
    const json = await h.dtss(['logs', run.id, '--task', 'extract', '--json']);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      expect.objectContaining({
        task: 'extract',
        attempt: 1,
        line: 0,
        stream: 'stdout',
        text: 'one',
      }),
      expect.objectContaining({ line: 1, text: 'two' }),
      expect.objectContaining({ line: 10, stream: 'stderr', text: 'warn' }),
    ]);

    const follow = h.start(['logs', run.id, '--task', 'load', '--follow']);
    await succeed(extract);
    const load = await claim(run.id, 'load');
    await log(load, 0, ['loading']);
    await waitFor(async () => follow.stdout().includes('loading'), 10_000, 'a live line');
    await succeed(load);
    const followed = await follow.result;
    expect(followed).toEqual({ code: 0, stdout: 'loading\n', stderr: '' });

    const missing = await h.dtss(['logs', run.id, '--task', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: run ${run.id} has no task "nope"\n`);
  });
});

describe('dtss cancel', () => {
  it('cancels a run and says so; a second cancel finds nothing to do', async () => {
    const run = await startRun(h.pool, h.teamId, 'cli-pipeline');
    const first = await h.dtss(['cancel', run.id]);
    expect(first).toEqual({ code: 0, stdout: `cancelling run ${run.id}\n`, stderr: '' });
    expect((await getRun(h.pool, run.id))!.status).toBe('cancelled');
    const again = await h.dtss(['cancel', run.id, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ runId: run.id, accepted: false, stopping: 0 });
  });
});

describe('dtss rerun', () => {
  it('re-runs the failed part of a finished run, and refuses an active one', async () => {
    const run = await startRun(h.pool, h.teamId, 'cli-pipeline');
    const active = await h.dtss(['rerun', run.id]);
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/^error: .*(still|active|running|queued)/i);

    const extract = await claim(run.id, 'extract');
    await completeAttempt(h.pool, {
      attemptId: extract.attemptId,
      taskRunId: extract.taskRunId,
      runId: run.id,
      outcome: 'failed',
      error: 'boom',
    });
    expect((await getRun(h.pool, run.id))!.status).toBe('failed');

    const rerun = await h.dtss(['rerun', run.id]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(
      new RegExp(
        `^started run #\\d+ \\([0-9a-f-]{36}\\), re-running the failed tasks of ${run.id}: `,
      ),
    );
    const id = /\(([0-9a-f-]{36})\)/.exec(rerun.stdout)![1]!;
    const view = (await getRun(h.pool, id))!;
    expect(view.triggerKind).toBe('rerun');
    expect(view.tasks.find((t) => t.key === 'extract')!.status).toBe('queued');

    const one = await h.dtss(['rerun', run.id, '--task', 'load', '--no-downstream', '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ status: expect.any(String) });
  });
});

describe('dtss ls', () => {
  it('lists workflows, runs and workers', async () => {
    const workflows = await h.dtss(['ls', 'workflows']);
    expect(workflows.code, workflows.stderr).toBe(0);
    expect(workflows.stdout).toMatch(/^NAME +VERSION +LAST RUN +UPDATED +TAGS\n/);
    expect(workflows.stdout).toMatch(/\ncli-pipeline +1 +#\d+ \w+ /);

    const runs = await h.dtss([
      'ls',
      'runs',
      '--workflow',
      'cli-pipeline',
      '--status',
      'cancelled',
      '--json',
    ]);
    expect(runs.code, runs.stderr).toBe(0);
    const items = JSON.parse(runs.stdout) as { workflowName: string; status: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((r) => r.workflowName === 'cli-pipeline' && r.status === 'cancelled')).toBe(
      true,
    );

    const workers = await h.dtss(['ls', 'workers']);
    expect(workers).toEqual({
      code: 0,
      stdout: 'no workers online (`--all` lists stopped ones)\n',
      stderr: '',
    });
    const bad = await h.dtss(['ls', 'pipelines']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "'pipelines' is invalid for argument 'what'. Allowed choices are workflows, runs, workers.",
    );
  });
});

describe('dtss events publish', () => {
  it('publishes an event, which starts the triggered workflow, once per idempotency key', async () => {
    const args = ['events', 'publish', 'orders.created', '--data', '{"orderId": 42}'];
    const first = await h.dtss([...args, '--idempotency-key', 'order-42', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { created: boolean; runs: { runId: string }[] };
    expect(result.created).toBe(true);
    expect(result.runs).toHaveLength(1);
    expect((await getRun(h.pool, result.runs[0]!.runId))!.workflowName).toBe('cli-pipeline');

    const again = await h.dtss([...args, '--idempotency-key', 'order-42']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /^idempotency key "order-42" matched event [0-9a-f-]{36}: not published again\n/,
    );

    const badJson = await h.dtss(['events', 'publish', 'x', '--data', '{oops']);
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/^error: --data is not valid JSON: /);
  });
});

describe('dtss schedules', () => {
  it('lists schedules, and pauses and resumes one by name', async () => {
    const ls = await h.dtss(['schedules', 'ls']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^ID +NAME +WORKFLOW +CRON +STATE +NEXT FIRE\n/);
    expect(ls.stdout).toMatch(/ nightly +cli-pipeline +0 3 \* \* \* \(UTC\) +active +\d{4}-/);

    const pause = await h.dtss(['schedules', 'pause', 'nightly']);
    expect(pause.code, pause.stderr).toBe(0);
    expect(pause.stdout).toMatch(/^paused schedule nightly \([0-9a-f-]{36}\)\n$/);
    const paused = JSON.parse((await h.dtss(['schedules', 'ls', '--json'])).stdout) as {
      enabled: boolean;
    }[];
    expect(paused.map((s) => s.enabled)).toEqual([false]);

    const resume = await h.dtss(['schedules', 'resume', 'nightly', '--json']);
    expect(JSON.parse(resume.stdout)).toMatchObject({ name: 'nightly', enabled: true });
    const unknown = await h.dtss(['schedules', 'pause', 'weekly']);
    expect(unknown.stderr).toBe('error: no schedule named "weekly" (see `dtss schedules ls`)\n');
  });

  it("previews a schedule's next fire times", async () => {
    const preview = await h.dtss(['schedules', 'preview', 'nightly', '--count', '3', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const fires = JSON.parse(preview.stdout) as string[];
    expect(fires).toHaveLength(3);
    for (const fire of fires) expect(fire).toMatch(/^\d{4}-\d{2}-\d{2}T03:00:00Z$/);
    expect(Date.parse(fires[0]!)).toBeGreaterThan(Date.now());
    expect(Date.parse(fires[1]!) - Date.parse(fires[0]!)).toBe(24 * 3600 * 1000);
    const text = await h.dtss(['schedules', 'preview', 'nightly', '--count', '1']);
    expect(text.stdout).toMatch(
      /^\d{4}-\d{2}-\d{2}T03:00:00Z {2}\d{4}-\d{2}-\d{2},? 03:00:00 UTC\n$/,
    );
    const bad = await h.dtss(['schedules', 'preview', 'nightly', '--count', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --count must be an integer from 1 to 100, got "0"\n');
  });
});

describe('dtss alerts', () => {
  it('lists channels and incidents; creating a channel takes an admin', async () => {
    await createAlertChannel(h.pool, {
      teamId: h.teamId,
      name: 'ops-hook',
      settings: { kind: 'webhook', url: 'https://hooks.example.com/secret-token' },
      key: randomBytes(32).toString('base64'),
    });
    const channels = await h.dtss(['alerts', 'channels']);
    expect(channels.code, channels.stderr).toBe(0);
    expect(channels.stdout).toMatch(/^ID +NAME +KIND +TARGET +STATE\n/);
    expect(channels.stdout).toMatch(/ ops-hook +webhook +hooks\.example\.com +enabled\n/);
    expect(channels.stdout).not.toContain('secret-token');

    const rules = await h.dtss(['alerts', 'rules']);
    expect(rules.code, rules.stderr).toBe(0);
    expect(rules.stdout).toBe('no rules\n');

    const incidents = await h.dtss(['alerts', 'incidents']);
    expect(incidents.code, incidents.stderr).toBe(0);
    expect(incidents.stdout).toBe('no incidents\n');

    const create = await h.dtss([
      'alerts',
      'channel-create',
      'x',
      '--kind',
      'slack',
      '--url',
      'https://x.example.com',
    ]);
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/admin/);
    const bad = await h.dtss(['alerts', 'channel-create', 'x', '--kind', 'pager']);
    expect(bad.stderr).toBe('error: --kind must be webhook, slack or email, got "pager"\n');
  });
});
