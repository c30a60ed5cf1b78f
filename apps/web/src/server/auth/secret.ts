import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * AUTH_SECRET signs session cookies. `npm start` generates one into `.dtss/auth-secret`; a bare
 * `next dev`/`next start` outside production reads (or creates) that same file, so sessions
 * survive restarts. Production must set AUTH_SECRET.
 */
export function authSecret(): string | undefined {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  if (process.env.NODE_ENV === 'production') return undefined;
  const root = process.env.DTSS_REPO_ROOT ?? path.resolve(process.cwd(), '../..');
  const home = path.resolve(root, process.env.DTSS_HOME ?? '.dtss');
  const file = path.join(home, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(home, { recursive: true });
  const secret = randomBytes(32).toString('base64');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
