// Saving a workflow file on the server (workflows.applyDefinition): the file is checked here first, so its
// mistakes are reported as `file: path: message` without a round trip.
import { readFile } from 'node:fs/promises';
import { parseWorkflowText, type NormalizedWorkflow } from '@dtss/core';
import type { Api } from '../api/connect';
import { formatText } from '../validate/formatResults';
import { unreadable } from '../validate/validateFile';

export interface LocalWorkflow {
  file: string;
  text: string;
  format: 'yaml' | 'json';
  workflow: NormalizedWorkflow;
}

export type LocalResult = { ok: true; value: LocalWorkflow } | { ok: false; report: string };

/** The file's text and workflow, or the report of why it is not a valid workflow. */
export async function readWorkflowFile(file: string): Promise<LocalResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, report: formatText([unreadable(file, error)]) };
  }
  const format = /\.json$/i.test(file) ? 'json' : 'yaml';
  const parsed = parseWorkflowText(text, { filename: file, format });
  if (!parsed.ok)
    return { ok: false, report: formatText([{ file, ok: false, errors: parsed.errors }]) };
  return { ok: true, value: { file, text, format, workflow: parsed.workflow } };
}

export interface Applied {
  file: string;
  name: string;
  workflowId: string;
  change: 'created' | 'updated' | 'unchanged';
  version: number;
}

export async function applyWorkflow(api: Api, local: LocalWorkflow): Promise<Applied> {
  const saved = await api.client.workflows.applyDefinition.mutate({
    text: local.text,
    format: local.format,
  });
  return {
    file: local.file,
    name: saved.name,
    workflowId: saved.workflowId,
    change: saved.change,
    version: saved.version,
  };
}

/** `created workflow "etl" (version 1)`, `updated …`, `workflow "etl" unchanged (version 3)`. */
export function describeApplied(a: Pick<Applied, 'name' | 'change' | 'version'>): string {
  const name = `workflow "${a.name}"`;
  switch (a.change) {
    case 'created':
      return `created ${name} (version ${a.version})`;
    case 'updated':
      return `updated ${name} to version ${a.version}`;
    case 'unchanged':
      return `${name} unchanged (version ${a.version})`;
  }
}
