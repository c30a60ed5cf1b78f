// Runs the real `dtss` program (compiled, see cli-bin.ts) on fixture files.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN } from './cli-bin';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dtss …` with the CLI package as working directory, so fixture paths are short. */
function dtss(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: cliDir, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('dtss validate', () => {
  it('prints a summary per valid file and exits 0', async () => {
    const run = await dtss(['validate', 'test/fixtures/valid.yaml', 'test/fixtures/valid.json']);
    expect(run).toEqual({
      code: 0,
      stdout: [
        'test/fixtures/valid.yaml: ok — workflow "fixture-valid", 2 tasks in 2 layers, 1 param, 1 schedule',
        'test/fixtures/valid.json: ok — workflow "fixture-json", 1 task in 1 layer, 0 params, 0 schedules',
        '2 files, all valid',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('prints every error as file: path: message and exits 1', async () => {
    const run = await dtss(['validate', 'test/fixtures/invalid.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'test/fixtures/invalid.yaml: tasks.extract.kind: unknown kind "bash" (expected one of: shell, node, python, http, noop)',
      'test/fixtures/invalid.yaml: tasks.load.needs[0]: unknown task "extrct" (did you mean "extract"?)',
      'test/fixtures/invalid.yaml: tasks.load.command: template references tasks.report.output, but "report" is not upstream of "load" ("report" runs after "load")',
      '',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    // Written at test time: a broken YAML fixture in the repository would fail the format check.
    const dir = await mkdtemp(path.join(tmpdir(), 'dtss-syntax-'));
    const file = path.join(dir, 'syntax.yaml');
    try {
      await writeFile(
        file,
        'name: syntax\ntasks:\n  a:\n    kind: shell\n    command: echo "ALERT: unquoted colon"\n',
      );
      const run = await dtss(['validate', file]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(
        `${file}: line 5, column 14: Nested mappings are not allowed in compact mappings (a value containing ": " must be quoted)\n`,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('searches directories for workflow files, skipping hidden ones, and reports unreadable paths', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'dtss-empty-'));
    try {
      const run = await dtss([
        'validate',
        'test/fixtures/dir',
        'test/fixtures/missing.yaml',
        empty,
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')).toEqual([
        'test/fixtures/dir/a.yaml: ok — workflow "dir-a", 1 task in 1 layer, 0 params, 0 schedules',
        'test/fixtures/dir/nested/b.yml: ok — workflow "dir-b", 1 task in 1 layer, 0 params, 0 schedules',
        'test/fixtures/missing.yaml: cannot read: no such file or directory',
        `${empty}: no workflow files (*.yaml, *.yml, *.json) in this directory`,
        '4 files, 2 invalid',
        '',
      ]);
    } finally {
      await rm(empty, { recursive: true });
    }
  });

  it('prints a machine-readable result with --json', async () => {
    const run = await dtss([
      'validate',
      '--json',
      'test/fixtures/invalid.yaml',
      'test/fixtures/valid.json',
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { ok: boolean; files: Array<Record<string, unknown>> };
    expect(result.ok).toBe(false);
    expect(result.files[0]).toMatchObject({ file: 'test/fixtures/invalid.yaml', ok: false });
    expect((result.files[0]!.errors as unknown[])[0]).toEqual({
      path: 'tasks.extract.kind',
      message: 'unknown kind "bash" (expected one of: shell, node, python, http, noop)',
      line: 4,
      column: 5,
    });
    expect(result.files[1]).toEqual({
      file: 'test/fixtures/valid.json',
      ok: true,
      summary: {
        name: 'fixture-json',
        taskCount: 1,
        layerCount: 1,
        paramCount: 0,
        scheduleCount: 0,
        triggerCount: 0,
      },
    });
  });

  it('reads standard input for "-" and includes the normalized workflow on request', async () => {
    const run = await dtss(
      ['validate', '--json', '--normalized', '-'],
      'name: piped\ntasks:\n  t: {kind: noop, timeout: 1m}\n',
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      files: Array<{ file: string; workflow: { tasks: { t: { timeoutMs: number } } } }>;
    };
    expect(result.files[0]!.file).toBe('-');
    expect(result.files[0]!.workflow.tasks.t.timeoutMs).toBe(60_000);
  });

  it('rejects usage errors', async () => {
    const run = await dtss(['validate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("missing required argument 'paths'");
  });
});
