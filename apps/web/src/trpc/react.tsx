'use client';
/**
 * The browser's only way to our API: tRPC over /api/trpc with TanStack Query caching. Components
 * call `useTRPC()` and pass its `queryOptions`/`mutationOptions` to TanStack Query's hooks.
 */
import type { AppRouter } from '@dtss/api';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import { makeQueryClient } from './query-client';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient({ onUnauthorized: signInAgain });
  return browserQueryClient;
}

let leaving = false;
/**
 * The session ended while the page was open (the API answers UNAUTHORIZED): to sign-in, which
 * comes back here afterwards. Once, however many queries fail together.
 */
function signInAgain(): void {
  if (leaving) return;
  leaving = true;
  const back = window.location.pathname + window.location.search;
  window.location.assign(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: '/api/trpc', transformer: superjson, maxItems: 10 })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
