// Dependencies as edges. `needs` is the truth; an edge source → target means target needs source.
import type { DagInput } from '@dtss/core';
import type { EdgeRef, EditResult, EditorState, TaskDoc, WorkflowDoc } from './types';
import { hasOwn, isRecord, withTasks } from './util';

export interface FlowEdge extends EdgeRef {
  /** `${source}->${target}`: unique per edge, stable across edits. */
  id: string;
}

/** A task's upstream ids as a list: `needs: a` and `needs: [a]` mean the same; non-strings dropped. */
export function needsOf(task: unknown): string[] {
  if (!isRecord(task)) return [];
  const needs = task.needs;
  if (typeof needs === 'string') return [needs];
  if (Array.isArray(needs)) return needs.filter((need): need is string => typeof need === 'string');
  return [];
}

export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}

/**
 * The edges to draw, in definition order of their targets. Needs naming unknown tasks, a task
 * itself, or an upstream twice draw nothing (validation reports them on the task).
 */
export function edgesOf(workflow: Pick<WorkflowDoc, 'tasks'>): FlowEdge[] {
  const tasks = isRecord(workflow.tasks) ? workflow.tasks : {};
  const edges: FlowEdge[] = [];
  for (const [target, task] of Object.entries(tasks)) {
    const seen = new Set<string>();
    for (const source of needsOf(task)) {
      if (source === target || seen.has(source) || !hasOwn(tasks, source)) continue;
      seen.add(source);
      edges.push({ id: edgeId(source, target), source, target });
    }
  }
  return edges;
}

/** The workflow as @dtss/core's graph input (buildDag, findCycles, topologicalLayers, …). */
export function dagInputOf(workflow: Pick<WorkflowDoc, 'tasks'>): DagInput {
  const tasks: Record<string, { needs: string[] }> = {};
  for (const [id, task] of Object.entries(workflow.tasks)) tasks[id] = { needs: needsOf(task) };
  return { tasks };
}

/** Adds "target needs source", refusing self-loops, duplicates, unknown tasks and cycles. */
export function connect(state: EditorState, source: string, target: string): EditResult {
  const tasks = state.workflow.tasks;
  for (const id of [source, target]) {
    if (!hasOwn(tasks, id)) return { ok: false, reason: `unknown task "${id}"` };
  }
  if (source === target) return { ok: false, reason: `task "${source}" cannot need itself` };
  const task = tasks[target];
  if (!isRecord(task)) {
    return { ok: false, reason: `task "${target}" is not a mapping; fix it in the YAML first` };
  }
  const needs = needsOf(task);
  if (needs.includes(source)) return { ok: false, reason: `"${target}" already needs "${source}"` };
  const cycle = upstreamPath(tasks, source, target);
  if (cycle) {
    // cycle: source, …, target along needs; in execution order it runs target → … → source.
    const order = [...cycle].reverse();
    return { ok: false, reason: `would close a cycle: ${[...order, target].join(' → ')}` };
  }
  const next = appendNeed(task, source);
  return { ok: true, state: withTasks(state, { ...tasks, [target]: next }) };
}

/** Removes "target needs source"; returns the same state when there is no such dependency. */
export function disconnect(state: EditorState, source: string, target: string): EditorState {
  const tasks = state.workflow.tasks;
  if (!hasOwn(tasks, target)) return state;
  const task = tasks[target];
  if (!isRecord(task)) return state;
  const next = mapNeeds(task, (need) => (need === source ? null : need));
  return next === task ? state : withTasks(state, { ...tasks, [target]: next });
}

/**
 * A path from `from` to `to` following `needs` (from needs …, … needs to), or null. Breadth-first,
 * visiting each task once: O(tasks + needs) at worst, and only the part upstream of `from`.
 * This is the cycle test for one new edge; @dtss/core's findCycles checks whole documents.
 */
export function upstreamPath(
  tasks: Record<string, unknown>,
  from: string,
  to: string,
): string[] | null {
  if (from === to) return [from];
  const parent = new Map<string, string>([[from, from]]);
  let frontier = [from];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const need of needsOf(tasks[id])) {
        if (parent.has(need) || !hasOwn(tasks, need)) continue;
        parent.set(need, id);
        if (need === to) return unwind(parent, to);
        next.push(need);
      }
    }
    frontier = next;
  }
  return null;
}

function unwind(parent: Map<string, string>, last: string): string[] {
  const path = [last];
  for (let id = last; parent.get(id) !== id;) {
    id = parent.get(id)!;
    path.push(id);
  }
  return path.reverse();
}

/**
 * The task with `source` added to its needs, keeping other entries as written. A task without
 * `needs` gets the field right after `kind`, where authors usually write it.
 */
function appendNeed(task: TaskDoc, source: string): TaskDoc {
  const needs: unknown = task.needs;
  if (Array.isArray(needs)) return { ...task, needs: [...(needs as string[]), source] };
  if (typeof needs === 'string') return { ...task, needs: [needs, source] };
  return withField(task, 'needs', [source]);
}

/**
 * Applies `change` to each id in `needs` (null drops it), keeping entries that are not strings and
 * the single-id spelling `needs: a`. Returns the same task when nothing changed; drops the field
 * when the last id goes.
 */
export function mapNeeds(task: TaskDoc, change: (need: string) => string | null): TaskDoc {
  const needs: unknown = task.needs;
  let next: unknown[] | string | null;
  if (typeof needs === 'string') {
    next = change(needs);
    if (next === needs) return task;
  } else if (Array.isArray(needs)) {
    let changed = false;
    next = [];
    for (const need of needs as unknown[]) {
      const mapped = typeof need === 'string' ? change(need) : need;
      if (mapped !== need) changed = true;
      if (mapped !== null) next.push(mapped);
    }
    if (!changed) return task;
  } else {
    return task;
  }
  if (next === null || next.length === 0) {
    const { needs: _removed, ...rest } = task;
    return rest as TaskDoc;
  }
  return { ...task, needs: next as string[] | string };
}

/** Sets a field in place when present, else inserts it after `kind`. */
export function withField(task: TaskDoc, key: string, value: unknown): TaskDoc {
  if (hasOwn(task, key)) return { ...task, [key]: value };
  const out: Record<string, unknown> = {};
  let inserted = false;
  for (const [k, v] of Object.entries(task)) {
    out[k] = v;
    if (k === 'kind') {
      out[key] = value;
      inserted = true;
    }
  }
  if (!inserted) return { [key]: value, ...task } as TaskDoc;
  return out as TaskDoc;
}
