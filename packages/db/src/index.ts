// Runtime database access for every process (web, worker, scheduler, CLI). Set-up concerns
// (migrations, embedded Postgres, seeding) live in `@dtss/db/setup` so they stay out of web bundles.
export { createPool, type Pool, type PoolClient, type PoolOptions } from './pool';
export { readDatabaseHealth, type DatabaseHealth } from './operations/health';
export {
  findWorker,
  heartbeatWorker,
  listWorkers,
  registerWorker,
  setWorkerStatus,
  type HeartbeatAnswer,
  type ListWorkersOptions,
  type WorkerRegistration,
  type WorkerRow,
  type WorkerStatus,
} from './operations/workers';
export { acquireLease, releaseLease, renewLease, type Lease } from './operations/leases';
export { redactUrl } from './postgres/settings';
export { isDatabaseUnavailable } from './unavailable';
export { generatePassword, hashPassword, verifyPassword } from './auth/password';
export { createPrismaClient, type PrismaClient, type PrismaClientOptions } from './client';
export {
  definitionHash,
  saveWorkflowVersion,
  type SaveWorkflowInput,
  type SaveWorkflowResult,
} from './operations/workflows';
export * from './operations/runs';
export { withTransaction } from './transaction';
export * from './operations/logs';
export * from './operations/secrets';
export { readPoolLimits, setPoolLimit } from './operations/pools';
export * from './operations/poolStats';
export * from './operations/workerAttempts';
// Teams, members, tokens, audit and API read models (the tRPC API in @dtss/api uses these).
export * from './operations/audit';
export * from './operations/rateLimits';
export * from './operations/tokens';
export * from './operations/teams';
export * from './operations/members';
export * from './operations/invitations';
export * from './operations/users';
export * from './operations/sessions';
export * from './operations/workflowQueries';
export * from './operations/runQueries';
export * from './operations/logQueries';
export * from './operations/metrics';
export * from './operations/metricsRollup';
export * from './operations/retention';
export * from './operations/runFigures';
export * from './operations/taskFigures';
export * from './operations/waitHistogram';
export * from './operations/schedules';
export * from './operations/events';
export * from './operations/triggers';
export * from './operations/backfills';
export * from './operations/clusterState';
export { engineEvents, engineTotals, observeEngine, type EngineObserver } from './observe';
export * from './operations/alerts';
