import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { shareStructure } from '@/lib/shareStructure';
import { errorCode } from './errors';

/**
 * One QueryClient per browser tab (a fresh one per server render). `onUnauthorized`: what to do
 * when the API no longer knows the caller (the browser's session ended while the page was open:
 * signed out everywhere, password changed, removed from a team).
 */
export function makeQueryClient(opts: { onUnauthorized?: () => void } = {}): QueryClient {
  const onError = (err: unknown) => {
    if (opts.onUnauthorized && errorCode(err) === 'UNAUTHORIZED') opts.onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // Live pages are updated by their SSE streams; lists are fresh enough for 30 s.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A re-read keeps every unchanged part (dates included), so only what changed re-renders.
        structuralSharing: shareStructure,
        // NOT_FOUND / FORBIDDEN / BAD_REQUEST do not get better by asking again.
        retry: (count, err) => count < 2 && !isClientError(err),
      },
    },
  });
}

function isClientError(err: unknown): boolean {
  const status = (err as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}
