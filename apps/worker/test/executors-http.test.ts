import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './executors-helpers';

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] =
  [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = new URL(req.url!, 'http://x').pathname;
      if (path === '/json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-id': '7' });
        res.end(JSON.stringify({ got: body ? JSON.parse(body) : null }));
      } else if (path === '/text') {
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.end('plain text');
      } else if (path === '/fail') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":"busy"}');
      } else if (path === '/redirect') {
        res.writeHead(302, { location: '/json' });
        res.end();
      } else if (path === '/huge') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('x'.repeat(3 * 1024 * 1024));
      } else if (path === '/slow') {
        setTimeout(() => res.end('late'), 10_000).unref();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('http executor', () => {
  it('sends method, query, headers and a JSON body; parses a JSON response', async () => {
    const r = await run({
      kind: 'http',
      request: {
        method: 'post',
        url: `${base}/json?a=1`,
        query: { b: 'two words' },
        headers: { 'X-Token': 'abc' },
        body: { n: 1 },
      },
    });
    expect(r.outcome).toBe('succeeded');
    expect(r.httpStatus).toBe(200);
    expect(r.output).toMatchObject({
      status: 200,
      headers: { 'x-id': '7' },
      body: { got: { n: 1 } },
    });
    const req = seen.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/json?a=1&b=two+words');
    expect(req.headers['x-token']).toBe('abc');
    expect(req.headers['content-type']).toBe('application/json');
    expect(r.lines.map((l) => l.line)).toEqual([
      `POST ${base}/json?a=1&b=two+words`,
      expect.stringMatching(/^200 OK in \d+ ms \(\d+ bytes\)$/),
    ]);
  });

  it('keeps a non-JSON body as text and sends a string body as is', async () => {
    const r = await run({
      kind: 'http',
      request: {
        method: 'PUT',
        url: `${base}/text`,
        body: 'raw',
        headers: { 'content-type': 'text/plain' },
      },
    });
    expect(r.output).toMatchObject({ status: 201, body: 'plain text' });
    expect(seen.at(-1)!.body).toBe('raw');
    expect(seen.at(-1)!.headers['content-type']).toBe('text/plain');
  });

  it('fails on a status outside successStatuses, keeping the response as output', async () => {
    const r = await run({ kind: 'http', request: { url: `${base}/fail` } });
    expect(r).toMatchObject({
      outcome: 'failed',
      httpStatus: 503,
      error: 'HTTP 503 (expected 2xx)',
      output: { status: 503, body: { error: 'busy' } },
    });
    const ok = await run({
      kind: 'http',
      request: { url: `${base}/fail` },
      successStatuses: [503],
    });
    expect(ok.outcome).toBe('succeeded');
  });

  it('does not follow redirects, so 3xx can be asked for', async () => {
    const r = await run({
      kind: 'http',
      request: { url: `${base}/redirect` },
      successStatuses: ['3xx'],
    });
    expect(r).toMatchObject({ outcome: 'succeeded', httpStatus: 302 });
  });

  it('refuses a body over the output cap', async () => {
    const r = await run({ kind: 'http', request: { url: `${base}/huge` } });
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/response body is over the 1 MiB limit/);
  });

  it('times out and cancels', async () => {
    const timedOut = await run(
      { kind: 'http', request: { url: `${base}/slow` } },
      { timeoutMs: 200 },
    );
    expect(timedOut).toMatchObject({ outcome: 'timed_out', error: 'timed out after 200ms' });

    const controller = new AbortController();
    setTimeout(() => controller.abort('cancelled'), 100);
    const cancelled = await run(
      { kind: 'http', request: { url: `${base}/slow` } },
      { signal: controller.signal },
    );
    expect(cancelled).toMatchObject({ outcome: 'cancelled', error: 'cancelled' });
  });

  it('a refused connection fails with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await run({ kind: 'http', request: { url: `http://127.0.0.1:${port}/` } });
    expect(r).toMatchObject({
      outcome: 'failed',
      httpStatus: null,
      error: 'request failed: ECONNREFUSED',
    });
  });
});
