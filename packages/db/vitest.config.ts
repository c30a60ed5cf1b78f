import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One Postgres per vitest run (DTSS_TEST_ADMIN_URL's server, else an embedded one); each test
    // file makes its own databases on it.
    globalSetup: ['./src/testing/global-setup.ts'],
    // Database tests start servers, create databases and run the WebAssembly schema engine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
