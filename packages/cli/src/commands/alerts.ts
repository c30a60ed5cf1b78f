// `dtss alerts incidents|channels|rules|channel-create|test`: the team's alert incidents (with their
// deliveries), its channels, a new channel, and a test message through one. Channels are named by
// name or id; rules live in workflow files (`alerts:`) or come from the API.
import type { Command } from 'commander';
import { withApi, type Api } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';
import { formatTable, truncate } from '../format/table';
import { formatDateTime } from '../format/time';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const print = (lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alert incidents and channels (rules are in workflow files or the API)');

  alerts
    .command('incidents')
    .description("list the team's alert incidents, newest first, with their deliveries")
    .option('--open', 'only the incidents still open')
    .option('--limit <n>', 'how many (1-200)', '20')
    .option('--json', 'print the list as JSON')
    .action(async (options: { open?: boolean; limit: string; json?: boolean }) => {
      try {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw new CliError(`--limit must be an integer from 1 to 200, got "${options.limit}"`);
        }
        const { items } = await withApi((api) =>
          api.client.alerts.incidents.list.query({
            limit,
            ...(options.open ? { status: 'open' } : {}),
          }),
        );
        if (options.json) return void process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
        if (items.length === 0) return void process.stdout.write('no incidents\n');
        const rows = items.map((i) => [
          formatDateTime(new Date(i.openedAt)),
          i.status,
          i.kind,
          truncate(i.title, 60),
          i.deliveries
            .map(
              (d) =>
                `${d.channelName}:${d.event === 'resolved' ? 'resolved ' : ''}${d.status}${d.attempts > 1 ? `×${d.attempts}` : ''}`,
            )
            .join(' ') || '-',
        ]);
        print(formatTable(['OPENED', 'STATUS', 'KIND', 'TITLE', 'DELIVERIES'], rows));
      } catch (error) {
        reportFailure(error);
      }
    });

  alerts
    .command('channels')
    .description("list the team's alert channels")
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      try {
        const list = await withApi((api) => api.client.alerts.channels.list.query({}));
        if (options.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        if (list.length === 0) return void process.stdout.write('no channels\n');
        const rows = list.map((c) => [
          c.id,
          c.name,
          c.kind,
          'urlHost' in c.config
            ? c.config.urlHost
            : `${c.config.to.join(', ')} via ${c.config.host}`,
          c.enabled ? 'enabled' : 'disabled',
        ]);
        print(formatTable(['ID', 'NAME', 'KIND', 'TARGET', 'STATE'], rows));
      } catch (error) {
        reportFailure(error);
      }
    });

  alerts
    .command('rules')
    .description("list the team's alert rules (those of workflow files and team rules)")
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      try {
        const list = await withApi((api) => api.client.alerts.rules.list.query({}));
        if (options.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        if (list.length === 0) return void process.stdout.write('no rules\n');
        const rows = list.map((r) => [
          r.name,
          r.kind,
          r.workflowName ?? '(every workflow)',
          r.channelNames.join(','),
          r.source === 'definition' ? 'file' : 'team',
          r.enabled ? 'enabled' : 'disabled',
        ]);
        print(formatTable(['NAME', 'KIND', 'WORKFLOW', 'CHANNELS', 'FROM', 'STATE'], rows));
      } catch (error) {
        reportFailure(error);
      }
    });

  alerts
    .command('channel-create')
    .description('create an alert channel (admins)')
    .argument('<name>', 'the channel name rules refer to')
    .requiredOption('--kind <kind>', 'webhook, slack or email')
    .option('--url <url>', 'webhook or Slack incoming-webhook URL')
    .option(
      '--signing-secret <secret>',
      'webhook: the HMAC secret (default: generated, shown once)',
    )
    .option('--smtp-host <host>', 'email: SMTP server')
    .option('--smtp-port <port>', 'email: SMTP port', '587')
    .option('--smtp-secure', 'email: TLS from the start (port 465)')
    .option(
      '--smtp-user <name>',
      'email: SMTP user name (the password comes from DTSS_SMTP_PASSWORD)',
    )
    .option('--from <address>', 'email: sender address')
    .option('--to <addresses>', 'email: comma-separated recipients')
    .option('--json', 'print the channel as JSON')
    .action(async (name: string, o: Record<string, string | boolean | undefined>) => {
      try {
        const settings = channelSettings(o);
        const created = await withApi((api) =>
          api.client.alerts.channels.create.mutate({ name, settings }),
        );
        if (o.json) return void process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        const lines = [
          `created ${created.channel.kind} channel ${created.channel.name} (${created.channel.id})`,
        ];
        if (created.signingSecret && settings.kind === 'webhook' && !settings.signingSecret) {
          lines.push(`signing secret (shown once): ${created.signingSecret}`);
        }
        print(lines);
      } catch (error) {
        reportFailure(error);
      }
    });

  alerts
    .command('test')
    .description('send a test message through a channel (admins); waits for its outcome')
    .argument('<channel>', 'the channel name or id')
    .option('--timeout <seconds>', 'how long to wait for the scheduler to send it', '60')
    .action(async (ref: string, options: { timeout: string }) => {
      try {
        const outcome = await withApi(async (api) => {
          const channelId = await resolveChannel(api, ref);
          const { deliveryId } = await api.client.alerts.channels.test.mutate({ channelId });
          const deadline = Date.now() + Number(options.timeout) * 1000;
          for (;;) {
            const list = await api.client.alerts.channels.deliveries.query({
              channelId,
              limit: 20,
            });
            const d = list.find((x) => x.id === deliveryId);
            if (d && d.status !== 'pending') return d;
            if (Date.now() > deadline) return d ?? null;
            await new Promise((r) => setTimeout(r, 500));
          }
        });
        if (!outcome || outcome.status === 'pending') {
          throw new CliError(
            'the test message is queued but not sent yet: is the scheduler running?',
            [outcome?.error ? `last attempt: ${outcome.error}` : 'no attempt yet'],
          );
        }
        if (outcome.status === 'failed') {
          throw new CliError(
            `the test message failed after ${outcome.attempts} attempts: ${outcome.error}`,
          );
        }
        process.stdout.write(`sent (attempt ${outcome.attempts})\n`);
      } catch (error) {
        reportFailure(error);
      }
    });
}

function channelSettings(o: Record<string, string | boolean | undefined>) {
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const need = (k: string, flag: string) => {
    const v = str(k);
    if (!v) throw new CliError(`--kind ${String(o.kind)} needs ${flag}`);
    return v;
  };
  switch (o.kind) {
    case 'webhook': {
      const secret = str('signingSecret');
      return {
        kind: 'webhook' as const,
        url: need('url', '--url'),
        ...(secret ? { signingSecret: secret } : {}),
      };
    }
    case 'slack':
      return { kind: 'slack' as const, url: need('url', '--url') };
    case 'email':
      return {
        kind: 'email' as const,
        host: need('smtpHost', '--smtp-host'),
        port: Number(str('smtpPort') ?? '587'),
        secure: o.smtpSecure === true,
        from: need('from', '--from'),
        to: need('to', '--to')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        username: str('smtpUser') ?? null,
        password: process.env.DTSS_SMTP_PASSWORD ?? null,
      };
    default:
      throw new CliError(`--kind must be webhook, slack or email, got "${String(o.kind)}"`);
  }
}

async function resolveChannel(api: Api, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const match = (await api.client.alerts.channels.list.query({})).find((c) => c.name === ref);
  if (!match) throw new CliError(`no channel named "${ref}" (see \`dtss alerts channels\`)`);
  return match.id;
}
