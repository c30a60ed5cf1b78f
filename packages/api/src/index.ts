// @dtss/api: the tRPC API (routers, procedures, authorization) independent of Next.js.
export { appRouter, createCaller, type AppRouter } from './root';
export { apiTracing, traceCall } from './tracing';
export {
  authorize,
  createCallerFactory,
  databaseUnavailable,
  isOperator,
  type ApiContext,
  type ErrorData,
  type TeamAccess,
} from './trpc';
export {
  actorFromBearer,
  roleAtLeast,
  roleInTeam,
  TEAM_ROLES,
  type Actor,
  type TeamRole,
} from './actor';
export {
  API_ENDPOINT,
  createFetchHandler,
  MAX_BATCH_SIZE,
  MAX_BODY_BYTES,
  type FetchHandlerOptions,
} from './http';
export type { Issue } from './errors';
export {
  API_VERSION,
  CLIENT_VERSION_HEADER,
  clientVersionProblem,
  versionsCompatible,
} from './clientVersion';
export {
  credentialsSchema,
  joinRecord,
  login,
  signUp,
  signUpSchema,
  MIN_PASSWORD_CHARS,
  type LoginResult,
  type SignUpResult,
} from './auth/login';
export * as authLimits from './auth/limits';
export { actorFromSession, type SessionClaims } from './auth/sessions';
export { observeApiRequests, type ApiRequestObservation } from './observe';
