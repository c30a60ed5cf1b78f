// `dtss ls workflows|runs|workers`: lists as tables (or JSON), newest or alphabetical first.
import { RUN_STATUSES, type RunStatus } from '@dtss/core';
import { Argument, InvalidArgumentError, type Command } from 'commander';
import { withApi } from '../api/connect';
import { reportFailure } from '../format/cliError';
import { formatTable, truncate } from '../format/table';
import { formatDateTime, formatElapsed } from '../format/time';

interface LsOptions {
  json?: boolean;
  limit: number;
  workflow?: string;
  status?: RunStatus[];
  all?: boolean;
}

export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('list workflows, runs or workers')
    .addArgument(new Argument('<what>', 'what to list').choices(['workflows', 'runs', 'workers']))
    .option('--limit <n>', 'at most this many (default 50, at most 200)', limit, 50)
    .option('--workflow <name>', 'runs: only of this workflow (name or id)')
    .option(
      '--status <status>',
      `runs: only with this status (repeatable: ${RUN_STATUSES.join(', ')})`,
      status,
    )
    .option('--all', 'workflows: archived ones too; workers: also those that stopped')
    .option('--json', 'print the list as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  dtss ls runs --workflow daily-etl --status failed\n  dtss ls workers --json\n',
    )
    .action(async (what: 'workflows' | 'runs' | 'workers', options: LsOptions) => {
      try {
        const text = await withApi(async (api) => {
          switch (what) {
            case 'workflows': {
              const page = await api.client.workflows.list.query({
                limit: options.limit,
                includeArchived: options.all === true,
              });
              if (options.json) return json(page.items);
              return table(
                ['NAME', 'VERSION', 'LAST RUN', 'UPDATED', 'TAGS'],
                page.items.map((w) => [
                  w.archivedAt ? `${w.name} (archived)` : w.paused ? `${w.name} (paused)` : w.name,
                  w.currentVersion === null ? '-' : String(w.currentVersion),
                  w.lastRun ? `#${w.lastRun.number} ${w.lastRun.status}` : '-',
                  formatDateTime(new Date(w.updatedAt)),
                  w.tags.join(',') || '-',
                ]),
                'no workflows yet (add some with `dtss apply -f <file>`)',
              );
            }
            case 'runs': {
              const page = await api.client.runs.list.query({
                limit: options.limit,
                workflow: options.workflow,
                status: options.status,
              });
              if (options.json) return json(page.items);
              return table(
                ['RUN', 'WORKFLOW', '#', 'STATUS', 'TASKS', 'TRIGGER', 'CREATED', 'DURATION'],
                page.items.map((r) => [
                  r.id,
                  r.workflowName,
                  String(r.number),
                  r.status,
                  `${r.tasksDone}/${r.tasksTotal}${r.tasksFailed ? ` (${r.tasksFailed} failed)` : ''}`,
                  r.triggerKind,
                  formatDateTime(new Date(r.createdAt)),
                  r.startedAt
                    ? formatElapsed(
                        new Date(r.finishedAt ?? Date.now()).getTime() -
                          new Date(r.startedAt).getTime(),
                      )
                    : '-',
                ]),
                'no runs',
              );
            }
            case 'workers': {
              const workers = await api.client.workers.list.query({
                onlineOnly: options.all !== true,
              });
              if (options.json) return json(workers);
              return table(
                ['NAME', 'STATUS', 'HOST', 'PID', 'POOLS', 'TASKS', 'LAST HEARTBEAT'],
                workers.map((w) => [
                  w.name,
                  w.status,
                  truncate(w.hostname, 30),
                  String(w.pid),
                  w.pools.join(','),
                  `${w.runningTasks}/${w.concurrency}`,
                  formatDateTime(new Date(w.lastHeartbeatAt)),
                ]),
                options.all
                  ? 'no workers have ever registered'
                  : 'no workers online (`--all` lists stopped ones)',
              );
            }
          }
        });
        process.stdout.write(text);
      } catch (error) {
        reportFailure(error);
      }
    });
}

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('expected 1 to 200');
  return n;
}

function status(value: string, previous: RunStatus[] = []): RunStatus[] {
  if (!(RUN_STATUSES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${RUN_STATUSES.join(', ')}`);
  }
  return [...previous, value as RunStatus];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  return formatTable(headers, rows)
    .map((l) => `${l}\n`)
    .join('');
}
