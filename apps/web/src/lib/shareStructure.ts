// TanStack Query's structural sharing, with dates: our API's answers carry Date objects
// (superjson), which the library's own sharing treats as always new, so every re-read of a run
// made every task with a start time a "changed" object and re-rendered every row of it. Here a
// date equal in value is kept, and with it every unchanged task, row and bar.

const hasOwn = Object.prototype.hasOwnProperty;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `next`, with every part deeply equal to the same part of `prev` replaced by `prev`'s. */
export function shareStructure<T>(prev: unknown, next: T, depth = 0): T {
  if (prev === next) return next;
  if (prev instanceof Date && next instanceof Date)
    return (prev.getTime() === next.getTime() ? prev : next) as T;
  if (depth > 500) return next;
  const array = Array.isArray(prev) && Array.isArray(next);
  if (!array && !(isPlainObject(prev) && isPlainObject(next))) return next;
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const keys = array ? null : Object.keys(b);
  const size = array ? (next as unknown[]).length : keys!.length;
  const prevSize = array ? (prev as unknown[]).length : Object.keys(a).length;
  const copy: Record<string, unknown> = array ? (new Array(size) as never) : {};
  let equal = 0;
  for (let i = 0; i < size; i++) {
    const key = array ? String(i) : keys![i]!;
    const shared = shareStructure(a[key], b[key], depth + 1);
    copy[key] = shared;
    if (shared === a[key] && (array ? i < prevSize : hasOwn.call(a, key))) equal++;
  }
  return (size === prevSize && equal === prevSize ? prev : copy) as T;
}
