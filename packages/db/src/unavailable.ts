/**
 * Whether an error means the database cannot be reached right now (down, restarting, refusing
 * connections, the connection cut) rather than that a statement was wrong. Callers answer the first
 * kind with "try again shortly" (HTTP 503) instead of an internal error.
 */

/** SQLSTATE classes and codes of a server that is gone or not taking work. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
]);
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Prisma's own codes (can't reach, timed out, connection closed, no pool connection in time). */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** What Prisma's driver adapter calls a lost or refused connection. */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** node-postgres says these in words, without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection terminated unexpectedly',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  // Prisma's driver adapter and tRPC wrap the driver's error: follow the causes a few steps.
  let e: unknown = error;
  for (let depth = 0; depth < 6 && e; depth++) {
    if (typeof e !== 'object') return false;
    const { code, kind, message, cause } = e as Record<string, unknown>;
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
      if (UNAVAILABLE_SYSCALL_CODES.has(code) || UNAVAILABLE_PRISMA_CODES.has(code)) return true;
    }
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
      return true;
    }
    // AggregateError (a refused connection to each address of a host).
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable)) {
      return true;
    }
    e = cause;
  }
  return false;
}
