// Decides whether an event payload passes a trigger's filter (triggerSchema's filter language).
import type { FilterCondition, Scalar } from '../definition/triggerSchema';

/**
 * Every condition must hold. A condition names a dot path into the payload ("order.status");
 * a path that does not exist never matches, not even `{ equals: null }`, so a typo in a filter
 * cannot silently match every event.
 */
export function matchFilter(
  filter: Readonly<Record<string, FilterCondition>> | null | undefined,
  payload: unknown,
): boolean {
  if (!filter) return true;
  for (const [path, condition] of Object.entries(filter)) {
    const found = valueAt(payload, path);
    if (!found.exists || !isScalar(found.value)) return false;
    const value = found.value;
    if ('equals' in condition) {
      if (value !== condition.equals) return false;
    } else if (!condition.in.includes(value)) return false;
  }
  return true;
}

function valueAt(root: unknown, path: string): { exists: boolean; value?: unknown } {
  let current = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else return { exists: false };
    if (current === undefined) return { exists: false };
  }
  return { exists: true, value: current };
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
