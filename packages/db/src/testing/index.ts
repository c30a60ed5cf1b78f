export {
  ADMIN_URL_ENV,
  createTestDatabase,
  ensureTemplate,
  freePort,
  startTestCluster,
  withDatabase,
  type TestDatabase,
} from './test-cluster';
export { startEmbeddedPostgres, type RunningPostgres } from '../postgres/embedded';
export { snapshotTables, type Snapshot } from './snapshot';
