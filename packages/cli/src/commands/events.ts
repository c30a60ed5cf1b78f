// `dtss events publish <name> --data '<json>'`: records an event; the workflows whose event
// triggers match it start, and their runs are listed.
import type { Command } from 'commander';
import { withApi } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';

interface PublishOptions {
  data?: string;
  idempotencyKey?: string;
  json?: boolean;
}

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('publish events that start triggered workflows');
  events
    .command('publish')
    .description('publish an event; workflows with a matching event trigger start a run')
    .argument('<name>', 'the event name, e.g. orders.created')
    .option('--data <json>', 'the payload, a JSON value (default {})')
    .option(
      '--idempotency-key <key>',
      'publish at most once per key (the same key returns the first)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  dtss events publish orders.created --data \'{"orderId": 42}\' --idempotency-key order-42\n',
    )
    .action(async (name: string, options: PublishOptions) => {
      try {
        const payload = parseData(options.data);
        const result = await withApi((api) =>
          api.client.events.publish.mutate({
            name,
            payload,
            ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
          }),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const lines = [
          result.created
            ? `published event ${result.event.name} (${result.event.id})`
            : `idempotency key "${options.idempotencyKey}" matched event ${result.event.id}: not published again`,
          ...result.runs.map(
            (r) => `  started run ${r.runId}${r.created ? '' : ' (already started)'}`,
          ),
          ...result.refused.map(
            (r) => `  trigger ${r.triggerId} could not start a run: ${r.message}`,
          ),
        ];
        if (result.runs.length === 0 && result.refused.length === 0)
          lines.push('  no trigger matched it');
        process.stdout.write(lines.map((l) => `${l}\n`).join(''));
      } catch (error) {
        reportFailure(error);
      }
    });
}

function parseData(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`--data is not valid JSON: ${(error as Error).message}`);
  }
}
