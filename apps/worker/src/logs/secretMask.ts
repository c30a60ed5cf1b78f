// Replaces secret values in log lines with ***. Values under 4 characters are not masked: they
// would turn ordinary words and numbers into *** everywhere and hide nothing worth hiding.
const MIN_LENGTH = 4;
export const MASK = '***';

/** Returns a masking function; identity when there is nothing to mask. */
export function secretMask(values: readonly string[]): (line: string) => string {
  const patterns = new Set<string>();
  for (const value of values) {
    if (value.length >= MIN_LENGTH) patterns.add(value);
    // Log lines never hold a newline: mask each line of a multi-line secret (a PEM key) too.
    for (const part of value.split(/\r?\n/))
      if (part.trim().length >= MIN_LENGTH) patterns.add(part);
  }
  if (patterns.size === 0) return (line) => line;
  // Longest first, so a secret containing another is masked whole.
  const sorted = [...patterns].sort((a, b) => b.length - a.length);
  const regex = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(regex, MASK);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
