import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getExecutor } from '../src/executors';
import { run } from './executors-helpers';

describe('shell executor', () => {
  it('runs the command with sh, streams both pipes and succeeds on exit 0', async () => {
    const r = await run({ kind: 'shell', command: 'echo out; echo err >&2; printf "crlf\\r\\n"' });
    expect(r.outcome).toBe('succeeded');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toEqual(['out', 'crlf']);
    expect(r.lines).toContainEqual({ stream: 'stderr', line: 'err' });
    expect(r.output).toBeUndefined();
  });

  it('fails with the exit code', async () => {
    const r = await run({ kind: 'shell', command: 'exit 3' });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 3, error: 'exit code 3' });
  });

  it('uses the given shell', async () => {
    const r = await run({ kind: 'shell', shell: 'bash', command: 'echo "${BASH_VERSION:+bash}"' });
    expect(r.stdout).toEqual(['bash']);
  });

  it('passes req.env and a safe base, never the worker secrets', async () => {
    process.env.DTSS_TEST_WORKER_ONLY = 'leak';
    try {
      const r = await run(
        {
          kind: 'shell',
          command:
            'echo "v=$MY_VAR"; echo "leak=$DTSS_TEST_WORKER_ONLY"; command -v sh >/dev/null && echo path-ok',
        },
        { env: { MY_VAR: 'hello world' } },
      );
      expect(r.stdout).toEqual(['v=hello world', 'leak=', 'path-ok']);
    } finally {
      delete process.env.DTSS_TEST_WORKER_ONLY;
    }
  });

  it('runs in a fresh temp dir by default, removed afterwards, or in workingDir', async () => {
    const r = await run({ kind: 'shell', command: 'pwd' });
    const dir = r.stdout[0]!;
    expect(dir).toContain('dtss-attempt-');
    const again = await run({
      kind: 'shell',
      command: `test -e '${dir}' && echo exists || echo gone`,
    });
    expect(again.stdout).toEqual(['gone']);

    const own = await mkdtemp(join(tmpdir(), 'dtss-wd-'));
    const there = await run({ kind: 'shell', command: 'pwd' }, { workingDir: own });
    expect(there.stdout).toEqual([own]);
  });

  it('a missing working directory fails clearly', async () => {
    const r = await run({ kind: 'shell', command: 'true' }, { workingDir: '/no/such/dir' });
    expect(r).toMatchObject({ outcome: 'failed' });
    expect(r.error).toMatch(/working directory \/no\/such\/dir does not exist/);
  });

  it('a missing shell fails clearly', async () => {
    const r = await run({ kind: 'shell', shell: 'no-such-shell-dtss', command: 'true' });
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/could not start no-such-shell-dtss/);
  });

  it('keeps 100,000 lines in order', async () => {
    const r = await run({ kind: 'shell', command: 'seq 1 100000' });
    expect(r.stdout).toHaveLength(100_000);
    expect(r.stdout[0]).toBe('1');
    expect(r.stdout[99_999]).toBe('100000');
    expect(r.stdout.every((l, i) => l === String(i + 1))).toBe(true);
  });

  it('cuts a very long line with a marker', async () => {
    const r = await run({
      kind: 'shell',
      command: "head -c 200000 /dev/zero | tr '\\0' a; echo; echo next",
    });
    expect(r.stdout).toHaveLength(2);
    expect(r.stdout[0]!.length).toBeLessThan(70_000);
    expect(r.stdout[0]).toMatch(/^a+ … \[line cut: 134464 more characters\]$/);
    expect(r.stdout[1]).toBe('next');
  });
});

describe('output contract through a process', () => {
  it('the last ::output:: line wins and stays in the log', async () => {
    const r = await run({
      kind: 'shell',
      command: `echo '::output:: {"a": 1}'; echo '::output:: {"a": 2}'; echo done`,
    });
    expect(r.outcome).toBe('succeeded');
    expect(r.output).toEqual({ a: 2 });
    expect(r.stdout).toContain('::output:: {"a": 1}');
  });

  it('invalid JSON fails the attempt', async () => {
    const r = await run({ kind: 'shell', command: `echo '::output:: {nope'` });
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/^output is not valid JSON: .*\{nope/);
  });

  it('an output over 1 MiB fails, on a line or in the file', async () => {
    const line = await run({
      kind: 'shell',
      command: `printf '::output:: {"big": "'; head -c 1200000 /dev/zero | tr '\\0' x; printf '"}\\n'`,
    });
    expect(line.outcome).toBe('failed');
    expect(line.error).toMatch(/^output is 1\.1 MiB, over the 1 MiB limit$/);
    // The log keeps only the start of that line.
    expect(line.stdout[0]!.length).toBeLessThan(70_000);

    const file = await run({
      kind: 'shell',
      command: `head -c 2000000 /dev/zero | tr '\\0' 1 > "$DTSS_OUTPUT_FILE"`,
    });
    expect(file.outcome).toBe('failed');
    expect(file.error).toMatch(/output file DTSS_OUTPUT_FILE is 1\.9 MiB, over the 1 MiB limit/);
  });

  it('an output just under the cap on one line is accepted', async () => {
    const r = await run({
      kind: 'shell',
      command: `printf '::output:: "'; head -c 1000000 /dev/zero | tr '\\0' x; printf '"\\n'`,
    });
    expect(r.outcome).toBe('succeeded');
    expect((r.output as string).length).toBe(1_000_000);
  });

  it('DTSS_OUTPUT_FILE takes precedence over lines', async () => {
    const r = await run({
      kind: 'shell',
      command: `echo '::output:: 1'; echo '{"from": "file"}' > "$DTSS_OUTPUT_FILE"`,
    });
    expect(r.output).toEqual({ from: 'file' });
  });

  it('a failing process still reports a valid output, and both problems when invalid', async () => {
    const ok = await run({ kind: 'shell', command: `echo '::output:: [1]'; exit 2` });
    expect(ok).toMatchObject({ outcome: 'failed', output: [1], error: 'exit code 2' });
    const bad = await run({ kind: 'shell', command: `echo '::output:: x'; exit 2` });
    expect(bad.error).toMatch(/^exit code 2; output is not valid JSON/);
  });
});

describe('node executor', () => {
  it('runs an inline ES module with args and env', async () => {
    const r = await run(
      {
        kind: 'node',
        script: `const { argv, env } = await import('node:process');
console.log(argv.slice(2).join(','), env.GREETING);
console.log('::output:: ' + JSON.stringify({ n: argv.length - 2 }));`,
        args: ['a', 'b'],
      },
      { env: { GREETING: 'hi' } },
    );
    expect(r.outcome).toBe('succeeded');
    expect(r.stdout[0]).toBe('a,b hi');
    expect(r.output).toEqual({ n: 2 });
  });

  it('runs a file relative to workingDir, TypeScript through tsx', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtss-node-'));
    await writeFile(join(dir, 'plain.mjs'), `console.log('plain', process.argv[2]);`);
    await writeFile(
      join(dir, 'typed.ts'),
      `const n: number = 40 + 2;\nconsole.log('::output:: ' + JSON.stringify({ n }));\n`,
    );
    const plain = await run({ kind: 'node', file: 'plain.mjs', args: ['x'] }, { workingDir: dir });
    expect(plain.stdout).toEqual(['plain x']);
    const typed = await run({ kind: 'node', file: 'typed.ts' }, { workingDir: dir });
    expect(typed.outcome).toBe('succeeded');
    expect(typed.output).toEqual({ n: 42 });
  });

  it('an uncaught error fails the attempt with exit code 1 and the stack on stderr', async () => {
    const r = await run({ kind: 'node', script: `throw new Error('boom')` });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(r.lines.some((l) => l.stream === 'stderr' && l.line.includes('boom'))).toBe(true);
  });
});

describe('python executor', () => {
  it('runs an inline script with args, unbuffered', async () => {
    const r = await run({
      kind: 'python',
      script: `import sys, json\nprint("args", sys.argv[1:])\nprint("::output::", json.dumps({"ok": True}))`,
      args: ['1', 'two'],
    });
    expect(r.outcome).toBe('succeeded');
    expect(r.stdout[0]).toBe("args ['1', 'two']");
    expect(r.output).toEqual({ ok: true });
  });

  it('runs a file and fails on a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtss-py-'));
    await writeFile(join(dir, 'job.py'), 'import sys\nsys.exit(4)\n');
    const r = await run({ kind: 'python', file: 'job.py' }, { workingDir: dir });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 4, error: 'exit code 4' });
  });

  it('times out a hanging script', async () => {
    const r = await run(
      { kind: 'python', script: 'import time\ntime.sleep(100)' },
      { timeoutMs: 300 },
    );
    expect(r.outcome).toBe('timed_out');
  });
});

describe('noop executor', () => {
  it('succeeds at once with its result', async () => {
    const r = await run({ kind: 'noop', result: { answer: 42 } });
    expect(r).toMatchObject({ outcome: 'succeeded', output: { answer: 42 } });
    expect(r.lines).toEqual([]);
  });

  it('the registry knows every kind', () => {
    for (const kind of ['shell', 'node', 'python', 'http', 'noop'] as const) {
      expect(getExecutor(kind).kind).toBe(kind);
    }
  });
});
