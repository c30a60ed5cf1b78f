// A plain Node HTTP server that serves the web app's route handlers (src/app/**/route.ts) by
// calling the very functions Next.js calls, for tests that need the API and the SSE streams over
// real HTTP without a `next build` (minutes on a 2-core machine, and one .next folder shared by
// everyone building; and `next dev` allows one server per folder, while every test file has its own
// database). Pages are not served. Handlers run inside Next's request scope (next-request-scope.ts),
// so `headers()` and Auth.js's `auth()` work. Start it through startRouteServer.
//
// Usage: TSX_TSCONFIG_PATH=test/support/tsconfig.route-server.json \
//        node --import tsx test/support/route-server.ts <port>     (from apps/web)
import './next-globals';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { runInRequestScope } from './next-request-scope';

const APP_DIR = path.resolve(import.meta.dirname, '../../src/app');

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, unknown>> },
) => Promise<Response>;

interface Route {
  pattern: RegExp;
  names: { name: string; catchAll: boolean }[];
  file: string;
  module?: Promise<Record<string, unknown>>;
}

/** Every route.ts under src/app, as a URL pattern (`[id]` → one segment, `[...x]` → the rest). */
function discoverRoutes(dir: string, segments: string[] = []): Route[] {
  const routes: Route[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      routes.push(...discoverRoutes(path.join(dir, entry.name), [...segments, entry.name]));
    } else if (entry.name === 'route.ts') {
      const names: Route['names'] = [];
      const parts = segments
        // Route groups `(name)` do not show in URLs.
        .filter((s) => !/^\(.*\)$/.test(s))
        .map((s) => {
          const catchAll = /^\[\.\.\.(\w+)\]$/.exec(s);
          if (catchAll) {
            names.push({ name: catchAll[1]!, catchAll: true });
            return '/(.+)';
          }
          const param = /^\[(\w+)\]$/.exec(s);
          if (param) {
            names.push({ name: param[1]!, catchAll: false });
            return '/([^/]+)';
          }
          return `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
        });
      routes.push({
        pattern: new RegExp(`^${parts.join('')}/?$`),
        names,
        file: path.join(dir, entry.name),
      });
    }
  }
  // Static routes before dynamic ones, as Next matches them.
  return routes.sort((a, b) => a.names.length - b.names.length);
}

function toRequest(req: http.IncomingMessage, base: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  // As `next start` does: Auth.js picks its cookie names from the protocol.
  if (!headers.has('x-forwarded-proto')) headers.set('x-forwarded-proto', 'http');
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    signal,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  res.flushHeaders();
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

export function createRouteServer(): http.Server {
  const routes = discoverRoutes(APP_DIR);
  return http.createServer((req, res) => {
    const base = `http://${req.headers.host ?? 'localhost'}`;
    const { pathname } = new URL(req.url ?? '/', base);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    void (async () => {
      for (const route of routes) {
        const m = route.pattern.exec(pathname);
        if (!m) continue;
        route.module ??= import(pathToFileURL(route.file).href) as Promise<Record<string, unknown>>;
        const handler = (await route.module)[req.method ?? 'GET'] as Handler | undefined;
        if (!handler) {
          res.writeHead(405).end();
          return;
        }
        const params: Record<string, unknown> = {};
        route.names.forEach(({ name, catchAll }, i) => {
          const raw = m[i + 1]!;
          params[name] = catchAll
            ? raw.split('/').map(decodeURIComponent)
            : decodeURIComponent(raw);
        });
        const request = toRequest(req, base, aborted.signal);
        const response = await runInRequestScope(request, pathname, () =>
          handler(request, { params: Promise.resolve(params) }),
        );
        await send(res, response);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    })().catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('route-server.ts')) {
  const port = Number(process.argv[2] ?? 0);
  const server = createRouteServer();
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `listening on ${typeof address === 'object' && address ? address.port : port}\n`,
    );
  });
  // Open SSE streams would keep close() waiting forever: cut them.
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
