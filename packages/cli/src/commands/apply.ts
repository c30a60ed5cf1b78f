// `dtss apply -f <file|dir>...`: creates or updates workflows on the server from files. Every
// file is checked first; if any is invalid, nothing is applied.
import type { Command } from 'commander';
import { withApi } from '../api/connect';
import { reportFailure } from '../format/cliError';
import { collectWorkflowFiles } from '../validate/collectWorkflowFiles';
import { formatText } from '../validate/formatResults';
import {
  applyWorkflow,
  describeApplied,
  readWorkflowFile,
  type Applied,
  type LocalWorkflow,
} from '../workflows/applyFile';
import { collect } from './runParams';

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('create or update workflows on the server from files (YAML or JSON)')
    .requiredOption(
      '-f, --file <path>',
      'a workflow file or a directory of them (repeatable)',
      collect,
    )
    .option('--json', 'print one result per workflow as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Prints per workflow whether it was created, updated (a new version) or unchanged.',
        'Every file is validated first: when one is invalid, nothing is applied.',
        'Exit status: 0 when every workflow was applied, 1 otherwise.',
        '',
        'Examples:',
        '  dtss apply -f examples/',
        '  dtss apply -f etl.yaml -f reports.yaml --json',
        '',
      ].join('\n'),
    )
    .action(async (options: { file: string[]; json?: boolean }) => {
      try {
        process.exitCode = await applyCommand(options.file, options.json === true);
      } catch (error) {
        reportFailure(error);
      }
    });
}

async function applyCommand(paths: string[], json: boolean): Promise<number> {
  const locals: LocalWorkflow[] = [];
  let reports = '';
  for (const entry of await collectWorkflowFiles(paths)) {
    if (typeof entry !== 'string') {
      reports += formatText([entry]);
      continue;
    }
    const read = await readWorkflowFile(entry);
    if (read.ok) locals.push(read.value);
    else reports += read.report;
  }
  if (reports) {
    process.stderr.write(`${reports}nothing was applied\n`);
    return 1;
  }
  if (locals.length === 0) {
    process.stderr.write(
      `error: no workflow files (*.yaml, *.yml, *.json) in ${paths.join(', ')}\n`,
    );
    return 1;
  }
  return withApi(async (api) => {
    const applied: Applied[] = [];
    for (const local of locals) {
      const result = await applyWorkflow(api, local);
      applied.push(result);
      if (!json) process.stdout.write(`${describeApplied(result)}  (${local.file})\n`);
    }
    if (json) process.stdout.write(`${JSON.stringify(applied, null, 2)}\n`);
    return 0;
  });
}
