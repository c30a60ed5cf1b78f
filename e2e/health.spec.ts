import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signUp } from './support/app';

test('a visitor is sent to sign-in; /api/health tells only the verdict', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/t/some-team/workflows');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ft%2Fsome-team%2Fworkflows/);

  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body).toEqual({ status: 'ok', time: expect.any(String), database: { ok: true } });
});

test('signed in, the workers page shows the system status: schema and both live workers', async ({
  page,
}) => {
  const me = await signUp(page, 'status');
  await page.goto(`/t/${me.teamSlug}/workers`);
  await expect(page.getByTestId('db-status')).toContainText('connected');
  await expect(page.getByTestId('db-migration')).toHaveText(/\d{14}_\w+/);
  // `npm start` runs two workers; they register within a heartbeat or two.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('workers').locator('tbody tr')).toHaveCount(2);
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('workers')).toContainText('worker-1');
  await expect(page.getByTestId('workers')).toContainText('worker-2');

  const res = await page.request.get('/api/health');
  const body = await res.json();
  expect(body.database.migration.latest).toMatch(/^\d{14}_\w+$/);
  // The list of every worker (every team's pools) is for operators: members have the page.
  expect(body).not.toHaveProperty('workers');
});

test('every process of `npm start` runs plain JavaScript, none TypeScript through a loader', () => {
  const port = String(Number(process.env.DTSS_E2E_PORT ?? 3100));
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        // The parent pid is the 4th field of stat, after the command name in parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        return [{ pid, ppid, cmdline }];
      } catch {
        return []; // exited meanwhile, or not ours to read
      }
    });
  // The launcher this run started: the one whose web port is the test stack's.
  const launcher = procs.find((p) => {
    if (!p.cmdline.includes('scripts/start.mjs')) return false;
    try {
      return readFileSync(`/proc/${p.pid}/environ`, 'utf8')
        .split('\0')
        .includes(`DTSS_WEB_PORT=${port}`);
    } catch {
      return false;
    }
  });
  expect(launcher, 'the launcher of the test stack').toBeDefined();
  const tree = [launcher!];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...procs.filter((p) => p.ppid === tree[i]!.pid));
  }
  const commands = tree.map((p) => p.cmdline);
  expect(commands.filter((c) => c.includes('apps/worker/dist/main.js'))).toHaveLength(2);
  expect(commands.filter((c) => c.includes('apps/worker/dist/scheduler.js'))).toHaveLength(1);
  // `next start` renames itself next-server once it runs.
  expect(commands.filter((c) => /next start|next-server/.test(c)).length).toBeGreaterThan(0);
  expect(commands.filter((c) => /\btsx\b|--import|--loader|\.ts\b/.test(c))).toEqual([]);
});
