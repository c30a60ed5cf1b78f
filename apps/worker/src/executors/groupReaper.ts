/**
 * The worker's side of the task reaper (groupReaperMain.ts): starts it and tells it which task
 * process groups are running. Every process tree registers here (processTree.ts) when a reaper
 * was started; tests and tools that run executors without one simply have no reaper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// Beside this module: groupReaperMain.ts in a checkout, dist/groupReaperMain.js in the installed
// package (where this module is bundled into dist/main.js).
const MAIN = path.join(import.meta.dirname, `groupReaperMain${path.extname(import.meta.filename)}`);

export interface GroupWatcher {
  add(pgid: number): void;
  remove(pgid: number): void;
}

let current: GroupWatcher | null = null;

/** The reaper process groups register with, if the worker started one. */
export function groupWatcher(): GroupWatcher | null {
  return current;
}

/**
 * Starts the reaper beside this process. It lives in its own session and outlives a killed worker
 * by `graceMs` plus a moment; a worker that exits normally has ended its tasks' groups already, so
 * the reaper finds nothing left and exits with it.
 */
export function startGroupReaper(graceMs: number, onError: (message: string) => void): void {
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...process.execArgv, MAIN, String(graceMs)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch (err) {
    onError(`task reaper not started: ${(err as Error).message}`);
    return;
  }
  child.once('error', (err) => onError(`task reaper: ${err.message}`));
  const input = child.stdin!;
  input.on('error', () => {}); // the reaper gone: nothing to tell any more
  // Neither keeps the worker alive: the reaper is for the worker's death, not its life.
  child.unref();
  (input as unknown as { unref?: () => void }).unref?.();
  const send = (line: string) => {
    if (!input.destroyed) input.write(`${line}\n`);
  };
  current = { add: (pgid) => send(`+${pgid}`), remove: (pgid) => send(`-${pgid}`) };
}
