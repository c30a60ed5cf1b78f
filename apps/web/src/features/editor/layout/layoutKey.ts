// A cache key for a layout: the graph's structure (ids and edges, sorted), hashed.
import { canonicalGraph, type LayoutDirection, type LayoutEdge } from './graph';

/**
 * Equal for graphs with the same task ids and edges whatever their order (duplicate edges, edges
 * to unknown ids and self-loops do not count, as computeLayout ignores them); node sizes are not
 * part of it. Format: `<nodes>n<edges>e-<direction>-<hash>`.
 */
export function layoutKey(
  input: { nodes: readonly { id: string }[]; edges: readonly LayoutEdge[] },
  direction: LayoutDirection = 'LR',
): string {
  const { nodes, edges } = canonicalGraph(input);
  const text = JSON.stringify([
    nodes.map((node) => node.id),
    edges.map((e) => [e.source, e.target]),
  ]);
  return `${nodes.length}n${edges.length}e-${direction}-${hash53(text)}`;
}

/**
 * cyrb53 (public domain): a fast 53-bit non-cryptographic string hash, as 14 hex digits. Enough to
 * tell graph structures apart in a per-tab cache; not for anything adversarial.
 */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(16).padStart(14, '0');
}
