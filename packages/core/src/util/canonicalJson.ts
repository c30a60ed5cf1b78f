// Canonical JSON: the byte-stable form a stored definition is hashed over.

/**
 * JSON with object keys sorted (by UTF-16 code units, like Array.prototype.sort) and no whitespace.
 * Two structurally equal values always give the same string, whatever their key order.
 * Throws on values JSON cannot represent faithfully (undefined at the top level, NaN, functions…)
 * rather than silently changing them, because the result feeds a content hash.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: non-finite number at ${where}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => write(item, `${where}[${i}]`)).join(',')}]`;
      }
      const entries = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => {
          const item = (value as Record<string, unknown>)[key];
          return `${JSON.stringify(key)}:${write(item, `${where}.${key}`)}`;
        });
      return `{${entries.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value} at ${where}`);
  }
}
