// Where a client created by createDtssClient talks to: kept beside the tRPC proxy (which cannot
// carry extra properties) so helpers take just the client.
export interface DtssConnection {
  /** The web app's origin, e.g. http://localhost:3000 (no trailing slash). */
  url: string;
  token?: string;
  fetch?: typeof fetch;
}

const connections = new WeakMap<object, DtssConnection>();

export function rememberConnection(client: object, connection: DtssConnection): void {
  connections.set(client, connection);
}

export function connectionOf(client: object): DtssConnection {
  const connection = connections.get(client);
  if (!connection) throw new Error('not a client made by createDtssClient');
  return connection;
}

/** The origin without trailing slashes, checked so mistakes show up before any request. */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL (expected e.g. http://localhost:3000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`"${url}" must be an http or https URL`);
  }
  return parsed.toString().replace(/\/+$/, '');
}
