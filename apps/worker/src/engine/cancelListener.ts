/**
 * Listens for cancel requests (NOTIFY dtss_cancel) on a dedicated connection and stops the matching
 * attempts running here, so a cancel reaches the process within moments. Reconnects after errors.
 */
import pg from 'pg';
import { CANCEL_CHANNEL } from '@dtss/db';
import type { RunningTasks } from './runningTasks';

export interface CancelListener {
  stop(): Promise<void>;
}

export function listenForCancels(
  databaseUrl: string,
  running: RunningTasks,
  onError: (message: string) => void,
): CancelListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'dtss-worker-cancel',
    });
    c.on('notification', (msg) => {
      try {
        const { taskRunIds } = JSON.parse(msg.payload ?? '{}') as { taskRunIds?: string[] };
        for (const id of taskRunIds ?? []) running.stop(id, 'cancelled');
      } catch {
        // A malformed payload is not ours to act on.
      }
    });
    c.on('error', (err) => {
      onError(`cancel listener: ${err.message}`);
      client = null;
      void c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), 1_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CANCEL_CHANNEL}`);
      client = c;
    } catch (err) {
      onError(`cancel listener: ${(err as Error).message}`);
      void c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect(), 1_000);
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
