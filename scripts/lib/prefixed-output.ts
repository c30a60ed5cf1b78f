import readline from 'node:readline';
import type { Readable } from 'node:stream';

const COLORS = [36, 35, 33, 32, 34, 91, 96, 95];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
let next = 0;

/** A `[name]` prefix, colored per process on a terminal, padded so columns line up. */
export function makePrefix(name: string, width = 10): string {
  const label = `[${name}]`.padEnd(width + 2);
  if (!useColor) return label;
  const color = COLORS[next++ % COLORS.length];
  return `\x1b[${color}m${label}\x1b[0m`;
}

/** Copies a child's stream to ours line by line with its prefix. */
export function pipePrefixed(stream: Readable | null, prefix: string, out: NodeJS.WritableStream) {
  if (!stream) return;
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => out.write(`${prefix} ${line}\n`));
}

export function logger(name: string) {
  const prefix = makePrefix(name);
  return {
    info: (msg: string) => process.stdout.write(`${prefix} ${msg}\n`),
    error: (msg: string) => process.stderr.write(`${prefix} ${msg}\n`),
  };
}
