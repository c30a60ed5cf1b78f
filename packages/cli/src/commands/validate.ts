// `dtss validate <path...>`: checks workflow files offline, without a database.
import { Option, type Command } from 'commander';
import { collectWorkflowFiles } from '../validate/collectWorkflowFiles';
import { formatJson, formatText } from '../validate/formatResults';
import { validateFile, type FileResult } from '../validate/validateFile';

interface ValidateOptions {
  json?: boolean;
  normalized?: boolean;
  format?: 'yaml' | 'json';
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check workflow files (YAML or JSON); directories are searched for *.yaml, *.yml, *.json',
    )
    .argument('<paths...>', 'workflow files or directories; "-" reads standard input')
    .option('--json', 'print a machine-readable result')
    .option('--normalized', 'with --json, include the normalized workflow of each valid file')
    .addOption(
      new Option(
        '--format <format>',
        'read every file as this format instead of going by extension',
      ).choices(['yaml', 'json']),
    )
    .addHelpText(
      'after',
      '\nExit status: 0 when every file is valid, 1 otherwise.\n\nExample:\n  dtss validate examples/\n',
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      const results: FileResult[] = [];
      for (const entry of await collectWorkflowFiles(paths)) {
        results.push(
          typeof entry === 'string' ? await validateFile(entry, { format: options.format }) : entry,
        );
      }
      process.stdout.write(
        options.json
          ? formatJson(results, { normalized: options.normalized === true })
          : formatText(results),
      );
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    });
}
