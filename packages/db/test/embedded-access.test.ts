/**
 * As root, the embedded Postgres runs as the user `postgres`: a checkout that user cannot enter
 * (e.g. under /root, mode 0700) is refused up front with a message that names the directory and
 * says what to do, instead of initdb's bare `spawn … EACCES`.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/postgres/embedded';
import { firstClosedDirectory } from '../src/postgres/postgresUserAccess';
import { freePort } from '../src/testing/test-cluster';

const base = mkdtempSync(path.join(os.tmpdir(), 'dtss-access-'));
const closed = path.join(base, 'home');
mkdirSync(path.join(closed, 'checkout'), { recursive: true });
chmodSync(base, 0o755);
chmodSync(closed, 0o700);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a data directory the postgres user cannot reach', () => {
  it('finds the first directory closed to an account that does not own it', () => {
    const stranger = { uid: 54_321, gids: [54_321] };
    expect(firstClosedDirectory(path.join(closed, 'checkout', 'pg'), stranger)).toBe(closed);
    expect(firstClosedDirectory(path.join(base, 'open', 'pg'), stranger)).toBeNull();
    // Its owner may enter it.
    const owner = { uid: process.getuid!(), gids: [] };
    expect(firstClosedDirectory(path.join(closed, 'checkout'), owner)).toBeNull();
  });

  it.skipIf(process.getuid?.() !== 0)(
    'stops npm start / npm test with a message that says what to do (as root)',
    async () => {
      const dataDir = path.join(closed, 'checkout', '.dtss', 'pg');
      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toThrow(
        new RegExp(`cannot enter ${closed} \\(mode 0700\\).*DATABASE_URL`),
      );
    },
  );
});
