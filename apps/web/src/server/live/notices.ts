// The two NOTIFY payloads the live streams follow, checked at the boundary: a malformed payload is
// dropped instead of reaching a browser.
import { LOG_CHANNEL, RUN_EVENTS_CHANNEL, type LogNotice, type RunEventsNotice } from '@dtss/db';
import { z } from 'zod';

const runEventsNotice = z.object({
  runId: z.string(),
  changes: z.array(z.object({ task: z.string().optional(), status: z.string() })),
  truncated: z.boolean().optional(),
});

const logNotice = z.object({
  runId: z.string(),
  taskRunId: z.string(),
  attemptId: z.string(),
  seq: z.number().int(),
});

export type LiveNotice =
  | { channel: typeof RUN_EVENTS_CHANNEL; notice: RunEventsNotice }
  | { channel: typeof LOG_CHANNEL; notice: LogNotice };

export const LIVE_CHANNELS = [RUN_EVENTS_CHANNEL, LOG_CHANNEL] as const;

/** The notice a notification carries, or null when it is not one of ours or does not parse. */
export function parseNotice(channel: string, payload: string | undefined): LiveNotice | null {
  if (!payload) return null;
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  if (channel === RUN_EVENTS_CHANNEL) {
    const parsed = runEventsNotice.safeParse(json);
    return parsed.success ? { channel, notice: parsed.data as RunEventsNotice } : null;
  }
  if (channel === LOG_CHANNEL) {
    const parsed = logNotice.safeParse(json);
    return parsed.success ? { channel, notice: parsed.data } : null;
  }
  return null;
}
