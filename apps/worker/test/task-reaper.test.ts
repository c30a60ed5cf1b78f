import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, waitFor } from './spawn-worker';
import { startEngine, task, type Engine } from './engine/harness';

let engine: Engine;
const dir = mkdtempSync(path.join(os.tmpdir(), 'dtss-reaper-'));

beforeAll(async () => {
  engine = await startEngine({ label: 'task_reaper', workers: 1 });
});
afterAll(async () => {
  await engine?.stop();
});

/** Whether a process runs (zombies, which only wait for their reaping, do not count). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('a worker killed with SIGKILL while a task runs', () => {
  it("takes the task's processes (its shell and their children) down with it", async () => {
    const pids = path.join(dir, 'pids');
    // The shell and a background child record their pids, then both wait far longer than the test.
    await engine.deploy(`
name: outlived
tasks:
  slow:
    kind: shell
    command: "sleep 300 & echo $$ $! > ${pids}; wait"
`);
    const runId = await engine.run('outlived');
    await engine.waitForView(
      runId,
      (v) => task(v, 'slow').status === 'running',
      'the task to start',
      15_000,
    );
    const [shell, sleeper] = await waitFor(
      async () => {
        if (!existsSync(pids)) return undefined;
        const found = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
        return found.length === 2 && found.every((p) => p > 1) ? found : undefined;
      },
      15_000,
      'the task to write its pids',
    );
    expect(running(shell!) && running(sleeper!)).toBe(true);

    const victim = engine.workers[0]!;
    victim.child.kill('SIGKILL');
    await exitOf(victim.child);

    // The reaper's SIGTERM ends both at once; its SIGKILL follows 2 s later if needed.
    await waitFor(
      async () => !running(shell!) && !running(sleeper!),
      20_000,
      "the dead worker's task processes to end",
    );
  });
});
