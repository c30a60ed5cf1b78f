import { QueryClient } from '@tanstack/react-query';
import { shareStructure } from '@/lib/shareStructure';

/** One QueryClient per browser tab (a fresh one per server render). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
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
