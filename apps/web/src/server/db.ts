import 'server-only';
import { createPool, type Pool } from '@dtss/db';

// One pool per web process, kept across hot reloads in development.
const globalForPool = globalThis as unknown as { dtssPool?: Pool };

export function getPool(): Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  globalForPool.dtssPool ??= createPool(url, { applicationName: 'dtss-web', max: 10 });
  return globalForPool.dtssPool;
}
