// `dtss schedules ls|preview|pause|resume`: the team's cron schedules. A schedule is named by id, or by
// its name when exactly one schedule has it.
import type { Command } from 'commander';
import { withApi, type Api } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';
import { formatTable } from '../format/table';
import { formatDateTime } from '../format/time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerSchedules(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('list, preview, pause and resume cron schedules');
  schedules
    .command('ls')
    .description("list the team's schedules with their next fire time")
    .option('--workflow <id>', 'only the schedules of this workflow (id)')
    .option('--json', 'print the list as JSON')
    .action(async (options: { workflow?: string; json?: boolean }) => {
      try {
        const list = await withApi((api) =>
          api.client.schedules.list.query(options.workflow ? { workflowId: options.workflow } : {}),
        );
        if (options.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        if (list.length === 0) return void process.stdout.write('no schedules\n');
        const rows = list.map((s) => [
          s.id,
          s.name,
          s.workflowName,
          `${s.cron} (${s.timezone})`,
          s.enabled ? 'active' : 'paused',
          s.enabled && s.nextFireAt ? formatDateTime(new Date(s.nextFireAt)) : '-',
        ]);
        const table = formatTable(['ID', 'NAME', 'WORKFLOW', 'CRON', 'STATE', 'NEXT FIRE'], rows);
        process.stdout.write(table.map((l) => `${l}\n`).join(''));
      } catch (error) {
        reportFailure(error);
      }
    });
  schedules
    .command('preview')
    .description("a schedule's next fire times (its time zone, start and end dates applied)")
    .argument('<schedule>', 'the schedule id, or its name')
    .option('--count <n>', 'how many fire times (1-100)', '10')
    .option('--json', 'print a JSON array of UTC instants')
    .action(async (ref: string, options: { count: string; json?: boolean }) => {
      try {
        const count = Number(options.count);
        if (!Number.isInteger(count) || count < 1 || count > 100) {
          throw new CliError(`--count must be an integer from 1 to 100, got "${options.count}"`);
        }
        const preview = await withApi(async (api) => {
          const scheduleId = await resolveSchedule(api, ref);
          return api.client.schedules.preview.query({ scheduleId, count });
        });
        const fires = preview.fires.map((f) => new Date(f).toISOString().replace(/\.000Z$/, 'Z'));
        if (options.json) return void process.stdout.write(`${JSON.stringify(fires)}\n`);
        if (fires.length === 0) return void process.stdout.write('no upcoming fires\n');
        const local = new Intl.DateTimeFormat('en-CA', {
          timeZone: preview.timezone,
          dateStyle: 'short',
          timeStyle: 'medium',
          hourCycle: 'h23',
        });
        const lines = fires.map((f) => `${f}  ${local.format(new Date(f))} ${preview.timezone}`);
        process.stdout.write(lines.map((l) => `${l}\n`).join(''));
      } catch (error) {
        reportFailure(error);
      }
    });
  for (const action of ['pause', 'resume'] as const) {
    schedules
      .command(action)
      .description(
        action === 'pause' ? 'stop a schedule from firing' : 'let a paused schedule fire again',
      )
      .argument('<schedule>', 'the schedule id, or its name')
      .option('--json', 'print the schedule as JSON')
      .action(async (ref: string, options: { json?: boolean }) => {
        try {
          const schedule = await withApi(async (api) => {
            const scheduleId = await resolveSchedule(api, ref);
            return api.client.schedules[action].mutate({ scheduleId });
          });
          process.stdout.write(
            options.json
              ? `${JSON.stringify(schedule, null, 2)}\n`
              : `${action === 'pause' ? 'paused' : 'resumed'} schedule ${schedule.name} (${schedule.id})\n`,
          );
        } catch (error) {
          reportFailure(error);
        }
      });
  }
}

async function resolveSchedule(api: Api, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const matches = (await api.client.schedules.list.query({})).filter((s) => s.name === ref);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0)
    throw new CliError(`no schedule named "${ref}" (see \`dtss schedules ls\`)`);
  throw new CliError(`${matches.length} schedules are named "${ref}"; use the id instead`, [
    ...matches.map((s) => `${s.id}  (workflow ${s.workflowName})`),
  ]);
}
