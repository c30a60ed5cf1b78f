// Layers of a DAG: layer 0 holds the roots, each later layer the tasks whose upstream all sit in
// earlier layers (a task's layer is its longest distance from a root). Within a layer, tasks keep
// their definition order, so the result is stable for a given definition.
import { asDag, type Dag, type DagSource } from './buildDag';

export function topologicalLayers(source: DagSource): string[][] {
  const dag = asDag(source);
  return layerIndexes(dag).map((layer) => layer.map((i) => dag.ids[i]!));
}

/** Layers as task indexes. Throws if the graph has a cycle (validation reports cycles first). */
export function layerIndexes(dag: Dag): number[][] {
  const { layers, placed } = kahnLayers(dag);
  if (placed < dag.ids.length) throw new Error('the task graph has a dependency cycle');
  return layers;
}

/** Kahn's algorithm by levels; `placed` < task count means the rest lies on or behind a cycle. */
export function kahnLayers(dag: Dag): { layers: number[][]; placed: number } {
  const remaining = dag.upstream.map((ups) => ups.length);
  const layers: number[][] = [];
  let current: number[] = [];
  remaining.forEach((count, i) => {
    if (count === 0) current.push(i);
  });
  let placed = 0;
  while (current.length > 0) {
    layers.push(current);
    placed += current.length;
    const next: number[] = [];
    for (const i of current) {
      for (const j of dag.downstream[i]!) {
        remaining[j]!--;
        if (remaining[j] === 0) next.push(j);
      }
    }
    current = next.sort((a, b) => a - b);
  }
  return { layers, placed };
}
