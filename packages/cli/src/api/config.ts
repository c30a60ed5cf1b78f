// Where the CLI finds its server and token: DTSS_URL / DTSS_TOKEN, else the file `dtss login`
// writes (~/.config/dtss/config.json, or $XDG_CONFIG_HOME/dtss/config.json, or $DTSS_CONFIG).
// The file holds a secret: it is written with mode 0600 in a 0700 folder, atomically.
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CliError } from '../format/cliError';

export interface ServerConfig {
  url: string;
  token: string;
}

const fileSchema = z.object({
  url: z.string().url(),
  token: z.string().min(1),
});

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DTSS_CONFIG) return env.DTSS_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'dtss', 'config.json');
}

/** The saved config, or null when there is none. A broken file is an error, not "none". */
export async function readConfigFile(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerConfig | null> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON; run \`dtss login\` again`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError(`${file} is not a dtss config; run \`dtss login\` again`, [
      ...parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    ]);
  }
  const mode = (await stat(file)).mode & 0o777;
  if (mode & 0o077) {
    process.stderr.write(
      `warning: ${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}\n`,
    );
  }
  return parsed.data;
}

export async function writeConfigFile(
  config: ServerConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  // Created 0600 (not chmod-ed afterwards), so the token is never readable by others.
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}

/** The server and token to use: the environment wins over the file, field by field. */
export async function resolveServer(env: NodeJS.ProcessEnv = process.env): Promise<ServerConfig> {
  const saved = env.DTSS_URL && env.DTSS_TOKEN ? null : await readConfigFile(env);
  const url = env.DTSS_URL || saved?.url;
  const token = env.DTSS_TOKEN || saved?.token;
  if (!url || !token) {
    throw new CliError('no DTSS server configured', [
      'run `dtss login --url <server-url> --token <api-token>` once,',
      "or set DTSS_URL and DTSS_TOKEN (a team admin makes tokens with the API's tokens.create)",
    ]);
  }
  return { url, token };
}
