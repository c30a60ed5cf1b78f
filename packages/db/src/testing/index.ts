export {
  ADMIN_URL_ENV,
  createTestDatabase,
  ensureTemplate,
  startTestCluster,
  withDatabase,
  type TestDatabase,
} from './test-cluster';
