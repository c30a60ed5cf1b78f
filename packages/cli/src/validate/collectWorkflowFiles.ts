// Expands the paths given to `dtss validate` into workflow files, in a stable order.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { unreadable, type FileResult } from './validateFile';

const WORKFLOW_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Directories never searched: dependencies and tool state (.git, .dtss, …). */
const SKIPPED_DIRECTORY = (name: string) => name === 'node_modules' || name.startsWith('.');

/**
 * The files to validate, in the order given (directories expanded in place, duplicates dropped),
 * as the user would write them ("-" is standard input); paths that cannot be used come back as
 * failed results in their place.
 */
export async function collectWorkflowFiles(paths: string[]): Promise<Array<string | FileResult>> {
  const entries: Array<string | FileResult> = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = file === '-' ? '-' : path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      entries.push(file);
    }
  };
  for (const given of paths) {
    if (given === '-') {
      add(given);
      continue;
    }
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      entries.push(unreadable(given, error));
      continue;
    }
    if (!info.isDirectory()) {
      add(given);
      continue;
    }
    const found = await workflowFilesIn(given);
    if (found.length === 0) {
      const patterns = WORKFLOW_EXTENSIONS.map((e) => `*${e}`).join(', ');
      entries.push({
        file: given,
        ok: false,
        errors: [{ path: '', message: `no workflow files (${patterns}) in this directory` }],
      });
    }
    found.forEach(add);
  }
  return entries;
}

/** Workflow files under `dir`, recursively, sorted by path. */
async function workflowFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (entry) =>
        entry.isFile() && WORKFLOW_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()),
    )
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter(
      (file) => !path.relative(dir, file).split(path.sep).slice(0, -1).some(SKIPPED_DIRECTORY),
    )
    .sort();
}
