/**
 * `npm test`: lint, format, typecheck, then every unit and integration test against one real
 * Postgres (embedded unless DATABASE_URL names a server), then the browser tests; ends with a
 * summary and a `tests: N passed, N failed` line. Last, the chaos suite's quick run (faults injected
 * into a system of its own; docs/CHAOS.md).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_URL_ENV, ensureTemplate, startTestCluster } from '@dtss/db/testing';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, '.dtss/test-results');
// `npm test -- unit e2e` runs just those steps; a path among them (`e2e/runs.spec.ts`,
// `packages/db/test/runs.test.ts`) narrows the unit or browser step to those files.
const args = process.argv.slice(2);
const files = args.filter((a) => a.includes('/') || a.includes('.'));
const only = args.filter((a) => !files.includes(a));

interface StepResult {
  name: string;
  ok: boolean;
  seconds: number;
  passed?: number;
  failed?: number;
  skipped?: number;
  note?: string;
  /** Failed tests as "file › name: first line of the error", printed in the summary. */
  failures?: string[];
}
const results: StepResult[] = [];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function step(
  name: string,
  body: () => Promise<Omit<StepResult, 'name' | 'seconds'>>,
): Promise<void> {
  if (only.length && !only.includes(name)) return;
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  let result: Omit<StepResult, 'name' | 'seconds'>;
  try {
    result = await body();
  } catch (err) {
    result = { ok: false, note: (err as Error).message };
  }
  results.push({ name, seconds: (Date.now() - started) / 1000, ...result });
}

const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

async function main(): Promise<number> {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  await step('lint', async () => ({
    ok: (await run(bin('eslint'), ['.', '--max-warnings=0'])) === 0,
  }));
  await step('format', async () => ({
    ok: (await run(bin('prettier'), ['--check', '.', '--log-level=warn'])) === 0,
  }));
  await step('typecheck', async () => ({
    ok:
      (await run('npm', ['run', '--silent', 'typecheck'], { TURBO_TELEMETRY_DISABLED: '1' })) === 0,
  }));

  // One Postgres for the whole run: the one DATABASE_URL names, or a throwaway embedded cluster.
  let stopServer = async () => {};
  let adminUrl = process.env.DATABASE_URL;
  const needsDb = !only.length || only.includes('unit') || only.includes('e2e');
  if (needsDb && !adminUrl) {
    const dataDir = path.join(root, '.dtss/test-pg');
    rmSync(dataDir, { recursive: true, force: true });
    const server = await startTestCluster(dataDir);
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const env = adminUrl ? { [ADMIN_URL_ENV]: adminUrl } : {};
  try {
    if (adminUrl) await ensureTemplate(adminUrl);

    await step('unit', async () => {
      const report = path.join(resultsDir, 'vitest.json');
      const code = await run(
        bin('vitest'),
        [
          'run',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${report}`,
          // vitest's default is one file at a time on 2 cores (cores − 1), but most files wait on
          // processes and Postgres: two at a time use the cores (DTSS_TEST_WORKERS overrides).
          `--maxWorkers=${process.env.DTSS_TEST_WORKERS ?? 2}`,
          ...files.filter((f) => !f.endsWith('.spec.ts')),
        ],
        env,
      );
      const counts = readVitestCounts(report);
      return { ok: code === 0 && !counts.failed, ...counts };
    });

    await step('e2e', async () => {
      const specs =
        existsSync(path.join(root, 'e2e')) &&
        readdirSync(path.join(root, 'e2e')).some((f) => f.endsWith('.spec.ts'));
      if (!specs) return { ok: true, note: 'no e2e specs' };
      const report = path.join(resultsDir, 'playwright.json');
      const specFiles = files.filter((f) => f.endsWith('.spec.ts'));
      const code = await run(
        bin('playwright'),
        ['test', '--config', 'e2e/playwright.config.ts', ...specFiles],
        {
          ...env,
          PLAYWRIGHT_JSON_OUTPUT_NAME: report,
        },
      );
      const counts = readPlaywrightCounts(report);
      return { ok: code === 0 && !counts.failed, ...counts };
    });
  } finally {
    await stopServer();
  }

  // The chaos suite runs a whole system of its own (Postgres, web, workers, schedulers) and injects
  // faults into it, so it comes last, once the test Postgres is stopped (docs/CHAOS.md).
  await step('chaos', async () => {
    const out = path.join(resultsDir, 'chaos.json');
    const code = await run(process.execPath, [
      '--import',
      'tsx',
      'scripts/chaos/main.ts',
      '--quick',
      '--out',
      out,
    ]);
    return { ok: code === 0, ...readChaosReport(out) };
  });

  printSummary();
  return results.every((r) => r.ok) ? 0 : 1;
}

const firstLine = (text: string | undefined) =>
  (text ?? '')
    // eslint-disable-next-line no-control-regex -- ANSI colour codes in reporter messages
    .replace(/\u001b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')[0]
    ?.slice(0, 300) ?? '';

function readVitestCounts(file: string) {
  if (!existsSync(file)) return {};
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: {
      name: string;
      status: string;
      message?: string;
      assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
    }[];
  };
  const failures: string[] = [];
  for (const suite of r.testResults ?? []) {
    const where = path.relative(root, suite.name);
    const failed = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed)
      failures.push(`${where} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    // A suite that fails outside any test (import error, hook) has no failed assertion.
    if (!failed.length && suite.status === 'failed')
      failures.push(`${where}: ${firstLine(suite.message)}`);
  }
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: r.numPendingTests + r.numTodoTests,
    failures,
  };
}

function readChaosReport(file: string): Pick<StepResult, 'note' | 'failures'> {
  if (!existsSync(file)) return { note: 'no report written' };
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    tasks: number;
    faults: Record<string, number>;
    violations: { check: string; message: string }[];
    netns: string;
  };
  const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const netns = r.netns.startsWith('skipped') ? '; network namespace skipped' : '';
  return {
    note: `${r.tasks} tasks, ${faults} faults, ${r.violations.length} violations${netns}`,
    failures: r.violations.map((v) => `[${v.check}] ${v.message}`),
  };
}

interface PlaywrightSuite {
  file?: string;
  title: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file: string;
    tests: { status: string; results: { error?: { message?: string } }[] }[];
  }[];
}

function readPlaywrightCounts(file: string) {
  if (!existsSync(file)) return {};
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    suites?: PlaywrightSuite[];
  };
  const failures: string[] = [];
  const walk = (suite: PlaywrightSuite) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests)
        if (t.status === 'unexpected' || t.status === 'flaky') {
          const error = t.results.find((res) => res.error)?.error?.message;
          failures.push(`${spec.file} › ${spec.title} (${t.status}): ${firstLine(error)}`);
        }
    suite.suites?.forEach(walk);
  };
  r.suites?.forEach(walk);
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: r.stats.unexpected,
    skipped: r.stats.skipped,
    failures,
  };
}

function printSummary(): void {
  console.log('\n━━ summary ━━');
  for (const r of results) {
    const counts =
      r.passed !== undefined
        ? ` ${r.passed} passed, ${r.failed ?? 0} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`
        : '';
    console.log(
      `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(6)} s${counts}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
  const failed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
  const failedSteps = results.filter((r) => !r.ok).map((r) => r.name);
  for (const r of results)
    for (const failure of r.failures ?? []) console.log(`  ✗ ${r.name}: ${failure}`);
  if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
  // A failing lint/typecheck step counts as a failure even when every test passed.
  console.log(
    `tests: ${passed} passed, ${failed + (failed === 0 && failedSteps.length ? failedSteps.length : 0)} failed`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
