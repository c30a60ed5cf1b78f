/**
 * One dedicated connection LISTENing for what wakes the leader: schedule/trigger/backfill changes
 * (dtss_schedules) and run status changes (dtss_run_events). A dropped connection is reopened
 * with backoff; notifications sent meanwhile are lost, so `onReconnect` lets every loop do a full
 * pass.
 */
import pg from 'pg';

export interface NotificationHandlers {
  onNotification: (channel: string, payload: string) => void;
  onReconnect: () => void;
  onError: (err: Error) => void;
}

export class NotificationListener {
  private client: pg.Client | null = null;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 250;

  constructor(
    private readonly databaseUrl: string,
    private readonly channels: string[],
    private readonly handlers: NotificationHandlers,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect(false);
  }

  private async connect(reconnect: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'dtss-scheduler-listen',
    });
    client.on('notification', (n) => this.handlers.onNotification(n.channel, n.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('LISTEN connection closed')));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.backoffMs = 250;
    if (reconnect) this.handlers.onReconnect();
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client && this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    if (this.stopped) return;
    this.handlers.onError(err);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(true), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
