// A Slack-compatible incoming webhook: `{ "text": … }`, with Slack's control characters escaped so
// a workflow or task name cannot mention @channel or forge a link.
import { slackText } from '@dtss/core';
import type { AlertPayload } from './payload';
import { postJson, type SendResult } from './http';

export async function sendSlack(
  target: { url: string },
  payload: AlertPayload,
  timeoutMs: number,
): Promise<SendResult> {
  return postJson(target.url, JSON.stringify({ text: slackText(payload.text) }), {}, timeoutMs);
}
