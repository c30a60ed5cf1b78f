// `dtss login --url <server> --token <token>`: checks the token against the server and saves both
// for later commands (mode 0600). `--token -` reads the token from standard input, which keeps it
// out of the shell history and the process list.
import { createDtssClient } from '@dtss/client';
import type { Command } from 'commander';
import { configPath, writeConfigFile } from '../api/config';
import { toCliError } from '../api/connect';
import { CliError, reportFailure } from '../format/cliError';

interface LoginOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('check an API token against a DTSS server and save both for later commands')
    .option('--url <url>', 'the server, e.g. http://localhost:3000 (default: $DTSS_URL)')
    .option(
      '--token <token>',
      'an API token dtss_…, or "-" to read it from standard input (default: $DTSS_TOKEN)',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `\nSaved to ${configPath()} (mode 0600). DTSS_URL and DTSS_TOKEN override it.\n` +
        '\nExample:\n  dtss login --url http://localhost:3000 --token - < token.txt\n',
    )
    .action(async (options: LoginOptions) => {
      try {
        await login(options);
      } catch (error) {
        reportFailure(error);
      }
    });
}

async function login(options: LoginOptions): Promise<void> {
  const url = options.url ?? process.env.DTSS_URL;
  let token = options.token ?? process.env.DTSS_TOKEN;
  if (token === '-') token = (await readStdin()).trim();
  if (!url) throw new CliError('--url is required (e.g. --url http://localhost:3000)');
  if (!token)
    throw new CliError(
      "--token is required (a team admin makes tokens with the API's tokens.create)",
    );
  const base = url.replace(/\/+$/, '');
  let client;
  try {
    client = createDtssClient({ url, token });
  } catch (error) {
    throw new CliError(`--url: ${(error as Error).message}`);
  }
  let me;
  try {
    me = await client.auth.me.query();
  } catch (error) {
    throw toCliError(error, { url });
  }
  const file = await writeConfigFile({ url: base, token });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ url: base, configFile: file, actor: me }, null, 2)}\n`,
    );
    return;
  }
  const who =
    me.type === 'token'
      ? `an API token (role ${me.role} in team ${me.teamId})`
      : `user ${me.email}`;
  process.stdout.write(`logged in to ${base} with ${who}\nsaved to ${file}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
