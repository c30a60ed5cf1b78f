// `dtss run <file-or-workflow>`: starts a run (saving the file's workflow first when given a file),
// and with --wait follows it to the end.
import { stat } from 'node:fs/promises';
import { WORKFLOW_NAME_PATTERN, type NormalizedWorkflow, type ParamsSpec } from '@dtss/core';
import {
  createRun,
  loadVersion,
  RunRequestError,
  saveWorkflowVersion,
  type CreateRunResult,
  type Pool,
} from '@dtss/db';
import type { Command } from 'commander';
import { withDatabase, type CliDatabase } from '../database/connect';
import { findTeamId } from '../database/findTeam';
import { CliError, reportFailure } from '../format/cliError';
import { formatRunRef, formatRunSummary } from '../format/runView';
import { formatText } from '../validate/formatResults';
import { validateFile } from '../validate/validateFile';
import { assembleParams, collect, parseParamFlags, parseParamsJson } from './runParams';
import { RunListener } from './runWait';

interface RunOptions {
  param?: string[];
  paramsJson?: string;
  idempotencyKey?: string;
  wait?: boolean;
  json?: boolean;
  team: string;
}

const DEFAULT_TEAM = 'demo';
/** Exit status after Ctrl-C, as shells report a SIGINT. */
const INTERRUPTED = 130;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a run of a workflow (a file is saved as a new version first)')
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
    .option('--wait', 'follow the run until it ends; exit 1 unless it succeeded')
    .option('--json', 'print JSON (with --wait: one line per change, then the run)')
    .option('--team <slug>', 'the team the workflow belongs to', DEFAULT_TEAM)
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 when the run was started (with --wait: when it succeeded), 1 otherwise,',
        '130 when --wait was interrupted (the run goes on).',
        '',
        'Examples:',
        '  dtss run examples/etl.yaml --param date=2024-01-31 --wait',
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
  // Input mistakes are reported before anything touches the database.
  const flags = parseParamFlags(options.param ?? []);
  const json = parseParamsJson(options.paramsJson);
  const file = await readWorkflowFile(target);
  if (file === 'invalid') return 1;

  return withDatabase(async (db) => {
    const teamId = await findTeamId(db.pool, options.team);
    const note = (text: string) =>
      (options.json ? process.stderr : process.stdout).write(`${text}\n`);
    let name = target;
    let spec: ParamsSpec | undefined;
    if (file) {
      name = file.name;
      spec = file.params;
      note(await saveFile(db, teamId, file));
    } else {
      spec = await currentParamsSpec(db.pool, teamId, name);
    }
    const params = assembleParams(spec, json, flags);

    // Listening starts before the run exists, so its first changes are not missed.
    const listener = options.wait ? await RunListener.open(db.pool) : null;
    try {
      const result = await startRun(db.pool, {
        teamId,
        name,
        params,
        idempotencyKey: options.idempotencyKey,
        looksLikeFile: !file && /\.(ya?ml|json)$/i.test(target),
      });
      if (!result.created) {
        note(
          `idempotency key "${options.idempotencyKey}" matched an existing run: nothing new was started`,
        );
      }
      if (!listener) {
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result.run, null, 2)}\n`
            : `${formatRunRef(result.run, name)}\n`,
        );
        return 0;
      }
      return await follow(listener, result, name, options.json === true);
    } finally {
      await listener?.close();
    }
  });
}

/** The workflow in `target` when it is a file; null when it names a workflow instead. */
async function readWorkflowFile(target: string): Promise<NormalizedWorkflow | null | 'invalid'> {
  const isFile = await stat(target).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile && WORKFLOW_NAME_PATTERN.test(target)) return null;
  const result = await validateFile(target);
  if (result.ok) return result.workflow;
  process.stderr.write(formatText([result]));
  return 'invalid';
}

async function saveFile(db: CliDatabase, teamId: string, definition: NormalizedWorkflow) {
  const saved = await saveWorkflowVersion(db.prisma(), { teamId, definition });
  const name = `workflow "${definition.name}"`;
  switch (saved.change) {
    case 'created':
      return `created ${name} (version ${saved.version})`;
    case 'updated':
      return `updated ${name} to version ${saved.version}`;
    case 'unchanged':
      return `${name} unchanged (version ${saved.version})`;
  }
}

/** The params a named workflow declares, to read `--param` strings by; undefined if not found. */
async function currentParamsSpec(
  pool: Pool,
  teamId: string,
  name: string,
): Promise<ParamsSpec | undefined> {
  const { rows } = await pool.query<{ current_version_id: string | null }>(
    `SELECT current_version_id FROM workflows
      WHERE team_id = $1 AND name = $2 AND archived_at IS NULL`,
    [teamId, name],
  );
  const versionId = rows[0]?.current_version_id;
  return versionId ? (await loadVersion(pool, versionId)).definition.params : undefined;
}

async function startRun(
  pool: Pool,
  input: {
    teamId: string;
    name: string;
    params: Record<string, unknown>;
    idempotencyKey?: string;
    looksLikeFile: boolean;
  },
): Promise<CreateRunResult> {
  try {
    return await createRun(pool, {
      teamId: input.teamId,
      workflow: { name: input.name },
      params: input.params,
      triggerKind: 'manual',
      idempotencyKey: input.idempotencyKey ?? null,
    });
  } catch (error) {
    if (!(error instanceof RunRequestError)) throw error;
    const details = error.details.map((d) => `${d.path}: ${d.message}`);
    if (error.code === 'unknown_workflow' && input.looksLikeFile) {
      details.push(`(and there is no file "${input.name}" either)`);
    }
    throw new CliError(`${error.message}; no run was started`, details);
  }
}

async function follow(
  listener: RunListener,
  result: CreateRunResult,
  name: string,
  json: boolean,
): Promise<number> {
  const { run } = result;
  if (!json) process.stdout.write(`${formatRunRef(run, name)}\n`);
  const onInterrupt = () => listener.interrupt();
  process.on('SIGINT', onInterrupt);
  try {
    const outcome = await listener.follow(run.id, { json, reconcileFirst: !result.created });
    if (outcome.interrupted) {
      const status = outcome.view?.status ?? run.status;
      process.stderr.write(
        `\nstopped waiting; run ${run.id} (#${run.number}) is still ${status} (it was not cancelled)\n` +
          `check on it with: dtss status ${run.id}\n`,
      );
      return INTERRUPTED;
    }
    const view = outcome.view!;
    process.stdout.write(json ? `${JSON.stringify(view)}\n` : `\n${formatRunSummary(view)}`);
    return view.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
