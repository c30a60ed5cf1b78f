// Reads and validates one workflow file.
import { readFile } from 'node:fs/promises';
import {
  parseWorkflowText,
  type NormalizedWorkflow,
  type ValidationError,
  type WorkflowSummary,
} from '@dtss/core';

export type FileResult =
  | { file: string; ok: true; summary: WorkflowSummary; workflow: NormalizedWorkflow }
  | { file: string; ok: false; errors: ValidationError[] };

export async function validateFile(
  file: string,
  options: { format?: 'yaml' | 'json' } = {},
): Promise<FileResult> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    return unreadable(file, error);
  }
  const result = parseWorkflowText(text, { filename: file, format: options.format });
  return result.ok
    ? { file, ok: true, summary: result.summary, workflow: result.workflow }
    : { file, ok: false, errors: result.errors };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A file that could not be read, as a failed result with the reason in plain words. */
export function unreadable(file: string, error: unknown): FileResult {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (error as Error).message;
  return { file, ok: false, errors: [{ path: '', message: `cannot read: ${reason}` }] };
}
