import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Supervisor } from '../lib/supervisor';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Prints its own pid and a grandchild's, then waits forever, ignoring SIGTERM.
const stubborn = `sleep 300 & echo "grandchild $!"; trap '' TERM; while true; do sleep 0.1; done`;

describe('Supervisor', () => {
  it('stops children and their grandchildren, escalating to SIGKILL after the grace period', async () => {
    const sup = new Supervisor();
    const lines: string[] = [];
    const origWrite = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (
      lines.push(String(chunk)),
      true
    )) as typeof process.stdout.write;
    let child;
    try {
      child = sup.start({
        name: 'stubborn',
        command: 'sh',
        args: ['-c', stubborn],
        restart: false,
      });
      await until(() => lines.some((l) => l.includes('grandchild')), 5_000);
    } finally {
      process.stdout.write = origWrite;
    }
    const grandchild = Number(lines.join('').match(/grandchild (\d+)/)![1]);
    expect(alive(child.pid!)).toBe(true);
    expect(alive(grandchild)).toBe(true);

    const started = Date.now();
    await sup.stop(undefined, 300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await until(() => !alive(child.pid!) && !alive(grandchild), 2_000);
  });

  it('restarts a crashed child with backoff, and not after stop', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sup-'));
    const log = path.join(dir, 'starts');
    const sup = new Supervisor();
    sup.start({ name: 'crasher', command: 'sh', args: ['-c', `echo start >> ${log}; exit 3`] });
    const starts = () =>
      existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
    await until(() => starts() >= 2, 5_000);
    await sup.stop(undefined, 100);
    const after = starts();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(starts()).toBe(after);
  });
});
