// Where the CLI finds the database: DATABASE_URL, or else the embedded Postgres `npm start` runs.
import path from 'node:path';
import { CliError } from '../format/cliError';

/** The checkout's root, where `npm start` keeps its embedded Postgres (`.dtss/`). */
const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** Same user and password as the embedded server (packages/db/src/postgres/embedded.ts). */
const EMBEDDED_CREDENTIALS = 'postgres:dtss';

export async function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  // Loaded only here: the set-up module is not needed when DATABASE_URL is given.
  const { embeddedSettingsFromEnv } = await import('@dtss/db/setup');
  let settings;
  try {
    settings = embeddedSettingsFromEnv(REPO_ROOT, env);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const { port, database } = settings;
  return `postgresql://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}
