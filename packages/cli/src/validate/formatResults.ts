// How `dtss validate` reports: one line per error or valid file, or one JSON document.
import { formatSummary, formatValidationError } from '@dtss/core';
import type { FileResult } from './validateFile';

/** `file: path: message` per error, `file: ok — summary` per valid file, a total for several files. */
export function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.ok) {
      lines.push(`${result.file}: ok — ${formatSummary(result.summary)}`);
      continue;
    }
    for (const error of result.errors) {
      // Errors without a path (syntax errors) say where they are in the file instead.
      const where =
        error.path === '' && error.line !== undefined
          ? `line ${error.line}, column ${error.column}: `
          : '';
      lines.push(`${result.file}: ${where}${formatValidationError(error)}`);
    }
  }
  if (results.length > 1) {
    const invalid = results.filter((r) => !r.ok).length;
    lines.push(
      invalid === 0
        ? `${results.length} files, all valid`
        : `${results.length} files, ${invalid} invalid`,
    );
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** `{ ok, files: [{ file, ok, summary, workflow? } | { file, ok, errors }] }`, errors with line/column. */
export function formatJson(results: FileResult[], options: { normalized: boolean }): string {
  const files = results.map((result) => {
    if (!result.ok) return { file: result.file, ok: false, errors: result.errors };
    return {
      file: result.file,
      ok: true,
      summary: result.summary,
      ...(options.normalized ? { workflow: result.workflow } : {}),
    };
  });
  return `${JSON.stringify({ ok: results.every((r) => r.ok), files }, null, 2)}\n`;
}
