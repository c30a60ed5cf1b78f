// Facts about the incoming request that auth and audit need.

/**
 * The client's address as the proxy in front of the app saw it: the LAST `X-Forwarded-For` hop
 * (the one that proxy appended; earlier hops are whatever the client sent, so taking the first
 * would let anyone pick the address that rate limits and audit records count), else `X-Real-IP`.
 * Without a proxy a client can forge both; the sign-in limit also counts per email alone, so
 * forging addresses does not buy unlimited guesses.
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  const ip = forwarded || headers.get('x-real-ip')?.trim() || null;
  return ip && ip.length <= 64 ? ip : null;
}
