// Which @dtss/client versions this server serves. Clients send their version in a header; a client
// this server cannot serve gets one clear error naming both versions (412) instead of a confusing
// failure deeper down (an unknown procedure, a field it never heard of). Requests without the
// header (the web app, curl, other languages) are served as before.
import pkg from '../package.json' with { type: 'json' };

export const CLIENT_VERSION_HEADER = 'x-dtss-client-version';
/** The API's version: the version of this package (the client is versioned with it). */
export const API_VERSION: string = pkg.version;

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

/**
 * Whether a client of `client` can talk to a server of `server`: the same major version, and for
 * 0.x versions the same minor (as npm's caret ranges read them: 0.1.x changes may break 0.2.x).
 */
export function versionsCompatible(client: string, server: string): boolean {
  const c = SEMVER.exec(client.trim());
  const s = SEMVER.exec(server.trim());
  if (!c || !s) return false;
  if (c[1] !== s[1]) return false;
  return c[1] !== '0' || c[2] === s[2];
}

/** Why this server cannot serve the client that sent `header`, or null when it can (or sent none). */
export function clientVersionProblem(
  header: string | null,
  server: string = API_VERSION,
): string | null {
  if (header === null) return null;
  const client = header.trim();
  if (versionsCompatible(client, server)) return null;
  const [major, minor] = server.split('.');
  const wanted = major === '0' ? `${major}.${minor}.x` : `${major}.x`;
  return (
    `@dtss/client ${client || '(no version)'} cannot talk to this DTSS server (API version ` +
    `${server}): install @dtss/client ${wanted}, the version this server serves`
  );
}
