/**
 * The `/metrics` endpoint of worker and scheduler processes: a bare node:http server on its own
 * port (`--metrics-port`, DTSS_METRICS_PORT), answering `GET /metrics` in Prometheus's text format.
 * With DTSS_METRICS_TOKEN set, requests without `Authorization: Bearer <token>` get 401.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsRequestAllowed } from './token';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(
  registry: Registry,
  opts: { port: number; host?: string; token?: string; onError?: (e: Error) => void },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404).end('not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (!metricsRequestAllowed(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('unauthorized\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: Error) => {
        opts.onError?.(err);
        res.writeHead(500).end('metrics unavailable\n');
      },
    );
  });
  // Scrapes keep no connection open that would hold up a shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => opts.onError?.(e));
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A process's metrics endpoint when its configuration asks for one (`port` set), else null. A port
 * already taken (another stack on the same machine) costs the metrics, not the process: it is
 * reported and the process runs on without them.
 */
export async function serveMetricsIfAsked(
  registry: Registry,
  opts: { port?: number; host?: string; token?: string },
  processName: string,
  logError: (line: string) => void,
): Promise<MetricsServer | null> {
  if (opts.port === undefined) return null;
  try {
    return await startMetricsServer(registry, {
      port: opts.port,
      host: opts.host,
      token: opts.token,
      onError: (e) => logError(`metrics: ${e.message}`),
    });
  } catch (e) {
    logError(`metrics: not served (${(e as Error).message}); the ${processName} runs without them`);
    return null;
  }
}
