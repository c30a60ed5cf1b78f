import 'server-only';
import { createCaller } from '@dtss/api';
import { headers } from 'next/headers';
import { cache } from 'react';
import { createApiContext } from '@/server/auth/context';

/**
 * The API called in-process from server components, as the signed-in user of this request (same
 * procedures, same authorisation as /api/trpc). Cached per request.
 */
export const serverApi = cache(async () => {
  const h = new Headers(await headers());
  // A server render acts for the session's user only, never for a token a client sent along.
  h.delete('authorization');
  return createCaller(await createApiContext(new Request('http://internal/', { headers: h })));
});
