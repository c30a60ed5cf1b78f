import { createFetchHandler } from '@dtss/api';
import { createApiContext } from '@/server/auth/context';

export const dynamic = 'force-dynamic';

// The tRPC API: Bearer token or session cookie; bodies over 2 MiB are refused (413).
const handler = createFetchHandler({ createContext: createApiContext });

export { handler as GET, handler as POST };
