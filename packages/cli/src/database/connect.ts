// How a CLI command reaches the database: one small pool, checked once up front so an unreachable
// server is reported in plain words, and closed before the command returns.
import { createPool, createPrismaClient, redactUrl, type Pool, type PrismaClient } from '@dtss/db';
import { CliError } from '../format/cliError';
import { resolveDatabaseUrl } from './databaseUrl';

export interface CliDatabase {
  url: string;
  pool: Pool;
  /** A Prisma client over the same pool, made on first use. */
  prisma(): PrismaClient;
  /** Ends the pool (and Prisma); safe to call twice. */
  close(): Promise<void>;
}

export async function connectDatabase(env: NodeJS.ProcessEnv = process.env): Promise<CliDatabase> {
  const url = await resolveDatabaseUrl(env);
  const pool = createPool(url, { applicationName: 'dtss-cli', max: 4 });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CliError(
      `cannot reach the database at ${redactUrl(url)}: is \`npm start\` running, or is DATABASE_URL set?`,
      [`(${(error as Error).message || (error as { code?: string }).code || String(error)})`],
    );
  }
  let prisma: PrismaClient | undefined;
  let closed = false;
  return {
    url,
    pool,
    prisma: () => (prisma ??= createPrismaClient(url, { pool })),
    async close() {
      if (closed) return;
      closed = true;
      await prisma?.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/** Runs `action` with a connected database and always closes it, so the process ends promptly. */
export async function withDatabase<T>(action: (db: CliDatabase) => Promise<T>): Promise<T> {
  const db = await connectDatabase();
  try {
    return await action(db);
  } finally {
    await db.close();
  }
}
