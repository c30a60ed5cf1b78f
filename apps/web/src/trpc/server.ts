import 'server-only';
import { appRouter, createCaller, databaseUnavailable, type AppRouter } from '@dtss/api';
import { isDatabaseUnavailable } from '@dtss/db';
import { dehydrate, type DehydratedState } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache } from 'react';
import { createApiContext } from '@/server/auth/context';
import { makeQueryClient } from './query-client';

/** The context of this request's user: a server render acts for the session's user only. */
const requestContext = cache(async () => {
  const h = new Headers(await headers());
  // Never for a token a client sent along.
  h.delete('authorization');
  try {
    return await createApiContext(new Request('http://internal/', { headers: h }));
  } catch (err) {
    // The page then says the database is unavailable (and retries), not "something went wrong".
    throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
  }
});

/**
 * The API called in-process from server components, as the signed-in user of this request (same
 * procedures, same authorisation as /api/trpc). Cached per request.
 */
export const serverApi = cache(async () => createCaller(await requestContext()));

/** This request's query cache: what a server page reads here reaches the browser's cache. */
export const serverQueryClient = cache(makeQueryClient);

/**
 * Query options on the server, with the same keys as the browser's `useTRPC()`: a page prefetches
 * what its client component will ask for, so the browser does not wait for a round trip after
 * its code has loaded.
 */
export const serverTrpc = cache(() =>
  createTRPCOptionsProxy<AppRouter>({
    router: appRouter,
    ctx: requestContext,
    queryClient: serverQueryClient,
  }),
);

/** The queries read so far in this request, for a `<HydrationBoundary>` around the client page. */
export function prefetchedState(): DehydratedState {
  return dehydrate(serverQueryClient());
}
