// Static checks of every templated field: syntax, known roots, declared params, and that a task
// only reads the output of tasks that run before it (its transitive upstream).
import type { Dag } from '../../dag/buildDag';
import { kahnLayers } from '../../dag/topologicalLayers';
import { parseTemplate } from '../../template/parseTemplate';
import { templatedStrings } from '../../template/templatedStrings';
import { FIXED_ROOT_FIELDS, TASK_REF_FIELDS, TEMPLATE_ROOTS } from '../../template/templateRoots';
import { didYouMean } from '../../util/suggest';
import type { Issue, Path } from '../issue';
import { getTaskKind } from '../kinds';
import type { ParamsSpec, ValueSchema } from '../params/valueSchema';
import type { NormalizedTask } from '../types';

/** Templated fields every kind has. */
export const COMMON_TEMPLATE_FIELDS = ['env.*', 'workingDir'] as const;

export interface TemplateScope {
  /** Declared params that parsed. */
  params: ParamsSpec;
  /** Params that did not parse (already reported): references to them are not checked. */
  brokenParams: ReadonlySet<string>;
  tasks: ReadonlyMap<string, NormalizedTask>;
  dag: Dag;
  hasTriggers: boolean;
}

/** Names authors reach for that templates deliberately do not offer. */
const SPECIAL_ROOTS: Partial<Record<string, string>> = {
  secrets:
    ': secret values are never rendered into templates; map a secret to a variable with `secrets:` and read it from the environment',
  env: ': environment variables are not template values; read them in the command itself (e.g. "$NAME")',
};

/** One reference check: undefined when fine, else what is wrong. */
type RefProblem = string | undefined;

export function checkTaskTemplates(scope: TemplateScope): Issue[] {
  const issues: Issue[] = [];
  const layerOf = layersOf(scope.dag);
  for (const [id, task] of scope.tasks) {
    const kind = getTaskKind(task.kind)!;
    const fields = templatedStrings(task, [...COMMON_TEMPLATE_FIELDS, ...kind.templateFields]);
    for (const field of fields) {
      const path: Path = ['tasks', id, ...field.path];
      forEachRef(field.text, path, issues, (ref) => checkTaskRef(scope, id, ref, layerOf));
    }
  }
  return issues;
}

/** Trigger params may only read the event that started the run. */
export function checkEventOnlyTemplate(text: string, path: Path, issues: Issue[]): void {
  forEachRef(text, path, issues, (ref) => {
    if (ref[0] !== 'event') {
      return `: only event.name and event.payload.… can be used in trigger params (got ${ref.join('.')})`;
    }
    return checkFixedRoot(ref, true);
  });
}

function forEachRef(
  text: string,
  path: Path,
  issues: Issue[],
  check: (ref: string[]) => RefProblem,
): void {
  if (!text.includes('{{')) return;
  const parsed = parseTemplate(text);
  if (!parsed.ok) {
    issues.push({ path, message: parsed.error.message });
    return;
  }
  const seen = new Set<string>();
  for (const part of parsed.template.parts) {
    if (part.type !== 'expression' || seen.has(part.source)) continue;
    seen.add(part.source);
    const problem = check(part.path);
    if (problem) issues.push({ path, message: `template references ${part.source}${problem}` });
  }
}

function checkTaskRef(
  scope: TemplateScope,
  taskId: string,
  ref: string[],
  layerOf: Int32Array,
): RefProblem {
  const root = ref[0]!;
  if (root === 'params') return checkParamRef(scope, ref);
  if (root === 'tasks') return checkUpstreamRef(scope, taskId, ref, layerOf);
  return checkFixedRoot(ref, scope.hasTriggers);
}

function checkFixedRoot(ref: string[], hasTriggers: boolean): RefProblem {
  const [root, field, ...deeper] = ref as [string, string | undefined, ...string[]];
  const special = SPECIAL_ROOTS[root];
  if (special) return special;
  if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
    const hint = didYouMean(root, TEMPLATE_ROOTS);
    return `: unknown name "${root}"${hint || ` (templates start with ${TEMPLATE_ROOTS.join(', ')})`}`;
  }
  const fields = FIXED_ROOT_FIELDS[root as keyof typeof FIXED_ROOT_FIELDS];
  if (root === 'event' && !hasTriggers) {
    return ', but the workflow declares no triggers (event is only set for runs started by an event)';
  }
  if (field === undefined)
    return `: name a field (${fields.map((f) => `${root}.${f}`).join(', ')})`;
  if (!fields.includes(field)) {
    return `: ${root} has no field "${field}"${didYouMean(field, fields) || ` (expected ${fields.join(', ')})`}`;
  }
  if (deeper.length > 0 && !(root === 'event' && field === 'payload')) {
    return `: ${root}.${field} is a single value with no fields`;
  }
  return undefined;
}

function checkParamRef({ params, brokenParams }: TemplateScope, ref: string[]): RefProblem {
  const name = ref[1];
  if (name === undefined || brokenParams.has(name)) return undefined;
  const spec = params[name];
  if (!spec) {
    const hint = didYouMean(name, [...Object.keys(params), ...brokenParams]);
    return `, but no param "${name}" is declared${hint || (Object.keys(params).length === 0 ? ' (the workflow has no params)' : '')}`;
  }
  return checkValuePath(spec, ref.slice(2), `params.${name}`);
}

function checkUpstreamRef(
  scope: TemplateScope,
  taskId: string,
  ref: string[],
  layerOf: Int32Array,
): RefProblem {
  const [, target, field, ...deeper] = ref;
  if (target === undefined) return ': name a task (tasks.<id>.output or tasks.<id>.status)';
  const targetIndex = scope.dag.indexOf.get(target);
  if (targetIndex === undefined) {
    return `, but there is no task "${target}"${didYouMean(target, scope.dag.ids)}`;
  }
  if (target === taskId) return ': a task cannot read its own output or status';
  const selfIndex = scope.dag.require(taskId);
  if (!isAncestor(scope.dag, targetIndex, selfIndex, layerOf)) {
    const after = isAncestor(scope.dag, selfIndex, targetIndex, layerOf);
    const fix = after ? `"${target}" runs after "${taskId}"` : `add it to tasks.${taskId}.needs`;
    return `, but "${target}" is not upstream of "${taskId}" (${fix})`;
  }
  if (field === undefined) return `: read tasks.${target}.output or tasks.${target}.status`;
  if (!(TASK_REF_FIELDS as readonly string[]).includes(field)) {
    return `: tasks.${target} has no field "${field}"${didYouMean(field, TASK_REF_FIELDS) || ' (expected output or status)'}`;
  }
  if (field === 'status')
    return deeper.length > 0
      ? `: tasks.${target}.status is a single value with no fields`
      : undefined;
  const schema = scope.tasks.get(target)?.output?.schema;
  return schema ? checkValuePath(schema, deeper, `tasks.${target}.output`) : undefined;
}

/**
 * True when `ancestor` is upstream (directly or transitively) of `task`. Searches up from `task`
 * only through tasks in later layers than `ancestor` (earlier ones cannot lead to it), so checking
 * a reference costs the band of the graph between the two tasks, not the whole graph.
 */
function isAncestor(dag: Dag, ancestor: number, task: number, layerOf: Int32Array): boolean {
  if (dag.upstream[task]!.includes(ancestor)) return true;
  const floor = layerOf[ancestor]!;
  const seen = new Set<number>([task]);
  const stack = [task];
  while (stack.length > 0) {
    for (const next of dag.upstream[stack.pop()!]!) {
      if (next === ancestor) return true;
      if (seen.has(next) || layerOf[next]! <= floor) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  return false;
}

/** Each task's layer; tasks on or behind a cycle get the maximum, which disables pruning for them. */
function layersOf(dag: Dag): Int32Array {
  const layerOf = new Int32Array(dag.ids.length).fill(2 ** 31 - 1);
  kahnLayers(dag).layers.forEach((layer, i) => layer.forEach((task) => (layerOf[task] = i)));
  return layerOf;
}

/** Walks a reference into a declared value schema (params, outputs) as far as the schema says. */
function checkValuePath(root: ValueSchema, path: string[], rootName: string): RefProblem {
  let schema: ValueSchema | undefined = root;
  let where = rootName;
  for (const segment of path) {
    if (!schema) return undefined;
    if (schema.type === 'object') {
      if (!schema.properties) return undefined;
      const next: ValueSchema | undefined = schema.properties[segment];
      if (!next) {
        if (schema.additionalProperties) return undefined;
        const known = Object.keys(schema.properties);
        return `, but ${where} has no field "${segment}"${didYouMean(segment, known) || ` (it has: ${known.join(', ')})`}`;
      }
      schema = next;
    } else if (schema.type === 'array') {
      if (!/^\d+$/.test(segment))
        return `, but ${where} is a list (use an index such as ${where}.0)`;
      schema = schema.items;
    } else {
      return `, but ${where} is a ${schema.type} with no fields`;
    }
    where = `${where}.${segment}`;
  }
  return undefined;
}
