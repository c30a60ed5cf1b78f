// One LISTEN connection per web process, fanned out in memory to every open stream of a run.
// Browsers never get a database connection of their own: 1 000 open tabs cost this one client plus
// the reads their streams make through the shared pool.
//
// The connection is opened on the first subscription and kept. When it drops (database restart,
// terminated backend) it is reopened with exponential backoff, and every subscriber is told to
// `resync`: notices sent while nobody listened are lost, so streams re-read what they show.
import pg from 'pg';
import { LIVE_CHANNELS, parseNotice, type LiveNotice } from './notices';
import { webLog } from '../log';

export type HubEvent = LiveNotice | { channel: 'resync' };
export type HubListener = (event: HubEvent) => void;

export interface LiveHubOptions {
  databaseUrl: string;
  /** Shows in pg_stat_activity. */
  applicationName?: string;
  /** First reconnect delay; doubled per failure up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told about connection trouble (default: one warning in the log per outage). */
  onWarning?: (message: string) => void;
}

export class LiveHub {
  private readonly subscribers = new Map<string, Set<HubListener>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  /** True once a connection has been lost, so the next successful one triggers a resync. */
  private lostSinceConnected = false;

  constructor(private readonly opts: LiveHubOptions) {}

  /**
   * Calls `listener` for every notice about `runId` and on `resync`. Resolves once the hub is
   * listening (so a caller that reads state afterwards cannot miss a change in between), or at
   * once during an outage (a `resync` follows the reconnect); the returned function unsubscribes.
   */
  async subscribe(runId: string, listener: HubListener): Promise<() => void> {
    if (this.closed) throw new Error('the live hub is closed');
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    set.add(listener);
    const unsubscribe = () => {
      const current = this.subscribers.get(runId);
      current?.delete(listener);
      if (current?.size === 0) this.subscribers.delete(runId);
    };
    // While a reconnect is scheduled (an outage), new streams do not force extra attempts: the
    // resync they get once it succeeds makes them re-read.
    if (this.retryTimer) return unsubscribe;
    try {
      await this.ready();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Open streams, for tests and metrics. */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  get connected(): boolean {
    return this.client !== null && this.connecting === null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.subscribers.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Resolves when listening; starts connecting if nobody is. */
  private ready(): Promise<void> {
    if (this.client && !this.connecting) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.databaseUrl,
      application_name: this.opts.applicationName ?? 'dtss-web-live',
      connectionTimeoutMillis: 10_000,
      // Dead peers (a pulled cable, not a restart) are noticed by TCP keepalive.
      keepAlive: true,
    });
    client.on('notification', (message) => this.dispatch(message.channel, message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of LIVE_CHANNELS) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    if (this.lostSinceConnected) {
      this.lostSinceConnected = false;
      this.broadcast({ channel: 'resync' });
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.lostSinceConnected = true;
    client.end().catch(() => undefined);
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.closed) return;
    const min = this.opts.minBackoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 10_000;
    // Full jitter keeps many web processes from reconnecting in lockstep after a restart.
    const delay = Math.random() * Math.min(max, min * 2 ** this.failures);
    if (this.failures === 0) this.warn('lost the LISTEN connection; reconnecting');
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ready().catch(() => this.scheduleReconnect());
    }, delay);
    this.retryTimer.unref();
  }

  private dispatch(channel: string, payload: string | undefined): void {
    const event = parseNotice(channel, payload);
    if (!event) return;
    const set = this.subscribers.get(event.notice.runId);
    if (!set) return;
    for (const listener of [...set]) this.deliver(listener, event);
  }

  private broadcast(event: HubEvent): void {
    for (const set of this.subscribers.values()) {
      for (const listener of [...set]) this.deliver(listener, event);
    }
  }

  private deliver(listener: HubListener, event: HubEvent): void {
    try {
      listener(event);
    } catch (error) {
      // One broken stream must not starve the others.
      this.warn(`a live subscriber threw: ${(error as Error).message}`);
    }
  }

  private warn(message: string): void {
    (this.opts.onWarning ?? ((m: string) => webLog().warn(`[live] ${m}`)))(message);
  }
}
