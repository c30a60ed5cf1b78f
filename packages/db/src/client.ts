/**
 * The Prisma client, running without any native binary: queries are planned by Prisma's
 * WebAssembly query compiler and sent through `pg` by @prisma/adapter-pg.
 *
 * Model types, enums and the `Prisma` namespace are re-exported from here, so the rest of the
 * codebase never imports the generated folder directly.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

export * from './generated/prisma/client';

export interface PrismaClientOptions {
  /** Reuse a pool the process already has (it is not closed by `$disconnect()`). */
  pool?: pg.Pool;
  /** Connections of the pool the adapter creates (ignored with `pool`). Default 10. */
  max?: number;
  /** Shows in pg_stat_activity (ignored with `pool`). */
  applicationName?: string;
}

export function createPrismaClient(
  databaseUrl: string,
  opts: PrismaClientOptions = {},
): PrismaClient {
  const adapter = opts.pool
    ? new PrismaPg(opts.pool)
    : new PrismaPg({
        connectionString: databaseUrl,
        max: opts.max ?? 10,
        application_name: opts.applicationName,
      });
  return new PrismaClient({ adapter });
}
