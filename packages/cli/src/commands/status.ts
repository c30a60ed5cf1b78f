// `dtss status <run-id>`: one run with its tasks, as a table or as the RunView JSON.
import type { Command } from 'commander';
import { withApi } from '../api/connect';
import { reportFailure } from '../format/cliError';
import { formatRunStatus } from '../format/runView';
import { runNotFound } from './runRef';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show a run: its status, timing and the state of each task')
    .argument('<run-id>', 'the id `dtss run` printed')
    .option('--json', 'print the run as JSON (dates as ISO strings)')
    .addHelpText('after', '\nExit status: 0 when the run exists, 1 otherwise.\n')
    .action(async (runId: string, options: { json?: boolean }) => {
      try {
        const view = await withApi((api) =>
          runNotFound(runId, () => api.client.runs.get.query({ runId })),
        );
        process.stdout.write(
          options.json ? `${JSON.stringify(view, null, 2)}\n` : formatRunStatus(view),
        );
      } catch (error) {
        reportFailure(error);
      }
    });
}
