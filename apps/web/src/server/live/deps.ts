// What a stream needs from its web process: the shared pool for reads, the hub for notices.
import type { Pool } from '@dtss/db';
import type { LiveHub } from './hub';

export interface StreamDeps {
  pool: Pool;
  hub: LiveHub;
}
