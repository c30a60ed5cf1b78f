/**
 * `next start` serves a production build; this builds one when none exists or when sources changed
 * since the last build (newest mtime wins), so `npm start` works on a fresh clone and after edits.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { makePrefix, pipePrefixed } from './prefixed-output';

const SOURCE_DIRS = ['apps/web/src', 'packages/core/src', 'packages/db/src'];
const SOURCE_FILES = ['apps/web/next.config.ts', 'apps/web/package.json', 'package-lock.json'];

export function webBuildIsStale(root: string): boolean {
  const buildId = path.join(root, 'apps/web/.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newest = Math.max(
    ...SOURCE_FILES.map((f) => mtime(path.join(root, f))),
    ...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))),
  );
  return newest > builtAt;
}

export async function buildWeb(root: string, env: NodeJS.ProcessEnv): Promise<void> {
  const prefix = makePrefix('build');
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'build'],
    {
      cwd: path.join(root, 'apps/web'),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  pipePrefixed(child.stdout, prefix, process.stdout);
  pipePrefixed(child.stderr, prefix, process.stderr);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') stack.push(full);
      } else {
        newest = Math.max(newest, statSync(full).mtimeMs);
      }
    }
  }
  return newest;
}
