// `dtss status` end to end: the real CLI process reading a run through the API of a real server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRun } from '@dtss/db';
import {
  createTeam,
  createToken,
  saveWorkflow,
  startRun,
} from '../../../apps/web/test/support/fixtures';
import { createHarness, type Harness } from './cli-harness';

let h: Harness;
let runId: string;

beforeAll(async () => {
  h = await createHarness('cli_status');
  await saveWorkflow(
    h.prisma,
    h.teamId,
    [
      'name: cli-status',
      'params:',
      '  day: { type: string, default: monday }',
      'tasks:',
      '  extract: { kind: shell, command: echo hi }',
      '  load: { kind: shell, needs: [extract], command: echo loaded }',
      '',
    ].join('\n'),
  );
  // No workers in this file: the run stays as createRun left it (extract queued, load pending).
  runId = (await startRun(h.pool, h.teamId, 'cli-status')).id;
});

afterAll(async () => {
  await h?.close();
});

describe('dtss status', () => {
  it('prints the RunView as JSON, exactly as the API returns it', async () => {
    const run = await h.dtss(['status', runId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const view = await getRun(h.pool, runId);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(view)));
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: runId,
      number: 1,
      workflowName: 'cli-status',
      createdAt: view!.createdAt.toISOString(),
    });
  });

  it('prints a header and a table of tasks', async () => {
    const run = await h.dtss(['status', runId]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`run ${runId} (#1)`);
    expect(lines).toContain('  workflow  cli-status (version 1)');
    expect(lines).toContain('  trigger   manual');
    expect(lines).toContain('  params    {"day":"monday"}');
    expect(lines.some((l) => /^ {2}status {4}(queued|running)$/.test(l))).toBe(true);
    const header = lines.findIndex((l) => l.startsWith('TASK'));
    expect(lines[header]).toMatch(
      /^TASK +STATUS +ATTEMPTS +STARTED +DURATION +EXIT\/ERROR +OUTPUT$/,
    );
    expect(lines[header + 1]).toMatch(/^extract +queued +0\/\d+ /);
    expect(lines[header + 2]).toMatch(/^load +pending +0\/\d+ +- +- +-$/);
  });

  it('says "no run <id>" and exits 1 for an unknown, foreign or malformed id', async () => {
    const unknown = randomUUID();
    expect(await h.dtss(['status', unknown])).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no run ${unknown}\n`,
    });
    const malformed = await h.dtss(['status', 'not-a-run', '--json']);
    expect(malformed).toEqual({ code: 1, stdout: '', stderr: 'error: no run not-a-run\n' });
    // A run of another team is not found either (with that team's token).
    const other = await createToken(h.pool, await createTeam(h.pool, 'other'), 'owner');
    expect(await h.dtss(['status', runId], { DTSS_TOKEN: other })).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no run ${runId}\n`,
    });
  });

  it('explains a refused token and an unreachable or missing server', async () => {
    const refused = await h.dtss(['status', runId], { DTSS_TOKEN: `dtss_${'x'.repeat(43)}` });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: the server at ${h.server.url} refused the API token (401)\n` +
        '  the token may be revoked or expired: create a new one and run `dtss login` again\n',
    );
    const down = await h.dtss(['status', runId], { DTSS_URL: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr.split('\n')[0]).toBe(
      'error: cannot reach the DTSS server at http://127.0.0.1:1: is it running?',
    );
    const none = await h.dtss(['status', runId], { DTSS_URL: '', DTSS_TOKEN: '' });
    expect(none.code).toBe(1);
    expect(none.stderr.split('\n')[0]).toBe('error: no DTSS server configured');
  });
});
