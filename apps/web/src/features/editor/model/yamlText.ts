// The YAML tab: the workflow as text and back. Parsing keeps the canvas steady: positions of tasks
// that still exist stay, and tasks whose content did not change keep their object (no re-render).
import { findDeepNesting, LIMITS, workflowToYaml } from '@dtss/core';
import { LineCounter, parseDocument } from 'yaml';
import type { EditorState, Pos, TaskDoc, WorkflowDoc } from './types';
import { deepEqual, hasOwn, isRecord } from './util';

/** The same reading rules as @dtss/core's parseWorkflowText, so the tab and the server agree. */
const YAML_OPTIONS = {
  prettyErrors: false,
  logLevel: 'error',
  uniqueKeys: true,
  merge: true,
} as const;
const MAX_ALIAS_COUNT = 1000;

/**
 * The workflow as YAML (@dtss/core's writer: never anchors, as a pasted task may share objects
 * with another one and the text must spell both out).
 */
export function toYaml(workflow: WorkflowDoc): string {
  return workflowToYaml(workflow);
}

export type FromYamlResult =
  { ok: true; state: EditorState } | { ok: false; message: string; line?: number };

/**
 * Reads YAML typed by the user. Requires a mapping with a `tasks` mapping; anything else wrong is
 * left to validation, which reports it with the other errors. Unchanged values keep their previous
 * objects; when nothing changed, `previous` itself is returned.
 */
export function fromYaml(text: string, previous: EditorState): FromYamlResult {
  // Deep nesting would overflow the parser's stack (and can break the page's regular expressions).
  const tooDeep = findDeepNesting(text, LIMITS.maxDocumentDepth);
  if (tooDeep !== null) {
    const line = text.slice(0, tooDeep).split('\n').length;
    return { ok: false, message: `nested deeper than ${LIMITS.maxDocumentDepth} levels`, line };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    return {
      ok: false,
      message: syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      line: lineCounter.linePos(syntax.pos[0]).line,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (!isRecord(value)) {
    return {
      ok: false,
      message:
        value === null || value === undefined
          ? 'the document is empty (expected a workflow with name and tasks)'
          : 'expected a mapping at the top level (a workflow with name and tasks)',
      line: 1,
    };
  }
  if (!hasOwn(value, 'tasks')) {
    return { ok: false, message: 'missing "tasks": a mapping of task id → task' };
  }
  if (!isRecord(value.tasks)) {
    const node = doc.get('tasks', true) as { range?: [number, number, number] } | undefined;
    const start = node?.range?.[0];
    return {
      ok: false,
      message: '"tasks" must be a mapping of task id → task',
      ...(start === undefined ? {} : { line: lineCounter.linePos(start).line }),
    };
  }
  return { ok: true, state: reconcile(value as WorkflowDoc, previous) };
}

function reconcile(parsed: WorkflowDoc, previous: EditorState): EditorState {
  const before = previous.workflow;
  const tasks = keepSame(parsed.tasks, before.tasks) as Record<string, TaskDoc>;
  const workflow = keepSame({ ...parsed, tasks }, before) as WorkflowDoc;
  const positions: Record<string, Pos> = {};
  let dropped = false;
  for (const [id, pos] of Object.entries(previous.positions)) {
    if (hasOwn(workflow.tasks, id)) positions[id] = pos;
    else dropped = true;
  }
  if (workflow === before && !dropped) return previous;
  return { workflow, positions: dropped ? positions : previous.positions };
}

/**
 * `next` with each value deep-equal to the one under the same key in `prev` replaced by that
 * previous object; `prev` itself when every key (in the same order) kept its value.
 */
function keepSame(
  next: Record<string, unknown>,
  prev: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!isRecord(prev)) return next;
  const out: Record<string, unknown> = {};
  let allSame = Object.keys(next).length === Object.keys(prev).length;
  const prevKeys = Object.keys(prev);
  Object.keys(next).forEach((key, i) => {
    const old = hasOwn(prev, key) ? prev[key] : undefined;
    if (hasOwn(prev, key) && (old === next[key] || deepEqual(old, next[key]))) out[key] = old;
    else {
      out[key] = next[key];
      allSame = false;
    }
    if (prevKeys[i] !== key) allSame = false;
  });
  return allSame ? prev : out;
}
