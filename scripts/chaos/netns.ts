/**
 * A network namespace for one worker, joined to this host by a veth pair: the worker reaches
 * Postgres at the host end's address, and taking the host end down partitions it (its TCP
 * connections stall, as with a cut cable, rather than being refused). Needs root and `ip`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Netns {
  name: string;
  /** The host end's address: where the namespaced worker finds Postgres. */
  hostAddress: string;
  /** The /30 both ends share (for pg_hba.conf). */
  network: string;
  /** Command prefix that runs a program inside the namespace. */
  exec: string[];
  partition(): Promise<void>;
  heal(): Promise<void>;
  destroy(): Promise<void>;
}

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args);
  return stdout;
}

/** Why namespaces cannot be used here, or null when they can. */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root (ip netns needs root)';
  try {
    await ip('netns', 'list');
    return null;
  } catch (err) {
    return `ip netns does not work here: ${(err as Error).message.split('\n')[0]}`;
  }
}

/**
 * Creates the namespace and the veth pair on a free 10.213.x.y/30. Names carry our pid, so two
 * suites (or other engineers' namespaces) never collide; interface names stay within 15 bytes.
 */
export async function createNetns(): Promise<Netns> {
  await removeStaleNamespaces();
  const tag = (process.pid % 100_000).toString();
  const name = `dtss-chaos-${process.pid}`;
  const hostIf = `dch${tag}h`;
  const nsIf = `dch${tag}n`;
  const used = await ip('-4', '-o', 'addr', 'show');
  // The /30 networks of 10.213.0.0/16, starting at one picked by our pid, skipping any in use.
  const base = Array.from({ length: 64 }, (_, i) => ((process.pid + i * 7) % 16_384) * 4).find(
    (b) => !used.includes(` 10.213.${b >> 8}.${(b & 255) + 1}/`),
  );
  if (base === undefined) throw new Error('no free /30 in 10.213.0.0/16 for the chaos namespace');
  const net = (offset: number) => `10.213.${base >> 8}.${(base & 255) + offset}`;
  const hostAddress = net(1);
  const nsAddress = net(2);
  const network = `${net(0)}/30`;

  const destroy = async () => {
    // Deleting the namespace deletes the veth pair with it.
    await ip('netns', 'del', name).catch(() => {});
    await ip('link', 'del', hostIf).catch(() => {});
  };
  await destroy();
  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    await ip('link', 'set', nsIf, 'netns', name);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    await ip('netns', 'exec', name, 'ip', 'link', 'set', nsIf, 'up');
    await ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    name,
    hostAddress,
    network,
    // `ip netns exec` execs the program in place: the pid we spawn is the worker's pid.
    exec: ['ip', 'netns', 'exec', name],
    partition: async () => void (await ip('link', 'set', hostIf, 'down')),
    heal: async () => void (await ip('link', 'set', hostIf, 'up')),
    destroy,
  };
}

/** Namespaces of earlier suites that were killed before they could clean up (their pid is gone). */
async function removeStaleNamespaces(): Promise<void> {
  const list = await ip('netns', 'list');
  for (const m of list.matchAll(/^dtss-chaos-(\d+)\b/gm)) {
    const pid = Number(m[1]);
    try {
      process.kill(pid, 0);
    } catch {
      await ip('netns', 'del', `dtss-chaos-${pid}`).catch(() => {});
    }
  }
}
