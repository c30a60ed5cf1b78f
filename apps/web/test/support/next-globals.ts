// Next's server installs AsyncLocalStorage on globalThis before loading any of its modules (they
// capture it when first evaluated); the route server does the same, imported first.
import { AsyncLocalStorage } from 'node:async_hooks';

(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage = AsyncLocalStorage;
