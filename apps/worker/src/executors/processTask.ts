// What the process kinds (shell, node, python) share: a temp dir per attempt (inline scripts, the
// output file, the default working directory), the process tree, the output contract, and the
// mapping of how the process ended to an attempt outcome.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatDuration } from '@dtss/core';
import { MAX_LINE_CHARS } from './lineSplitter';
import {
  collectOutput,
  MAX_OUTPUT_BYTES,
  OUTPUT_FILE_ENV,
  OUTPUT_PREFIX,
  OutputLines,
} from './outputContract';
import { processEnv } from './processEnv';
import { runProcessTree, type ProcessTreeExit } from './processTree';
import type { ExecutionRequest, ExecutionResult } from './types';

export interface ProcessCommand {
  command: string;
  args: string[];
  /** Added under req.env (the task's own variables win). */
  env?: Record<string, string>;
}

/**
 * Decides the command once the attempt's temp dir exists; a kind with an inline script writes it
 * there (the dir is removed after the attempt).
 */
export type ProcessPlan = (attemptDir: string) => ProcessCommand | Promise<ProcessCommand>;

export interface ProcessTaskOptions {
  killGraceMs?: number;
}

export async function runProcessTask(
  req: ExecutionRequest,
  plan: ProcessPlan,
  opts: ProcessTaskOptions = {},
): Promise<ExecutionResult> {
  const attemptDir = await mkdtemp(join(tmpdir(), 'dtss-attempt-'));
  try {
    const cmd = await plan(attemptDir);
    const cwd = req.workingDir === null ? attemptDir : resolve(req.workingDir);
    if (!(await isDirectory(cwd))) {
      return {
        outcome: 'failed',
        exitCode: null,
        error: `working directory ${cwd} does not exist`,
      };
    }
    const env = processEnv({
      [OUTPUT_FILE_ENV]: join(attemptDir, 'output.json'),
      ...cmd.env,
      ...req.env,
    });
    const outputLines = new OutputLines();
    const exit = await runProcessTree({
      command: cmd.command,
      args: cmd.args,
      cwd,
      env,
      timeoutMs: req.timeoutMs,
      signal: req.signal,
      killGraceMs: opts.killGraceMs,
      lines: { longLine: { prefix: OUTPUT_PREFIX, maxChars: MAX_OUTPUT_BYTES + 1024 } },
      onLine: (stream, line, cutChars) => {
        if (stream === 'stdout') outputLines.observe(line, cutChars);
        req.log(stream, forLog(line, cutChars));
      },
      onSystem: (line) => req.log('system', line),
      backpressure: req.logBackpressure,
    });
    return await toResult(req, cmd.command, exit, () =>
      collectOutput(outputLines, env[OUTPUT_FILE_ENV]),
    );
  } finally {
    await rm(attemptDir, { recursive: true, force: true });
  }
}

async function toResult(
  req: ExecutionRequest,
  command: string,
  exit: ProcessTreeExit,
  output: () => ReturnType<typeof collectOutput>,
): Promise<ExecutionResult> {
  const base = { exitCode: exit.exitCode };
  if (exit.spawnError) {
    return { outcome: 'failed', ...base, error: `could not start ${command}: ${exit.spawnError}` };
  }
  if (exit.stoppedBy === 'timeout') {
    return {
      outcome: 'timed_out',
      ...base,
      error: `timed out after ${formatDuration(req.timeoutMs!)}`,
    };
  }
  if (exit.stoppedBy === 'abort') {
    const error = req.signal.reason === 'requeue' ? 'stopped: the worker is draining' : 'cancelled';
    return { outcome: 'cancelled', ...base, error };
  }
  const collected = await output();
  const failure =
    exit.exitCode === 0
      ? null
      : exit.exitSignal
        ? `killed by ${exit.exitSignal}`
        : `exit code ${exit.exitCode}`;
  if (!collected.ok) {
    return {
      outcome: 'failed',
      ...base,
      error: failure ? `${failure}; ${collected.error}` : collected.error,
    };
  }
  const withOutput = collected.output === undefined ? base : { ...base, output: collected.output };
  return failure
    ? { outcome: 'failed', ...withOutput, error: failure }
    : { outcome: 'succeeded', ...withOutput };
}

/** A cut line is stored with its start and a marker; whole lines as they are. */
function forLog(line: string, cutChars: number): string {
  if (cutChars === 0 && line.length <= MAX_LINE_CHARS) return line;
  const dropped = cutChars + Math.max(0, line.length - MAX_LINE_CHARS);
  return `${line.slice(0, MAX_LINE_CHARS)} … [line cut: ${dropped} more characters]`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
