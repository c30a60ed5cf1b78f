/**
 * Runs a set of child processes the way `npm start` needs: prefixed output, restart on crash with
 * backoff, and an ordered shutdown that leaves no process behind. Each child gets its own process
 * group, so a Ctrl-C reaches the supervisor only and the shutdown order stays ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { makePrefix, pipePrefixed } from './prefixed-output';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Restart when it exits while the system is running (default true). */
  restart?: boolean;
  /** An IPC channel lets a Node child notice the supervisor dying (its `disconnect` event). */
  ipc?: boolean;
  /** Where its prefixed output and the supervisor's notes about it go (default: our stdout/stderr). */
  output?: NodeJS.WritableStream;
}

/** A child up this long has run well: its next crash restarts it without the grown backoff. */
const STABLE_AFTER_MS = 60_000;

interface Running {
  spec: ChildSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  restarts: number;
}

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(
    private readonly onMessage?: (name: string, msg: unknown) => void,
    /** Told of every exit of a child while the system runs (not those stop() causes). */
    private readonly onExit?: (name: string, code: number | null, signal: string | null) => void,
  ) {}

  start(spec: ChildSpec, restarts = 0): ChildProcess {
    const prefix = makePrefix(spec.name);
    const startedAt = Date.now();
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out = spec.output ?? process.stdout;
    const err = spec.output ?? process.stderr;
    pipePrefixed(child.stdout, prefix, out);
    pipePrefixed(child.stderr, prefix, err);
    child.on('message', (m) => this.onMessage?.(spec.name, m));
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code, signal) => {
        resolve(code);
        const entry = this.running.get(spec.name);
        if (entry?.child !== child) return;
        if (this.stopping) return;
        err.write(`${prefix} exited (${signal ?? `code ${code}`})\n`);
        this.onExit?.(spec.name, code, signal);
        if (spec.restart === false) return;
        // The backoff grows while it keeps crashing, and starts over after a good run.
        const restarts = Date.now() - startedAt > STABLE_AFTER_MS ? 0 : entry.restarts;
        const delay = Math.min(30_000, 500 * 2 ** restarts);
        err.write(`${prefix} restarting in ${delay} ms\n`);
        setTimeout(() => {
          if (!this.stopping) this.start(spec, restarts + 1);
        }, delay).unref();
      });
      child.on('error', (e) => {
        err.write(`${prefix} failed to start: ${e.message}\n`);
        resolve(null);
      });
    });
    this.running.set(spec.name, { spec, child, exited, restarts });
    return child;
  }

  /** The pid of the named child's current process, while it runs. */
  pid(name: string): number | undefined {
    const r = this.running.get(name);
    if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return undefined;
    return r.child.pid;
  }

  /** Stops the named children (all when omitted): SIGTERM to each group, SIGKILL after `graceMs`. */
  async stop(names: string[] | undefined, graceMs: number): Promise<void> {
    this.stopping = true;
    const targets = [...this.running.values()].filter((r) => !names || names.includes(r.spec.name));
    await Promise.all(
      targets.map(async (r) => {
        if (r.child.exitCode !== null || r.child.signalCode !== null) return;
        signalGroup(r.child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(r.child, 'SIGKILL'), graceMs);
        await r.exited;
        clearTimeout(timer);
        // Grandchildren left in the group (e.g. a task's process tree) go too.
        signalGroup(r.child, 'SIGKILL');
      }),
    );
  }

  killAll(): void {
    this.stopping = true;
    for (const r of this.running.values()) signalGroup(r.child, 'SIGKILL');
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
