// Finds dependency cycles: one closed path per strongly connected component, so every
// independent cycle in a definition is reported at once.
import type { Dag } from './buildDag';

/**
 * Each cycle as task ids in execution order, closed: ['a', 'b', 'c', 'a'] means b needs a,
 * c needs b and a needs c. Self-dependencies are not included (they are reported on their own).
 * Ordered by the definition order of each cycle's first task.
 */
export function findCycles(dag: Dag): string[][] {
  return stronglyConnectedComponents(dag)
    .filter((component) => component.length > 1)
    .map((component) => shortestCycleThrough(dag, component).map((i) => dag.ids[i]!))
    .sort((a, b) => dag.indexOf.get(a[0]!)! - dag.indexOf.get(b[0]!)!);
}

/** Tarjan's algorithm with an explicit stack: a 10,000-task chain must not overflow the call stack. */
function stronglyConnectedComponents(dag: Dag): number[][] {
  const n = dag.ids.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    // Frames of the simulated recursion: a node and how many of its edges were explored.
    const frames: Array<[node: number, edge: number]> = [[start, 0]];
    index[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, edge] = frame;
      const edges = dag.downstream[v]!;
      if (edge < edges.length) {
        frame[1]++;
        const w = edges[edge]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first search inside the component from its earliest-defined task back to itself. */
function shortestCycleThrough(dag: Dag, component: number[]): number[] {
  const members = new Set(component);
  const start = component.reduce((a, b) => Math.min(a, b));
  const previous = new Map<number, number>();
  let queue = [start];
  while (queue.length > 0) {
    const next: number[] = [];
    for (const v of queue) {
      for (const w of dag.downstream[v]!) {
        if (!members.has(w)) continue;
        if (w === start) return unwind(previous, v, start);
        if (previous.has(w)) continue;
        previous.set(w, v);
        next.push(w);
      }
    }
    queue = next;
  }
  // Unreachable for a strongly connected component of two or more tasks.
  throw new Error('cycle search failed');
}

function unwind(previous: Map<number, number>, last: number, start: number): number[] {
  const path = [start];
  for (let v = last; v !== start; v = previous.get(v)!) path.push(v);
  path.push(start);
  // Built backwards from the closing edge: reverse into execution order, keeping start at both ends.
  return [start, ...path.slice(1, -1).reverse(), start];
}
