import { createFetchHandler } from '@dtss/api';
import { createApiContext } from '@/server/auth/context';
import { webMetrics } from '@/server/metrics';
import { webTracing } from '@/server/tracing';

export const dynamic = 'force-dynamic';

// The tRPC API: Bearer token or session cookie; bodies over 2 MiB are refused (413).
const handler = createFetchHandler({ createContext: createApiContext });
// The metrics count API requests from the first one on, not from the first scrape.
webMetrics();
// Spans of API calls, only with OTEL_EXPORTER_OTLP_ENDPOINT set.
webTracing();

export { handler as GET, handler as POST };
