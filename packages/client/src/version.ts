// This client's version, sent with every request (header below): a server that cannot serve it
// answers with an error naming both versions.
import pkg from '../package.json' with { type: 'json' };

export const CLIENT_VERSION: string = pkg.version;
/** Must match the server's (@dtss/api, clientVersion.ts). */
export const CLIENT_VERSION_HEADER = 'x-dtss-client-version';
