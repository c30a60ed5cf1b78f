// The graph handed to a layout, in one canonical form: what computeLayout lays out and what
// layoutKey hashes are the same thing, so a cached layout always matches a fresh one.

export type Pos = { x: number; y: number };
export type LayoutDirection = 'LR' | 'TB';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Nodes sorted by id (first of duplicates wins); edges between known nodes, no self-loops, no duplicates, sorted. */
export function canonicalGraph<N extends { id: string }>(input: {
  nodes: readonly N[];
  edges: readonly LayoutEdge[];
}): { nodes: N[]; edges: LayoutEdge[] } {
  const byId = new Map<string, N>();
  for (const node of input.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const nodes = [...byId.keys()].sort(compare).map((id) => byId.get(id)!);
  const seen = new Set<string>();
  const edges: LayoutEdge[] = [];
  for (const { source, target } of input.edges) {
    if (source === target || !byId.has(source) || !byId.has(target)) continue;
    const key = JSON.stringify([source, target]);
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source, target });
  }
  edges.sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target));
  return { nodes, edges };
}

/** Code-unit order: the same in every locale and runtime (localeCompare is not). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
