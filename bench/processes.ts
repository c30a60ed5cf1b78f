/**
 * The benchmark's child processes (worker processes of either side): spawned in their own process
 * group so a Ctrl-C reaches only the benchmark, which then stops them in order; their output is
 * kept quiet unless it looks like an error. Also reads CPU time from /proc for the profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
  /** Last lines of output, shown when the child fails. */
  tail: string[];
}

const children = new Set<Child>();

/** Known harmless lines (graphile-worker asks every pool for a `connect` error handler). */
const QUIET = [/pool doesn't have all of the error handlers/];

export function spawnNode(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { ipc?: boolean } = {},
): Child {
  // BENCH_NODE_ARGS: extra Node flags for the worker processes (e.g. `--cpu-prof`).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // TypeScript sources run through tsx; JavaScript (npm start's launcher) runs as it is.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc = spawn(process.execPath, [...nodeArgs, ...loader, script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/error|fail|warn/i.test(line) && !QUIET.some((q) => q.test(line))) {
        process.stderr.write(`  [${name}] ${line}\n`);
      }
    }
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const child: Child = {
    name,
    process: proc,
    tail,
    exited: new Promise((resolve) => {
      proc.on('exit', () => resolve());
      proc.on('error', () => resolve());
    }),
  };
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

export function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

/** SIGTERM, then SIGKILL to the whole group after `graceMs` (and always, for grandchildren). */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (isRunning(child)) {
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await child.exited;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
}

export async function stopAllChildren(graceMs = 5_000): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c, graceMs)));
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  if (child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Fails fast (with the child's last output) when a worker process dies during a scenario. */
export function assertAlive(list: Child[]): void {
  for (const c of list) {
    if (!isRunning(c)) {
      throw new Error(`${c.name} exited unexpectedly; its last output:\n  ${c.tail.join('\n  ')}`);
    }
  }
}

// CPU accounting ------------------------------------------------------------------------------

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** user+system CPU time of one process in ms, or 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The postmaster and its children (backends, background processes). */
export function postgresPids(dataDir: string): number[] {
  const postmaster = Number(
    readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

export interface CpuSnapshot {
  workers: number;
  postgres: number;
  bench: number;
  /** Everything else on the machine (another build running shows up here). */
  other: number;
}

/** Busy CPU time of the whole machine in ms, from /proc/stat. */
function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) * TICK_MS;
}

export function cpuSnapshot(workerPids: number[], dataDir: string): CpuSnapshot {
  const usage = process.cpuUsage();
  const workers = workerPids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  const postgres = postgresPids(dataDir).reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  const bench = (usage.user + usage.system) / 1000;
  return { workers, postgres, bench, other: machineBusyMs() - workers - postgres - bench };
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    workers: after.workers - before.workers,
    postgres: after.postgres - before.postgres,
    bench: after.bench - before.bench,
    other: Math.max(0, after.other - before.other),
  };
}
