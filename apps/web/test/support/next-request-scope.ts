// What Next.js sets up around a route handler so that `headers()` (and Auth.js's `auth()`, which
// reads it) work: a work store and a request store in Next's AsyncLocalStorages. These are Next's
// internal modules; if an upgrade moves them, the route server fails loudly at start-up.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Storage {
  run<T>(store: unknown, fn: () => T): T;
}

const { workAsyncStorage } = require('next/dist/server/app-render/work-async-storage.external') as {
  workAsyncStorage: Storage;
};
const { workUnitAsyncStorage } =
  require('next/dist/server/app-render/work-unit-async-storage.external') as {
    workUnitAsyncStorage: Storage;
  };
const { HeadersAdapter } = require('next/dist/server/web/spec-extension/adapters/headers') as {
  HeadersAdapter: { seal(headers: Headers): Headers };
};

export function runInRequestScope<T>(request: Request, route: string, fn: () => T): T {
  const workStore = { route, page: route, forceStatic: false, dynamicShouldError: false };
  const requestStore = {
    type: 'request',
    phase: 'action',
    url: { pathname: new URL(request.url).pathname, search: new URL(request.url).search },
    headers: HeadersAdapter.seal(new Headers(request.headers)),
  };
  return workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, fn));
}
