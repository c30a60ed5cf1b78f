import 'server-only';
import { authLimits, type ApiContext } from '@dtss/api';
import { createPrismaClient, type PrismaClient } from '@dtss/db';
import { getPool } from '../db';
import { actorFromRequest } from './actor';
import { clientIp } from './request';

// One Prisma client per web process, on the process's pg pool.
const globalForPrisma = globalThis as unknown as { dtssPrisma?: PrismaClient };

function getPrisma(): PrismaClient {
  globalForPrisma.dtssPrisma ??= createPrismaClient(process.env.DATABASE_URL ?? '', {
    pool: getPool(),
  });
  return globalForPrisma.dtssPrisma;
}

/** The tRPC context of one request: who calls, from where, with what. */
export async function createApiContext(req: Request): Promise<ApiContext> {
  return {
    pool: getPool(),
    prisma: getPrisma(),
    actor: await actorFromRequest(req),
    ip: clientIp(req.headers),
    secretsKey: process.env.DTSS_SECRETS_KEY ?? null,
    eventsPerMinute:
      Number(process.env.DTSS_EVENTS_PER_MINUTE) || authLimits.DEFAULT_EVENTS_PER_MINUTE,
    operators: (process.env.DTSS_OPERATORS ?? '').split(','),
  };
}
