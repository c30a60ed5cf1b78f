// Starts the web app's route handlers (route-server.ts) in a child process on a free port, the way
// tests reach the API and the SSE streams over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const WEB_DIR = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(import.meta.dirname, 'route-server.ts');

export interface RouteServer {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** `port` 0 picks a free one; pass a server's old port to restart it where clients expect it. */
export async function startRouteServer(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
  port = 0,
): Promise<RouteServer> {
  // cwd = apps/web; tsx reads the `@/` paths (and the server-only shim) from this tsconfig.
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, String(port)], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: path.join(import.meta.dirname, 'tsconfig.route-server.json'),
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: randomBytes(32).toString('base64'),
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const listening = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`route server did not start:\n${output}`)),
      30_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
      const m = /listening on (\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`route server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${listening}`,
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}
