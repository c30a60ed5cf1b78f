/**
 * The API over HTTP (tRPC's fetch adapter): what the web app mounts at /api/trpc/[trpc]. Bodies
 * over the limit are refused before they are read whole; errors are logged here, and clients get
 * only the formatted error (see trpc.ts).
 *
 * CSRF: a POST must be `application/json` (a cross-site form cannot send that without a CORS
 * preflight, which this API never grants; tRPC would otherwise also take multipart and
 * octet-stream bodies), and a POST without an Authorization header (the session cookie's case)
 * from another site (Sec-Fetch-Site, else Origin vs Host) is refused, so sibling subdomains,
 * which SameSite=Lax does not stop, cannot post with the cookie either.
 */
import { isDatabaseUnavailable } from '@dtss/db';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { CLIENT_VERSION_HEADER, clientVersionProblem } from './clientVersion';
import { appRouter } from './root';
import { MAX_INPUT_DEPTH } from './schemas/common';
import { databaseUnavailable, type ApiContext, type ErrorData } from './trpc';

export const API_ENDPOINT = '/api/trpc';
/** Workflow files are at most 1 MiB; a batch of a few calls fits in 2 MiB. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Calls per batched request (clients: `httpBatchLink({ maxItems })` at most this). */
export const MAX_BATCH_SIZE = 100;

/**
 * JSON nested deeper than this is refused before it is parsed: the input's own limit, plus the
 * envelopes around it (a batch, superjson's `json` and `meta`). Parsing and copying a body of a
 * million nested arrays took seconds of the server's one thread, to answer 400 in the end.
 */
export const MAX_JSON_DEPTH = MAX_INPUT_DEPTH + 8;

export interface FetchHandlerOptions {
  createContext(req: Request): Promise<ApiContext>;
  maxBodyBytes?: number;
  onInternalError?(error: unknown, path: string | undefined): void;
}

export function createFetchHandler(opts: FetchHandlerOptions): (req: Request) => Promise<Response> {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (req) => {
    const incompatible = clientVersionProblem(req.headers.get(CLIENT_VERSION_HEADER));
    if (incompatible) return errorResponse(412, 'PRECONDITION_FAILED', incompatible);
    const refused = refuseCrossSite(req);
    if (refused) return refused;
    const read = await limitBody(req, max);
    if (read instanceof Response) return read;
    const { request: limited, tooDeep } = read;
    if (tooDeep) {
      return errorResponse(
        400,
        'BAD_REQUEST',
        `the input is nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    return fetchRequestHandler({
      endpoint: API_ENDPOINT,
      req: limited,
      router: appRouter,
      // Queries with large inputs (workflows.validate) may be POSTed: clients set methodOverride.
      allowMethodOverride: true,
      maxBatchSize: MAX_BATCH_SIZE,
      // Reading the caller's session or token needs the database too.
      createContext: () =>
        opts.createContext(limited).catch((err: unknown) => {
          throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
        }),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          (opts.onInternalError ?? defaultLog)(error.cause ?? error, path);
        }
      },
    });
  };
}

/** A response refusing a POST that is not JSON or that comes from another site with a cookie. */
function refuseCrossSite(req: Request): Response | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const type = req.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the input as application/json');
  }
  if (req.headers.has('authorization')) return null;
  const site = req.headers.get('sec-fetch-site');
  const crossSite = site
    ? site !== 'same-origin' && site !== 'none'
    : !sameHost(req.headers.get('origin'), req.headers);
  return crossSite
    ? errorResponse(403, 'FORBIDDEN', 'cross-site requests are refused: use an API token')
    : null;
}

/** No Origin (not a browser) or an Origin whose host is the one the request was sent to. */
function sameHost(origin: string | null, headers: Headers): boolean {
  if (origin === null) return true;
  const host = (headers.get('x-forwarded-host') ?? headers.get('host'))?.split(',')[0]?.trim();
  try {
    return Boolean(host) && new URL(origin).host === host!.toLowerCase();
  } catch {
    return false;
  }
}

function defaultLog(error: unknown, path: string | undefined): void {
  console.error(`[api] ${path ?? '?'} failed:`, error);
}

/**
 * The request with its body read into memory if within `max` bytes (and whether its JSON, or a
 * GET's `input`, nests deeper than MAX_JSON_DEPTH), else a 413 response.
 */
async function limitBody(
  req: Request,
  max: number,
): Promise<{ request: Request; tooDeep: boolean } | Response> {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) {
    const input = new URL(req.url).searchParams.get('input');
    return { request: req, tooDeep: input !== null && nestsDeeper(input, MAX_JSON_DEPTH) };
  }
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max) return tooLarge(max);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return tooLarge(max);
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks);
  const request = new Request(req.url, {
    method: req.method,
    headers: req.headers,
    body,
    signal: req.signal,
  });
  return { request, tooDeep: nestsDeeper(body, MAX_JSON_DEPTH) };
}

/** Whether JSON text nests `[`/`{` deeper than `max` (outside strings): one pass, no parsing. */
function nestsDeeper(json: string | Uint8Array, max: number): boolean {
  const code =
    typeof json === 'string' ? (i: number) => json.charCodeAt(i) : (i: number) => json[i]!;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = code(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function tooLarge(max: number): Response {
  return errorResponse(413, 'PAYLOAD_TOO_LARGE', `request body too large (limit ${max} bytes)`);
}

/**
 * A refusal made before tRPC runs, in the shape of tRPC's own errors (see trpc.ts): serialized by
 * the same transformer (`{ error: { json: … } }`), so clients read it like any other error.
 */
function errorResponse(status: number, code: TRPC_ERROR_CODE_KEY, message: string): Response {
  const data: ErrorData = { code, httpStatus: status, issues: [] };
  const shape = { message, code: TRPC_ERROR_CODES_BY_KEY[code], data };
  return Response.json({ error: superjson.serialize(shape) }, { status });
}
