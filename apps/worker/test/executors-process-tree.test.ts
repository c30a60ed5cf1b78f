import { describe, expect, it } from 'vitest';
import { runProcessTree, type ProcessTreeOptions } from '../src/executors/processTree';
import { isAlive, run } from './executors-helpers';

// Prints the pids of the shell and of two background grandchildren, then waits on them.
const TREE = `sleep 100 & echo "pid $!"; sleep 100 & echo "pid $!"; echo "pid $$"; wait`;

function pidsOf(stdout: string[]): number[] {
  return stdout.filter((l) => l.startsWith('pid ')).map((l) => Number(l.slice(4)));
}

function tree(opts: Partial<ProcessTreeOptions> & { script: string }) {
  const stdout: string[] = [];
  const system: string[] = [];
  const done = runProcessTree({
    command: 'sh',
    args: ['-c', opts.script],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '' },
    timeoutMs: null,
    signal: new AbortController().signal,
    onLine: (stream, line) => {
      if (stream === 'stdout') stdout.push(line);
    },
    onSystem: (line) => system.push(line),
    ...opts,
  });
  return { done, stdout, system };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('process tree', () => {
  it('a timeout kills the whole tree, grandchildren included', async () => {
    const started = Date.now();
    const result = await run({ kind: 'shell', command: TREE }, { timeoutMs: 500 });
    expect(result.outcome).toBe('timed_out');
    expect(result.error).toBe('timed out after 500ms');
    const pids = pidsOf(result.stdout);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('an abort kills the tree within a second and reports cancelled', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = run(
      { kind: 'shell', command: TREE },
      { signal: controller.signal, log: (_stream, line) => lines.push(line) },
    );
    await until(() => pidsOf(lines).length === 3);
    const abortedAt = Date.now();
    controller.abort('cancelled');
    const result = await pending;
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    expect(result.outcome).toBe('cancelled');
    expect(result.error).toBe('cancelled');
    const pids = pidsOf(lines);
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('a drain abort says so', async () => {
    const controller = new AbortController();
    const pending = run({ kind: 'shell', command: 'sleep 100' }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort('requeue');
    const result = await pending;
    expect(result.outcome).toBe('cancelled');
    expect(result.error).toMatch(/draining/);
  });

  it('an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    controller.abort('cancelled');
    const result = await run({ kind: 'shell', command: 'echo hi' }, { signal: controller.signal });
    expect(result.outcome).toBe('cancelled');
    expect(result.stdout).toEqual([]);
  });

  it('SIGKILLs a process that traps SIGTERM once the grace period is over', async () => {
    const started = Date.now();
    const t = tree({
      script: `trap 'echo got TERM' TERM; echo "pid $$"; while true; do sleep 0.05; done`,
      timeoutMs: 300,
      killGraceMs: 700,
    });
    const exit = await t.done;
    const elapsed = Date.now() - started;
    expect(exit.stoppedBy).toBe('timeout');
    expect(exit.exitSignal).toBe('SIGKILL');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    expect(t.stdout).toContain('got TERM');
    expect(t.system.join('\n')).toMatch(/SIGTERM[\s\S]*SIGKILL/);
    for (const pid of pidsOf(t.stdout)) expect(isAlive(pid)).toBe(false);
  });

  it('kills background leftovers when the leader exits on its own', async () => {
    const t = tree({ script: `sleep 100 >/dev/null 2>&1 & echo "pid $!"; exit 0` });
    const exit = await t.done;
    expect(exit.exitCode).toBe(0);
    expect(exit.stoppedBy).toBeNull();
    const [pid] = pidsOf(t.stdout);
    await until(() => !isAlive(pid!), 1_000);
  });

  it('streams lines as they are printed, not at exit', async () => {
    const seen: number[] = [];
    const started = Date.now();
    const t = tree({ script: 'echo one; sleep 1; echo two' });
    await until(() => t.stdout.length > 0);
    seen.push(Date.now() - started);
    await t.done;
    expect(seen[0]).toBeLessThan(900);
    expect(t.stdout).toEqual(['one', 'two']);
  });

  it('reports a program that does not exist', async () => {
    const exit = await runProcessTree({
      command: 'no-such-program-dtss',
      args: [],
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: null,
      signal: new AbortController().signal,
      onLine: () => {},
    });
    expect(exit.spawnError).toMatch(/ENOENT/);
  });
});
