// Runs one process as the leader of its own process group, streams its output line by line and
// stops the whole tree (grandchildren included) on timeout or abort: SIGTERM to the group, then
// SIGKILL after a grace period. Resolves only once the tree is gone, so an attempt never leaves
// processes behind on the worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { groupWatcher } from './groupReaper';
import { LineSplitter, type LineSplitterOptions } from './lineSplitter';
import type { LogBackpressure } from './types';

export const DEFAULT_KILL_GRACE_MS = 5_000;
const POLL_MS = 25;

export interface ProcessTreeOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the process (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number | null;
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** `cutChars` > 0 when the line was longer than its limit (see lineSplitter.ts). */
  onLine: (stream: 'stdout' | 'stderr', line: string, cutChars: number) => void;
  /** What the runner did to the process (signals sent), for the attempt's log. */
  onSystem?: (line: string) => void;
  lines?: LineSplitterOptions;
  /** While full, the pipes are not read (see ExecutionRequest.logBackpressure). */
  backpressure?: LogBackpressure;
}

export interface ProcessTreeExit {
  /** null when the process was killed by a signal or never started. */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** Why the runner stopped the tree, if it did. */
  stoppedBy: 'timeout' | 'abort' | null;
  /** Set when the process could not be started (missing program, bad cwd). */
  spawnError?: string;
}

export function runProcessTree(opts: ProcessTreeOptions): Promise<ProcessTreeExit> {
  if (opts.signal.aborted) {
    return Promise.resolve({ exitCode: null, exitSignal: null, stoppedBy: 'abort' });
  }
  return new Promise((resolve) => new ProcessTree(opts, resolve).start());
}

class ProcessTree {
  private child!: ChildProcess;
  private pgid = 0;
  private stoppedBy: ProcessTreeExit['stoppedBy'] = null;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private exited = false;
  private settled = false;
  private termSentAt: number | null = null;
  private killSent = false;
  private readonly grace: number;
  /** Pipes paused until the log store has room. */
  private readonly held = new Set<NodeJS.ReadableStream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly onAbort = () => this.stop('abort');

  constructor(
    private readonly opts: ProcessTreeOptions,
    private readonly resolve: (exit: ProcessTreeExit) => void,
  ) {
    this.grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  }

  start(): void {
    const { opts } = this;
    try {
      // detached: the child leads a new process group, so one kill(-pgid) reaches its whole tree.
      this.child = spawn(opts.command, opts.args, {
        cwd: opts.cwd,
        env: opts.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      this.finish({ spawnError: (err as Error).message });
      return;
    }
    const child = this.child;
    child.once('error', (err) => {
      // Only a failed spawn leaves pid unset; errors after a start (kill failures) are ignored.
      if (child.pid === undefined) this.finish({ spawnError: err.message });
    });
    if (child.pid === undefined) return; // 'error' follows
    this.pgid = child.pid;
    // Should the worker die, its reaper ends this group (see groupReaperMain.ts).
    groupWatcher()?.add(this.pgid);

    const stdout = new LineSplitter((l, cut) => opts.onLine('stdout', l, cut), opts.lines);
    const stderr = new LineSplitter((l, cut) => opts.onLine('stderr', l, cut), opts.lines);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      this.holdIfFull(child.stdout!);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      this.holdIfFull(child.stderr!);
    });
    child.stdout!.once('end', () => stdout.end());
    child.stderr!.once('end', () => stderr.end());

    child.once('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
      // Leftovers (background jobs) of a finished leader belong to the attempt too.
      if (groupAlive(this.pgid)) this.terminateGroup();
      // A process that left the group may hold the pipes open forever: stop waiting for it. What
      // the pipes still hold is read first, as fast as the log store takes it (a pipe held for the
      // store is not a pipe held open: its grace starts once it is read again).
      if (child.stdout) this.destroyAfterGrace(child.stdout);
      if (child.stderr) this.destroyAfterGrace(child.stderr);
    });
    child.once('close', () => void this.awaitGroupGone());

    if (opts.timeoutMs !== null) this.after(opts.timeoutMs, () => this.stop('timeout'));
    opts.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Stops reading a pipe while the log store is behind; reading resumes once it has room. Also
   * after the leader exited, when Node resumes the pipes by itself: what was left in them arrived
   * at once and overflowed a store that was already nearly full.
   */
  private holdIfFull(pipe: NodeJS.ReadableStream): void {
    const bp = this.opts.backpressure;
    if (!bp?.full()) return;
    // Paused again if something resumed it: Node resumes a child's pipes when it exits.
    if (!pipe.isPaused()) pipe.pause();
    if (this.held.has(pipe)) return;
    this.held.add(pipe);
    void bp.room().then(() => {
      this.held.delete(pipe);
      pipe.resume();
    });
  }

  /** Destroys the pipe `grace` ms from now, or that long after the log store lets it be read. */
  private destroyAfterGrace(pipe: NodeJS.ReadableStream & { destroy(): void }): void {
    this.after(this.grace, () => {
      if (!this.held.has(pipe)) return pipe.destroy();
      void this.opts.backpressure?.room().then(() => {
        if (!this.settled) this.destroyAfterGrace(pipe);
      });
    });
  }

  private stop(reason: 'timeout' | 'abort'): void {
    if (this.stoppedBy || this.exited) return;
    this.stoppedBy = reason;
    if (reason === 'abort' && this.opts.signal.reason === 'disowned') this.killGroup();
    else this.terminateGroup();
  }

  /**
   * SIGKILL without a grace period, for an attempt that is no longer this worker's: its task runs
   * again elsewhere (or ended), and a clean-up on SIGTERM could undo what the retry does.
   */
  private killGroup(): void {
    this.termSentAt = Date.now();
    this.killSent = true;
    this.opts.onSystem?.(
      "the attempt is no longer this worker's: sending SIGKILL to the process group",
    );
    this.signalGroup('SIGKILL');
  }

  private terminateGroup(): void {
    if (this.termSentAt !== null) return;
    this.termSentAt = Date.now();
    this.opts.onSystem?.('sending SIGTERM to the process group');
    this.signalGroup('SIGTERM');
    this.after(this.grace, () => {
      if (this.settled || !groupAlive(this.pgid)) return;
      this.opts.onSystem?.(`still running ${this.grace} ms after SIGTERM: sending SIGKILL`);
      this.killSent = true;
      this.signalGroup('SIGKILL');
    });
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pgid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /** The leader has exited and its pipes closed; wait for the rest of its group. */
  private async awaitGroupGone(): Promise<void> {
    while (groupAlive(this.pgid)) {
      this.terminateGroup();
      if (this.killSent && Date.now() - this.termSentAt! > this.grace + 1_000) break; // unkillable
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    this.finish({});
  }

  private finish(extra: { spawnError?: string }): void {
    if (this.settled) return;
    this.settled = true;
    if (this.pgid) groupWatcher()?.remove(this.pgid);
    for (const t of this.timers) clearTimeout(t);
    this.opts.signal.removeEventListener('abort', this.onAbort);
    this.resolve({
      exitCode: this.exitCode,
      exitSignal: this.exitSignal,
      stoppedBy: this.stoppedBy,
      ...extra,
    });
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

/**
 * Whether a process group still has a live member. kill(-pgid, 0) also counts zombies, which
 * linger where PID 1 does not reap orphans (containers without an init), so on Linux a positive
 * answer is confirmed against /proc.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  return hasLiveMember(pgid);
}

function hasLiveMember(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // After the command name in parentheses: state, ppid, pgrp.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}
