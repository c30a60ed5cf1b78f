// http: one request with fetch. Succeeds when the status matches successStatuses; the output is
// { status, headers, body }, body parsed when the response says it is JSON. The body is read with
// the output's size cap, so a huge response cannot exhaust the worker's memory.
import { formatDuration, matchesStatus, type JsonValue, type TaskOfKind } from '@dtss/core';
import { formatBytes } from './formatBytes';
import { MAX_OUTPUT_BYTES } from './outputContract';
import type { ExecutionRequest, ExecutionResult, Executor } from './types';

export const httpExecutor: Executor = {
  kind: 'http',
  execute: executeHttp,
};

async function executeHttp(req: ExecutionRequest): Promise<ExecutionResult> {
  const task = req.task as TaskOfKind<'http'>;
  const { request } = task;
  const timeout = new AbortController();
  const timer =
    req.timeoutMs === null ? null : setTimeout(() => timeout.abort('timeout'), req.timeoutMs);
  const signal = AbortSignal.any([req.signal, timeout.signal]);
  const stopped = (): ExecutionResult | null => {
    if (req.signal.aborted) {
      const error =
        req.signal.reason === 'requeue' ? 'stopped: the worker is draining' : 'cancelled';
      return { outcome: 'cancelled', httpStatus: null, error };
    }
    if (timeout.signal.aborted) {
      return {
        outcome: 'timed_out',
        httpStatus: null,
        error: `timed out after ${formatDuration(req.timeoutMs!)}`,
      };
    }
    return null;
  };

  const url = buildUrl(request.url, request.query);
  const started = Date.now();
  req.log('system', `${request.method} ${url}`);
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: requestHeaders(request.headers, request.body),
      body: requestBody(request.body),
      signal,
      // Not followed: a 3xx is the task's answer (successStatuses may list it).
      redirect: 'manual',
    });
    const body = await readCapped(response);
    const ms = Date.now() - started;
    req.log(
      'system',
      `${response.status} ${response.statusText} in ${ms} ms (${formatBytes(body.bytes)})`,
    );
    if (body.tooLarge) {
      return {
        outcome: 'failed',
        httpStatus: response.status,
        error: `response body is over the ${formatBytes(MAX_OUTPUT_BYTES)} limit`,
      };
    }
    const output: JsonValue = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: decodeBody(body.bytes === 0 ? null : body.text, response.headers, req),
    };
    if (!matchesStatus(response.status, task.successStatuses)) {
      return {
        outcome: 'failed',
        httpStatus: response.status,
        output,
        error: `HTTP ${response.status} (expected ${task.successStatuses.join(', ')})`,
      };
    }
    return { outcome: 'succeeded', httpStatus: response.status, output };
  } catch (err) {
    const stop = stopped();
    if (stop) return stop;
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    return { outcome: 'failed', httpStatus: null, error: `request failed: ${detail}` };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function buildUrl(base: string, query: Record<string, string | number | boolean>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, String(value));
  return url.toString();
}

function requestHeaders(
  headers: Record<string, string | number | boolean>,
  body: JsonValue,
): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) result.set(name, String(value));
  // A JSON value other than a string is sent as JSON (the kind's documented rule).
  if (body !== null && typeof body !== 'string' && !result.has('content-type')) {
    result.set('content-type', 'application/json');
  }
  return result;
}

function requestBody(body: JsonValue): string | undefined {
  if (body === null) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

async function readCapped(
  response: Response,
): Promise<{ text: string; bytes: number; tooLarge: boolean }> {
  if (!response.body) return { text: '', bytes: 0, tooLarge: false };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (bytes > MAX_OUTPUT_BYTES) {
      // Stop reading; cancelling the stream closes the connection.
      await response.body.cancel().catch(() => {});
      return { text: '', bytes, tooLarge: true };
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, tooLarge: false };
}

function decodeBody(text: string | null, headers: Headers, req: ExecutionRequest): JsonValue {
  if (text === null) return null;
  const type = headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return text;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    req.log('system', `response says ${type} but is not valid JSON: kept as text`);
    return text;
  }
}
