// `dtss cancel <run-id>`: stops a run. Tasks not started are cancelled; running ones are asked to
// stop (their workers end them), so the run ends shortly after.
import type { Command } from 'commander';
import { withApi } from '../api/connect';
import { reportFailure } from '../format/cliError';
import { runNotFound } from './runRef';

export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('cancel a run: pending tasks are cancelled, running ones are stopped')
    .argument('<run-id>', 'the id `dtss run` printed')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when the run exists (even if it had already ended), 1 otherwise.\n',
    )
    .action(async (runId: string, options: { json?: boolean }) => {
      try {
        const result = await withApi((api) =>
          runNotFound(runId, () => api.client.runs.cancel.mutate({ runId })),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ runId, ...result }, null, 2)}\n`);
        } else if (!result.accepted) {
          process.stdout.write(`run ${runId} had already ended; nothing to cancel\n`);
        } else {
          const stopping = result.stopping
            ? `; ${result.stopping} running task${result.stopping === 1 ? ' is' : 's are'} being stopped`
            : '';
          process.stdout.write(`cancelling run ${runId}${stopping}\n`);
        }
      } catch (error) {
        reportFailure(error);
      }
    });
}
