import { createLogger, type Logger } from '@dtss/db/logging';

/**
 * The web process's structured log (`@dtss/db/logging`: JSON lines, DTSS_LOG_LEVEL), one per
 * process, kept across hot reloads and module copies. Next.js's own lines stay as Next prints them.
 */
const globalForLog = globalThis as unknown as { dtssWebLog?: Logger };

export function webLog(): Logger {
  return (globalForLog.dtssWebLog ??= createLogger('web'));
}
