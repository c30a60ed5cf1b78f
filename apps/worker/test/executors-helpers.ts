// Shared by the executor tests: build a normalized task from its authored form, run it, keep the log.
import { readFileSync } from 'node:fs';
import { validateWorkflow, type NormalizedTask } from '@dtss/core';
import { getExecutor } from '../src/executors';
import type { ExecutionRequest, ExecutionResult, LogStream } from '../src/executors/types';

export function makeTask(fields: Record<string, unknown>): NormalizedTask {
  const result = validateWorkflow({ name: 'exec-test', tasks: { t: fields } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.workflow.tasks.t!;
}

export interface Run extends ExecutionResult {
  lines: { stream: LogStream; line: string }[];
  stdout: string[];
}

export async function run(
  fields: Record<string, unknown>,
  req: Partial<Omit<ExecutionRequest, 'task'>> = {},
): Promise<Run> {
  const task = makeTask(fields);
  const lines: Run['lines'] = [];
  const result = await getExecutor(task.kind).execute({
    task,
    env: {},
    workingDir: null,
    timeoutMs: null,
    signal: new AbortController().signal,
    ...req,
    log: (stream, line) => {
      lines.push({ stream, line });
      req.log?.(stream, line);
    },
  });
  return {
    ...result,
    lines,
    stdout: lines.filter((l) => l.stream === 'stdout').map((l) => l.line),
  };
}

/** Alive and not a zombie (an unreaped zombie is dead for our purposes). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}
