// The typed API client: every procedure of the server's appRouter, with its input and output
// types, over HTTP with an API token.
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from './appRouter';
import { normalizeUrl, rememberConnection } from './connection';
import { CLIENT_VERSION, CLIENT_VERSION_HEADER } from './version';

export interface DtssClientOptions {
  /** The web app's origin, e.g. http://localhost:3000. */
  url: string;
  /** An API token (`dtss_…`), sent as `Authorization: Bearer`. */
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

export type DtssClient = TRPCClient<AppRouter>;
export type { AppRouter };

export function createDtssClient(options: DtssClientOptions): DtssClient {
  const url = normalizeUrl(options.url);
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/api/trpc`,
        // The server speaks superjson: dates come back as Date objects.
        transformer: superjson,
        // Queries go as POST too: workflow texts and filters never hit URL length limits.
        methodOverride: 'POST',
        headers: () => ({
          [CLIENT_VERSION_HEADER]: CLIENT_VERSION,
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
  rememberConnection(client, { url, token: options.token, fetch: options.fetch });
  return client;
}
