// The executor registry, one module per task kind. A new kind joins by adding its module here;
// the Record type makes a missing kind a compile error.
import type { TaskKindName } from '@dtss/core';
import { httpExecutor } from './http';
import { nodeExecutor } from './node';
import { noopExecutor } from './noop';
import { pythonExecutor } from './python';
import { shellExecutor } from './shell';
import type { Executor } from './types';

const EXECUTORS: Record<TaskKindName, Executor> = {
  shell: shellExecutor,
  node: nodeExecutor,
  python: pythonExecutor,
  http: httpExecutor,
  noop: noopExecutor,
};

export function getExecutor(kind: TaskKindName): Executor {
  const executor = EXECUTORS[kind];
  if (!executor) throw new Error(`no executor for task kind "${kind}"`);
  return executor;
}

export type {
  AbortReason,
  ExecutionRequest,
  ExecutionResult,
  Executor,
  LogStream,
  Outcome,
} from './types';
