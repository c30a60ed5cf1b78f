// `dtss rerun <run-id>`: a new run of the same version and params that re-runs the failed part of
// a finished run (its succeeded tasks are copied with their outputs), or one task with or without
// its downstream tasks.
import type { Command } from 'commander';
import { withApi } from '../api/connect';
import { reportFailure } from '../format/cliError';
import { runNotFound } from './runRef';

export function registerRerun(program: Command): void {
  program
    .command('rerun')
    .description('re-run a finished run from its failed tasks, or from one task')
    .argument('<run-id>', 'the finished run')
    .option('--task <key>', 're-run this task (and, unless --no-downstream, what depends on it)')
    .option('--no-downstream', 'with --task: re-run only that task')
    .option('--json', 'print the new run as JSON')
    .addHelpText(
      'after',
      '\nSucceeded tasks outside the re-run part keep their outputs, so downstream templates see them.\n',
    )
    .action(
      async (runId: string, options: { task?: string; downstream: boolean; json?: boolean }) => {
        try {
          const mode = options.task
            ? { task: options.task, downstream: options.downstream }
            : ('failed' as const);
          const run = await withApi((api) =>
            runNotFound(runId, () => api.client.runs.rerun.mutate({ runId, mode })),
          );
          process.stdout.write(
            options.json
              ? `${JSON.stringify(run, null, 2)}\n`
              : `started run #${run.number} (${run.id}), re-running ${
                  options.task
                    ? `task ${options.task}${options.downstream ? ' and its downstream tasks' : ''}`
                    : 'the failed tasks'
                } of ${runId}: ${run.status}\n`,
          );
        } catch (error) {
          reportFailure(error);
        }
      },
    );
}
