// The output contract: how a process task hands a JSON value to downstream tasks.
//
// 1. Lines: a stdout line `::output:: {json}` sets the output; the last such line wins. The line
//    still goes to the log like any other.
// 2. File: the executor sets DTSS_OUTPUT_FILE to a path in the attempt's temp dir (unless the
//    engine set one). If the task wrote JSON there, that is the output and lines are ignored:
//    the way out for values awkward to print on one line.
//
// Either way the JSON text is at most MAX_OUTPUT_BYTES. Invalid JSON or an oversized value fails
// the attempt with a message saying which.
import { readFile, stat } from 'node:fs/promises';
import type { JsonValue } from '@dtss/core';
import { formatBytes } from './formatBytes';

export const OUTPUT_PREFIX = '::output::';
export const MAX_OUTPUT_BYTES = 1024 * 1024;
export const OUTPUT_FILE_ENV = 'DTSS_OUTPUT_FILE';

export type OutputResult =
  { ok: true; output: JsonValue | undefined } | { ok: false; error: string };

/** Watches stdout lines and remembers the last `::output::` one; parsed once, at the end. */
export class OutputLines {
  private last: { text: string; cutChars: number } | null = null;

  /** `cutChars`: characters the line splitter dropped from this line (it was over its limit). */
  observe(line: string, cutChars = 0): void {
    if (line.startsWith(OUTPUT_PREFIX)) {
      this.last = { text: line.slice(OUTPUT_PREFIX.length), cutChars };
    }
  }

  result(): OutputResult {
    if (!this.last) return { ok: true, output: undefined };
    const { text, cutChars } = this.last;
    // Cut characters are at least one byte each: a lower bound is enough to refuse.
    if (cutChars > 0) return { ok: false, error: tooLarge(Buffer.byteLength(text) + cutChars) };
    return parseOutput(text.trim(), 'output');
  }
}

export function parseOutput(text: string, what: string): OutputResult {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_OUTPUT_BYTES) return { ok: false, error: tooLarge(bytes, what) };
  try {
    return { ok: true, output: JSON.parse(text) as JsonValue };
  } catch (err) {
    return {
      ok: false,
      error: `${what} is not valid JSON: ${(err as Error).message} (in ${preview(text)})`,
    };
  }
}

/** The output file's value, or null when the task did not write one (absent or empty). */
export async function readOutputFile(path: string): Promise<OutputResult | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return null;
  }
  const what = `output file ${OUTPUT_FILE_ENV}`;
  if (size > MAX_OUTPUT_BYTES) return { ok: false, error: tooLarge(size, what) };
  const text = (await readFile(path, 'utf8')).trim();
  return text === '' ? null : parseOutput(text, what);
}

/** The attempt's output: the file when written, else the last output line. */
export async function collectOutput(
  lines: OutputLines,
  outputFile: string | undefined,
): Promise<OutputResult> {
  const fromFile = outputFile ? await readOutputFile(outputFile) : null;
  return fromFile ?? lines.result();
}

function tooLarge(bytes: number, what = 'output'): string {
  return `${what} is ${formatBytes(bytes)}, over the ${formatBytes(MAX_OUTPUT_BYTES)} limit`;
}

function preview(text: string): string {
  return text.length <= 80 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 80))}…`;
}
