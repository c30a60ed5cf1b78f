import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The rule of every `/metrics` endpoint: with DTSS_METRICS_TOKEN set, only a request that sends
 * `Authorization: Bearer <token>` is answered. Compared in constant time (both sides hashed first,
 * so their lengths do not show either).
 */
export function metricsRequestAllowed(
  authorization: string | null | undefined,
  token: string | undefined,
): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}
