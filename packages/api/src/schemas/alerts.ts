// Alert channels, team rules and incidents. A rule is written exactly as in a workflow file's
// `alerts:` (core's alertRuleSchema), so its errors read the same.
import { ALERT_CHANNEL_NAME_PATTERN, alertRuleSchema } from '@dtss/core';
import { z } from 'zod';
import { id, limit } from './common';

export const alertChannelName = z
  .string()
  .regex(
    ALERT_CHANNEL_NAME_PATTERN,
    'use 1-100 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2000);

const emailAddress = z.email().max(320);

export const alertChannelSettings = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('webhook'),
    url: httpUrl,
    /** Left out: one is generated (and shown once); on update, the current one is kept. */
    signingSecret: z.string().min(16).max(200).optional(),
  }),
  z.object({ kind: z.literal('slack'), url: httpUrl }),
  z.object({
    kind: z.literal('email'),
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false),
    from: emailAddress,
    to: z.array(emailAddress).min(1).max(50),
    username: z.string().max(200).nullable().default(null),
    password: z.string().max(1000).nullable().optional(),
  }),
]);

export const alertsChannelsCreate = z.object({
  name: alertChannelName,
  settings: alertChannelSettings,
  enabled: z.boolean().optional(),
});
export const alertsChannelsUpdate = z.object({
  channelId: id,
  name: alertChannelName.optional(),
  enabled: z.boolean().optional(),
  settings: alertChannelSettings.optional(),
});
export const alertsChannelRef = z.object({ channelId: id });
export const alertsChannelDeliveries = z.object({ channelId: id, limit: limit(100, 20) });

export const alertsRulesList = z.object({ workflowId: id.optional() });
export const alertsRulesCreate = z.object({
  /** Left out: every workflow of the team. */
  workflowId: id.optional(),
  rule: alertRuleSchema,
});
export const alertsRuleRef = z.object({ ruleId: id });

export const alertsIncidentsList = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  limit: limit(200, 50),
  cursor: z.object({ openedAt: z.coerce.date(), id }).nullish(),
});
export const alertsIncidentsForRun = z.object({ runId: id });
