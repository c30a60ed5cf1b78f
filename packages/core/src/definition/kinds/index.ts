// The registry of task kinds. To add a kind: write its module (see types.ts) and list it here.
import { httpKind } from './http';
import { nodeKind } from './node';
import { noopKind } from './noop';
import { pythonKind } from './python';
import { shellKind } from './shell';
import type { TaskKind } from './types';

export const TASK_KINDS = {
  shell: shellKind,
  node: nodeKind,
  python: pythonKind,
  http: httpKind,
  noop: noopKind,
} as const;

export type TaskKindName = keyof typeof TASK_KINDS;
export const TASK_KIND_NAMES = Object.keys(TASK_KINDS) as TaskKindName[];

export function getTaskKind(name: string): TaskKind | undefined {
  return Object.hasOwn(TASK_KINDS, name)
    ? (TASK_KINDS[name as TaskKindName] as unknown as TaskKind)
    : undefined;
}
