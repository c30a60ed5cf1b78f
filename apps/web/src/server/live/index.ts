// The web process's live streams: one hub (one LISTEN connection) shared by every open stream.
import 'server-only';
import { getPool } from '@/server/db';
import { LiveHub } from './hub';
import type { StreamDeps } from './deps';

// Kept on globalThis so hot reloads in development do not open a second LISTEN connection.
const globalForHub = globalThis as unknown as { dtssLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  globalForHub.dtssLiveHub ??= new LiveHub({ databaseUrl: url });
  return globalForHub.dtssLiveHub;
}

export function streamDeps(): StreamDeps {
  return { pool: getPool(), hub: getLiveHub() };
}

export { accessRecheck, checkRunAccess, problem } from './access';
export { logStreamResponse } from './logStream';
export { runStreamResponse } from './runStream';
