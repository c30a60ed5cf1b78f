// `dtss logs <run-id>`: a run's log lines over the server's log stream; --follow keeps printing
// new lines until the run ends (a dropped connection resumes without gaps).
import { DtssHttpError, tailLogs } from '@dtss/client';
import { InvalidArgumentError, type Command } from 'commander';
import { withApi } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';
import { formatLogChunk } from '../format/logLine';

interface LogsOptions {
  task?: string;
  attempt?: number;
  follow?: boolean;
  json?: boolean;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("print a run's log lines (all tasks, or one)")
    .argument('<run-id>', 'the id `dtss run` printed')
    .option('--task <key>', 'only this task (lines are printed without the task in front)')
    .option('--attempt <n>', 'with --task: only this attempt (1, 2, …)', positiveInt)
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .option('--json', 'print one JSON object per line')
    .addHelpText(
      'after',
      [
        '',
        'Lines read `task | text` (`task#2 | text` for a later attempt).',
        'Exit status: 0 when the run exists, 1 otherwise; 130 when --follow was interrupted.',
        '',
        'Examples:',
        '  dtss logs 0b6c…  --follow',
        '  dtss logs 0b6c…  --task extract --attempt 2',
        '',
      ].join('\n'),
    )
    .action(async (runId: string, options: LogsOptions) => {
      try {
        process.exitCode = await logsCommand(runId, options);
      } catch (error) {
        reportFailure(error);
      }
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a number ≥ 1');
  return n;
}

async function logsCommand(runId: string, options: LogsOptions): Promise<number> {
  if (options.attempt !== undefined && options.task === undefined) {
    throw new CliError('--attempt needs --task');
  }
  const abort = new AbortController();
  const onInterrupt = () => abort.abort();
  process.on('SIGINT', onInterrupt);
  try {
    return await withApi(async (api) => {
      const format = { json: options.json === true, prefix: options.task === undefined, runId };
      const stream = tailLogs(api.url, api.token, runId, {
        task: options.task,
        attempt: options.attempt,
        follow: options.follow === true,
        signal: abort.signal,
      });
      try {
        for await (const chunk of stream) process.stdout.write(formatLogChunk(chunk, format));
      } catch (error) {
        if (abort.signal.aborted) return 130;
        if (error instanceof DtssHttpError && error.status === 404)
          throw new CliError(error.message);
        throw error;
      }
      return 0;
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
