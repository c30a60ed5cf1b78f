// How a command reaches the API: the typed client for the configured server, and one place that
// turns failures of the network, the token or the input into messages a person can act on.
import { createDtssClient, DtssHttpError, TRPCClientError, type DtssClient } from '@dtss/client';
import { CliError } from '../format/cliError';
import { resolveServer, type ServerConfig } from './config';

export interface Api extends ServerConfig {
  client: DtssClient;
}

export async function connectApi(env: NodeJS.ProcessEnv = process.env): Promise<Api> {
  const server = await resolveServer(env);
  try {
    return { ...server, client: createDtssClient(server) };
  } catch (error) {
    throw new CliError(`DTSS_URL: ${(error as Error).message}`);
  }
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  issues?: { path: string; message: string }[];
}

/** A failed API call or stream as a CliError (anything unexpected is passed on as it is). */
export function toCliError(error: unknown, server: { url: string }): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    if (data.httpStatus === 401) return unauthorized(server);
    if (data.code === undefined) return unreachable(server, error.cause ?? error);
    // Field problems are listed one per line, so the summary need not repeat them.
    const issues = (data.issues ?? []).map((i) => `${i.path || '(input)'}: ${i.message}`);
    const message = issues.length
      ? error.message.replace(/^invalid input: .*/, 'invalid input')
      : error.message;
    return new CliError(message, issues);
  }
  if (error instanceof DtssHttpError) {
    if (error.status === 401) return unauthorized(server);
    return new CliError(error.message);
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    return unreachable(server, error.cause ?? error);
  }
  return error;
}

function unauthorized(server: { url: string }): CliError {
  return new CliError(`the server at ${server.url} refused the API token (401)`, [
    'the token may be revoked or expired: create a new one and run `dtss login` again',
  ]);
}

function unreachable(server: { url: string }, cause: unknown): CliError {
  const detail =
    (cause as { code?: string })?.code ??
    (cause as { cause?: { code?: string } })?.cause?.code ??
    (cause as Error)?.message;
  return new CliError(`cannot reach the DTSS server at ${server.url}: is it running?`, [
    `(${detail || String(cause)})`,
  ]);
}

/** Runs `action` with the API, reporting its failures in plain words. */
export async function withApi<T>(action: (api: Api) => Promise<T>): Promise<T> {
  const api = await connectApi();
  try {
    return await action(api);
  } catch (error) {
    throw toCliError(error, api);
  }
}
