// `dtss run <file-or-workflow>`: starts a run through the API (a file is applied first), and with
// --wait follows it over the server's live streams to the end, printing task changes and logs.
import { stat } from 'node:fs/promises';
import { WORKFLOW_NAME_PATTERN, type ParamsSpec } from '@dtss/core';
import { TRPCClientError } from '@dtss/client';
import type { Command } from 'commander';
import { withApi, type Api } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';
import { formatRunRef, formatRunSummary } from '../format/runView';
import {
  applyWorkflow,
  describeApplied,
  readWorkflowFile,
  type LocalWorkflow,
} from '../workflows/applyFile';
import { followRun } from './followRun';
import { assembleParams, collect, parseParamFlags, parseParamsJson } from './runParams';

interface RunOptions {
  param?: string[];
  paramsJson?: string;
  idempotencyKey?: string;
  wait?: boolean;
  logs: boolean;
  json?: boolean;
}

/** Exit status after Ctrl-C, as shells report a SIGINT. */
const INTERRUPTED = 130;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a run of a workflow (a file is applied as a new version first)')
    .argument(
      '<file-or-workflow>',
      'a workflow file (.yaml, .yml, .json) or the name of a workflow',
    )
    .option(
      '--param <name=value>',
      'a param value, read as its declared type (repeatable)',
      collect,
    )
    .option('--params-json <json>', 'params as a JSON object ("--param" values win)')
    .option('--idempotency-key <key>', 'start at most one run per key (the same key returns it)')
    .option('--wait', 'follow the run and its logs until it ends; exit 1 unless it succeeded')
    .option('--no-logs', 'with --wait: task changes only, no log lines')
    .option('--json', 'print JSON (with --wait: one object per line, then the run)')
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 when the run was started (with --wait: when it succeeded), 1 otherwise,',
        '130 when --wait was interrupted (the run goes on).',
        '',
        'With --wait --json, each line is {"type":"status",…} (a change) or {"type":"log",…} (a',
        'log line); the last line is the finished run.',
        '',
        'Examples:',
        '  dtss run examples/daily-etl.yaml --param table=refunds --wait',
        '  dtss run etl --params-json \'{"limit": 10}\' --idempotency-key etl-2024-01-31',
        '',
      ].join('\n'),
    )
    .action(async (target: string, options: RunOptions) => {
      try {
        process.exitCode = await runCommand(target, options);
      } catch (error) {
        reportFailure(error);
      }
    });
}

async function runCommand(target: string, options: RunOptions): Promise<number> {
  // Input mistakes are reported before anything reaches the server.
  const flags = parseParamFlags(options.param ?? []);
  const json = parseParamsJson(options.paramsJson);
  const file = await localFile(target);
  if (file === 'invalid') return 1;
  const note = (text: string) =>
    (options.json ? process.stderr : process.stdout).write(`${text}\n`);

  return withApi(async (api) => {
    let name = target;
    let spec: ParamsSpec | undefined;
    if (file) {
      name = file.workflow.name;
      spec = file.workflow.params;
      note(describeApplied(await applyWorkflow(api, file)));
    } else {
      spec = await currentParamsSpec(api, name);
    }
    const result = await trigger(api, {
      name,
      params: assembleParams(spec, json, flags),
      idempotencyKey: options.idempotencyKey,
      looksLikeFile: !file && /\.(ya?ml|json)$/i.test(target),
    });
    if (!result.created) {
      note(
        `idempotency key "${options.idempotencyKey}" matched an existing run: nothing new was started`,
      );
    }
    if (!options.wait) {
      process.stdout.write(
        options.json
          ? `${JSON.stringify(result.run, null, 2)}\n`
          : `${formatRunRef(result.run, name)}\n`,
      );
      return 0;
    }
    if (!options.json) process.stdout.write(`${formatRunRef(result.run, name)}\n`);
    return follow(api, result.run, options);
  });
}

/** The workflow in `target` when it is a file; null when it names a workflow instead. */
async function localFile(target: string): Promise<LocalWorkflow | null | 'invalid'> {
  const isFile = await stat(target).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile && WORKFLOW_NAME_PATTERN.test(target)) return null;
  const read = await readWorkflowFile(target);
  if (read.ok) return read.value;
  process.stderr.write(read.report);
  return 'invalid';
}

/** The params a named workflow declares, to read `--param` strings by; undefined if not found. */
async function currentParamsSpec(api: Api, name: string): Promise<ParamsSpec | undefined> {
  try {
    const workflow = await api.client.workflows.get.query({ workflow: name });
    return (workflow.currentVersion?.definition as { params?: ParamsSpec } | undefined)?.params;
  } catch (error) {
    // An unknown workflow is reported by the trigger, with the other refusals.
    if (error instanceof TRPCClientError && error.data?.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

async function trigger(
  api: Api,
  input: {
    name: string;
    params: Record<string, unknown>;
    idempotencyKey?: string;
    looksLikeFile: boolean;
  },
) {
  try {
    return await api.client.runs.trigger.mutate({
      workflow: input.name,
      params: input.params,
      idempotencyKey: input.idempotencyKey,
    });
  } catch (error) {
    if (!(error instanceof TRPCClientError) || !error.data) throw error;
    const code = error.data.code as string;
    if (code !== 'NOT_FOUND' && code !== 'BAD_REQUEST') throw error;
    const issues = ((error.data.issues ?? []) as { path: string; message: string }[]).map(
      (i) => `${i.path}: ${i.message}`,
    );
    if (code === 'NOT_FOUND' && input.looksLikeFile) {
      issues.push(`(and there is no file "${input.name}" either)`);
    }
    throw new CliError(`${error.message}; no run was started`, issues);
  }
}

async function follow(
  api: Api,
  run: { id: string; number: number; status: string },
  options: RunOptions,
): Promise<number> {
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.on('SIGINT', onInterrupt);
  try {
    const outcome = await followRun(api, run.id, {
      json: options.json === true,
      logs: options.logs,
      signal: abort.signal,
    });
    if (outcome.interrupted) {
      const status = outcome.view?.status ?? run.status;
      process.stderr.write(
        `\nstopped waiting; run ${run.id} (#${run.number}) is still ${status} (it was not cancelled)\n` +
          `check on it with: dtss status ${run.id}\n`,
      );
      return INTERRUPTED;
    }
    const view = outcome.view!;
    process.stdout.write(
      options.json ? `${JSON.stringify(view)}\n` : `\n${formatRunSummary(view)}`,
    );
    return view.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
