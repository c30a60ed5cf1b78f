// Neighbourhood queries the engine asks of a workflow's graph. All results are in definition order.
// Given a workflow these build the graph on each call; pass a Dag (buildDag) when asking repeatedly.
import { asDag, type Dag, type DagSource } from './buildDag';

/** Tasks that directly need `id`. */
export function downstreamOf(source: DagSource, id: string): string[] {
  const dag = asDag(source);
  return names(
    dag,
    [...dag.downstream[dag.require(id)]!].sort((a, b) => a - b),
  );
}

/** Tasks `id` directly needs. */
export function upstreamOf(source: DagSource, id: string): string[] {
  const dag = asDag(source);
  return names(
    dag,
    [...dag.upstream[dag.require(id)]!].sort((a, b) => a - b),
  );
}

/** Tasks with no upstream: the first to run. */
export function roots(source: DagSource): string[] {
  const dag = asDag(source);
  return dag.ids.filter((_, i) => dag.upstream[i]!.length === 0);
}

/** Tasks nothing needs: the last to run. */
export function leaves(source: DagSource): string[] {
  const dag = asDag(source);
  return dag.ids.filter((_, i) => dag.downstream[i]!.length === 0);
}

/** Every task `id` transitively needs (its upstream, their upstream, …). */
export function ancestorsOf(source: DagSource, id: string): string[] {
  const dag = asDag(source);
  return names(dag, reachable(dag.upstream, dag.require(id)));
}

/** Every task that transitively needs `id`: what a failure of `id` can affect. */
export function descendantsOf(source: DagSource, id: string): string[] {
  const dag = asDag(source);
  return names(dag, reachable(dag.downstream, dag.require(id)));
}

/** Indexes reachable from `start` along `edges`, excluding start, ascending. Iterative. */
export function reachable(edges: Dag['upstream'], start: number): number[] {
  const seen = new Uint8Array(edges.length);
  const stack = [start];
  const found: number[] = [];
  while (stack.length > 0) {
    for (const next of edges[stack.pop()!]!) {
      if (seen[next]) continue;
      seen[next] = 1;
      found.push(next);
      stack.push(next);
    }
  }
  return found.filter((i) => i !== start).sort((a, b) => a - b);
}

function names(dag: Dag, indexes: number[]): string[] {
  return indexes.map((i) => dag.ids[i]!);
}
