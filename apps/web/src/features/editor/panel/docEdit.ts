/**
 * Immutable edits of a plain document by path. An empty value (undefined, '', empty map or list)
 * removes the key, so the YAML stays as short as a person would write it.
 */
export function setIn<T extends Record<string, unknown>>(
  obj: T,
  path: readonly string[],
  value: unknown,
): T {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const copy: Record<string, unknown> = { ...obj };
  const next = rest.length
    ? setIn((isRecord(obj[head]) ? obj[head] : {}) as Record<string, unknown>, rest, value)
    : value;
  if (isEmpty(next)) delete copy[head];
  else copy[head] = next;
  return copy as T;
}

export function getIn(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (isRecord(v) && Object.keys(v).length === 0)
  );
}

/** A number typed in a field: '' is unset, anything unparsable is kept as text for the validator. */
export function numberOrText(text: string): unknown {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
