import path from 'node:path';

/** Where the embedded Postgres lives and listens; every value can be overridden by env. */
export interface EmbeddedSettings {
  dataDir: string;
  port: number;
  database: string;
}

export const DEFAULT_PG_PORT = 54320;

export function embeddedSettingsFromEnv(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): EmbeddedSettings {
  const home = path.resolve(repoRoot, env.DTSS_HOME ?? '.dtss');
  const port = env.DTSS_PG_PORT ? Number(env.DTSS_PG_PORT) : DEFAULT_PG_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`DTSS_PG_PORT must be a TCP port (1-65535), got "${env.DTSS_PG_PORT}"`);
  }
  return { dataDir: path.join(home, 'pg'), port, database: env.DTSS_PG_DATABASE ?? 'dtss' };
}

/** The URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
