import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import {
  applyWorkflow,
  expectAccessible,
  screenshot,
  signUp,
  trpc,
  waitForRunStatus,
  type Person,
} from './support/app';
import { e2eDatabaseUrl, e2eOperatorEmail } from './support/stack';

// Lists refresh every 10 s and the stack shares a busy machine: more than the default 5 s.
const expect = baseExpect.configure({ timeout: 20_000 });

// The stack's own workers run the other tests' tasks: these tests drain a worker of their own,
// started here like `npm start` starts its workers, serving a pool no other test uses.
const root = path.resolve(import.meta.dirname, '..');
const suffix = randomBytes(3).toString('hex');
const workerName = `e2e-drain-${suffix}`;
const poolName = `e2e-pool-${suffix}`;
// The slow task runs until this file exists: the test lets it end once it has seen the drain.
const release = path.join(os.tmpdir(), `dtss-e2e-workers-${suffix}`);

let worker: ChildProcess | null = null;
let exited: Promise<number | null> = Promise.resolve(null);
let operator: Person;
let quickRun = '';
let slowRun = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl(),
      DTSS_WORKER_NAME: workerName,
      DTSS_WORKER_POOLS: poolName,
      DTSS_WORKER_CONCURRENCY: '2',
      // A drain reaches a worker with its next heartbeat.
      DTSS_HEARTBEAT_MS: '1000',
      DTSS_DRAIN_GRACE_MS: '60000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  worker = child;
  // Should the runner itself go down mid-test, the worker goes with it.
  process.on('exit', () => child.kill('SIGKILL'));
  child.on('exit', (code) => {
    if (code) console.error(`${workerName} exited with ${code}:\n${lines.slice(-20).join('\n')}`);
  });
});

test.afterAll(async () => {
  // Whatever happened: the slow task may end, and the worker goes.
  writeFileSync(release, '');
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill('SIGKILL');
    await exited;
  }
});

/** The workers page with the list, the pools and the permissions loaded. */
async function openWorkers(page: Page, teamSlug: string, query = ''): Promise<void> {
  await page.goto(`/t/${teamSlug}/workers${query}`);
  await expect(page.getByTestId('workers')).toBeVisible();
  await expect(page.getByTestId('pools-table')).toBeVisible();
}

const workerRow = (page: Page) => page.locator(`tr[data-worker-name="${workerName}"]`);

test('an operator sees the test worker live, its attempts of the team runs, and its pool', async ({
  page,
}) => {
  test.setTimeout(120_000);
  operator = await signUp(page, 'operator', { email: e2eOperatorEmail() });
  await applyWorkflow(
    page.request,
    operator.teamSlug,
    JSON.stringify({
      name: 'drain-quick',
      tasks: { hello: { kind: 'shell', command: 'echo hello', pool: poolName } },
    }),
  );
  await applyWorkflow(
    page.request,
    operator.teamSlug,
    JSON.stringify({
      name: 'drain-slow',
      tasks: {
        hold: {
          kind: 'shell',
          command: `while [ ! -e ${release} ]; do sleep 0.2; done`,
          timeout: '3m',
          pool: poolName,
        },
      },
    }),
  );
  const trigger = async (workflow: string) =>
    (
      await trpc<{ run: { id: string } }>(page.request, 'mutation', 'runs.trigger', {
        teamSlug: operator.teamSlug,
        workflow,
      })
    ).run.id;
  quickRun = await trigger('drain-quick');
  await waitForRunStatus(page.request, quickRun, 'succeeded');
  slowRun = await trigger('drain-slow');
  await waitForRunStatus(page.request, slowRun, 'running');

  await openWorkers(page, operator.teamSlug);
  const row = workerRow(page);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('worker-status')).toHaveText('active');
  await expect(row).toContainText(poolName);
  await expect(row).toContainText('1 / 2 running');

  // The pool of the test worker: one live worker of concurrency 2, one task running, none waiting.
  const pool = page.locator(`tr[data-pool="${poolName}"]`);
  await expect(pool).toContainText('1 / 2');
  await expect(pool.getByTestId('pool-waiting')).toHaveText('0');

  // Selecting the worker (by keyboard) opens its attempts, kept in the URL.
  await row.getByTestId('worker-select').focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]worker=[0-9a-f-]{36}/);
  const attempts = page.getByTestId('worker-attempts-table');
  await expect(page.getByTestId('worker-attempts-title')).toContainText(workerName);
  await expect(attempts.locator(`tr[data-run-id="${slowRun}"]`)).toContainText('running');
  const quick = attempts.locator(`tr[data-run-id="${quickRun}"]`);
  await expect(quick).toContainText('drain-quick');
  await expect(quick).toContainText('hello');
  await expect(quick).toContainText('succeeded');
  await expect(quick).toContainText('exit 0');

  await expectAccessible(page);
  await screenshot(page, 'workers');

  // The run link opens the run with the task's panel.
  await quick.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${quickRun}\\?task=hello$`));
  await expect(page.getByTestId('task-panel-title')).toContainText('hello');
});

test('a member who is not an operator sees the worker only once a workflow names its pool, no drain button, and none of the other team attempts', async ({
  browser,
}) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  try {
    const member = await signUp(page, 'member');
    // The test worker serves only the operator's team's pool: nothing of it shows here.
    await openWorkers(page, member.teamSlug);
    await expect(page.getByTestId('workers')).toContainText('worker-1');
    await expect(workerRow(page)).toHaveCount(0);
    await expect(page.locator(`tr[data-pool="${poolName}"]`)).toHaveCount(0);
    await expect(page.getByTestId('workers')).not.toContainText(poolName);
    // A workflow of this team's naming that pool: its tasks can run there, so the worker shows.
    await applyWorkflow(
      page.request,
      member.teamSlug,
      JSON.stringify({
        name: 'uses-the-pool',
        tasks: { t: { kind: 'shell', command: 'true', pool: poolName } },
      }),
    );
    await openWorkers(page, member.teamSlug);
    await expect(workerRow(page)).toBeVisible();
    await expect(page.getByRole('button', { name: /^Drain/ })).toHaveCount(0);
    // The operator's team ran tasks on it: nothing of that shows in this team.
    await workerRow(page).getByTestId('worker-select').click();
    await expect(page.getByTestId('worker-attempts')).toContainText(
      `No attempt of this team's runs on ${workerName}`,
    );
    await expect(page.getByTestId('worker-attempts')).not.toContainText('drain-quick');
    await expectAccessible(page);
    await screenshot(page, 'workers-member-dark');
  } finally {
    await context.close();
  }
});

test('an operator drains the worker: draining while its task runs, then stopped, and it exits', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/sign-in');
  await page.locator('input[name="email"]').fill(operator.email);
  await page.locator('input[name="password"]').fill(operator.password);
  await page.locator('form[aria-label="Sign in"] button[type="submit"]').click();
  await page.waitForURL(/\/t\/[^/]+\//);
  await openWorkers(page, operator.teamSlug);
  const row = workerRow(page);
  await expect(row.getByTestId('worker-status')).toHaveText('active');

  await row.getByRole('button', { name: `Drain ${workerName}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Drain ${workerName}?`);
  await expectAccessible(page);
  await screenshot(page, 'workers-drain-confirm');
  await dialog.getByRole('button', { name: 'Drain' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('worker-status')).toHaveText('draining');
  await expect(page.getByRole('button', { name: `Drain ${workerName}` })).toHaveCount(0);

  // It finishes the task it runs (the test lets it end now), then stops and its process exits.
  writeFileSync(release, '');
  await waitForRunStatus(page.request, slowRun, 'succeeded');
  await expect(row.getByTestId('worker-status')).toHaveText('stopped', { timeout: 40_000 });
  expect(await exited).toBe(0);
  await screenshot(page, 'workers-drained');
});
