// The packages as another machine gets them: builds @dtss/client, @dtss/cli and @dtss/worker,
// packs them (`npm pack`), installs the tarballs into a project in the system's temp
// directory (outside the workspace, from the npm cache only), and there:
// - type-checks with strict tsc a script that triggers a run, waits for it and tails its logs,
//   and refuses one with a wrong procedure input;
// - starts the installed worker on a pool of its own and the installed scheduler;
// - applies a workflow with the installed `dtss`, runs the script against a live server, and
//   `dtss run … --wait`, each run's task running on that worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { createTeam, createToken } from '../../../apps/web/test/support/fixtures';
import {
  startRouteServer,
  type RouteServer,
} from '../../../apps/web/test/support/start-route-server';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PACKAGES = ['@dtss/client', '@dtss/cli', '@dtss/worker'];
const POOL = 'installed';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function mustRun(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const result = await run(command, args, opts);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A long-running installed program; resolves once its output matches `ready`. */
async function startProgram(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  cwd: string,
): Promise<{ child: ChildProcess; output(): string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${bin} exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

// The script a user would write: trigger, wait, tail the logs; prints where the task ran.
const SCRIPT = `import { createDtssClient, tailLogs, waitForRun, type RunView } from '@dtss/client';

const url = process.env.DTSS_URL!;
const token = process.env.DTSS_TOKEN!;
const client = createDtssClient({ url, token });
const { run } = await client.runs.trigger.mutate({ workflow: process.argv[2]!, params: {} });
const final: RunView = await waitForRun(client, run.id);
for await (const chunk of tailLogs(url, token, run.id, { follow: false })) {
  for (const line of chunk.lines) console.log(\`log \${chunk.task}: \${line.text}\`);
}
const attempt = final.tasks[0]?.attemptHistory[0];
console.log(\`run \${final.status} on worker \${attempt?.workerId ?? 'none'}\`);
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    // @trpc/server's own declarations name optional peers (ws); as in any project using tRPC.
    skipLibCheck: true,
    types: ['node'],
    outDir: 'out',
  },
};

const WORKFLOW = `name: installed
tasks:
  hello:
    kind: shell
    command: echo "hello from the installed worker"
    pool: ${POOL}
`;

let dir: string;
let cliTarball: string;
let project: string;
let db: TestDatabase;
let pool: Pool;
let server: RouteServer;
let token: string;
let worker: { child: ChildProcess; output(): string } | undefined;
let scheduler: { child: ChildProcess; output(): string } | undefined;
const bin = (name: string) => path.join(project, 'node_modules/.bin', name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dtss-installed-'));
  project = path.join(dir, 'project');
  await mkdir(project);
  const tarballs = path.join(dir, 'tarballs');
  await mkdir(tarballs);
  // The client's build (cached by turbo); the CLI and the worker build as they pack (prepack).
  await mustRun(
    path.join(ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter', '@dtss/client', '--output-logs=errors-only'],
    { cwd: ROOT, env: { TURBO_TELEMETRY_DISABLED: '1' } },
  );
  // The CLI and the worker pack in place. The client's pack swaps its package.json for the
  // tarball's while it runs (scripts/pack-manifest.mjs), which test files running beside this one
  // would see: it packs a copy of the package, through the same prepack and postpack.
  const client = path.join(dir, 'client');
  for (const part of ['package.json', 'README.md', 'dist', 'scripts/pack-manifest.mjs']) {
    await cp(path.join(ROOT, 'packages/client', part), path.join(client, part), {
      recursive: true,
    });
  }
  // (Their prepack builds and prints to stdout: the tarballs are read from the folder.)
  const pack = (args: string[]) =>
    mustRun('npm', ['pack', ...args, '--pack-destination', tarballs], { cwd: ROOT });
  await pack([client]);
  await pack(PACKAGES.slice(1).flatMap((p) => ['-w', p]));
  const packed = (await readdir(tarballs)).filter((f) => f.endsWith('.tgz'));
  const named = (prefix: string) => packed.find((f) => f.startsWith(`dtss-${prefix}-`));
  expect([named('client'), named('cli'), named('worker')].every(Boolean), packed.join()).toBe(true);
  cliTarball = path.join(tarballs, named('cli')!);
  const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'scripts', private: true, type: 'module' }),
  );
  // Offline: everything comes from the npm cache the workspace's install filled.
  await mustRun(
    'npm',
    [
      'install',
      ...packed.map((file) => path.join(tarballs, file)),
      `typescript@${root.devDependencies.typescript}`,
      `@types/node@${root.devDependencies['@types/node']}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: project },
  );

  db = await createTestDatabase('installed');
  pool = createPool(db.url, { applicationName: 'installed-test', max: 2 });
  token = await createToken(pool, await createTeam(pool, 'installed'), 'editor');
  server = await startRouteServer(db.url);
  const env = { DATABASE_URL: db.url, DTSS_HEARTBEAT_MS: '500' };
  worker = await startProgram(
    bin('dtss-worker'),
    ['--name', 'installed-worker', '--pools', POOL, '--concurrency', '2'],
    env,
    /online: pools installed/,
    project,
  );
  scheduler = await startProgram(bin('dtss-scheduler'), [], env, /leading/, project);
}, 400_000);

afterAll(async () => {
  await Promise.all([stop(worker?.child), stop(scheduler?.child)]);
  await server?.stop();
  await pool?.end();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packages installed outside the workspace', () => {
  it('install only what they import at run time: no server package, no tsx for the CLI', async () => {
    const manifest = async (name: string) =>
      JSON.parse(
        await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { dependencies: Record<string, string> };
    expect(Object.keys((await manifest('@dtss/client')).dependencies).sort()).toEqual([
      '@trpc/client',
      '@trpc/server',
      'eventsource-parser',
      'superjson',
    ]);
    const cli = Object.keys((await manifest('@dtss/cli')).dependencies);
    expect(cli.filter((d) => d.startsWith('@dtss/') || d === 'tsx' || d === 'pg')).toEqual([]);
  });

  it('type-check a script strictly, and refuse a wrong procedure input', async () => {
    await writeFile(path.join(project, 'trigger.ts'), SCRIPT);
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ ...TSCONFIG, files: ['trigger.ts'] }),
    );
    await mustRun(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: project });

    await writeFile(
      path.join(project, 'wrong.ts'),
      SCRIPT.replace('{ workflow: process.argv[2]!', '{ workflw: process.argv[2]!'),
    );
    await writeFile(
      path.join(project, 'tsconfig.wrong.json'),
      JSON.stringify({ ...TSCONFIG, files: ['wrong.ts'] }),
    );
    const wrong = await run(bin('tsc'), ['-p', 'tsconfig.wrong.json', '--noEmit'], {
      cwd: project,
    });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*'workflw' does not exist in type/);
  });

  it('run the script, and `dtss run --wait` installed with -g, with tasks on the installed worker', async () => {
    const env = { DTSS_URL: server.url, DTSS_TOKEN: token, HOME: project };
    await writeFile(path.join(project, 'installed.yaml'), WORKFLOW);
    await mustRun(bin('dtss'), ['apply', '-f', 'installed.yaml'], { cwd: project, env });

    const { rows } = await pool.query<{ id: string }>('SELECT id FROM workers WHERE name = $1', [
      'installed-worker',
    ]);
    const workerId = rows[0]!.id;
    const out = await mustRun(process.execPath, ['out/trigger.js', 'installed'], {
      cwd: project,
      env,
    });
    expect(out).toContain('log hello: hello from the installed worker');
    expect(out).toContain(`run succeeded on worker ${workerId}`);

    // The CLI as a machine-wide command: `npm install -g` (into a prefix of the test's own).
    const prefix = path.join(dir, 'global');
    await mustRun(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        cliTarball,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: dir },
    );
    const cli = await run(path.join(prefix, 'bin/dtss'), ['run', 'installed', '--wait'], {
      cwd: project,
      env,
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('hello from the installed worker');
    const { rows: attempts } = await pool.query<{ worker_id: string }>(
      'SELECT DISTINCT worker_id FROM task_attempts',
    );
    expect(attempts.map((a) => a.worker_id)).toEqual([workerId]);
  }, 180_000);

  it('an incompatible client gets an error naming both versions', async () => {
    const headers = { authorization: `Bearer ${token}`, 'x-dtss-client-version': '9.0.0' };
    const api = await fetch(`${server.url}/api/trpc/auth.me`, { headers });
    expect(api.status).toBe(412);
    const text = await api.text();
    expect(text).toMatch(
      /@dtss\/client 9\.0\.0 cannot talk to this DTSS server \(API version 0\.\d+\.\d+\)/,
    );
    const stream = await fetch(
      `${server.url}/api/stream/runs/00000000-0000-0000-0000-000000000000`,
      {
        headers,
      },
    );
    expect(stream.status).toBe(412);
    expect(((await stream.json()) as { error: string }).error).toContain('9.0.0');
  });
});
