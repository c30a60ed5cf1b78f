// What a delivery carries (alert_deliveries.payload): the rendered text and the facts a webhook
// receiver can act on. Built when the incident opens or resolves, so a retry sends the same thing.
import type { AlertEvent, AlertRuleKind } from '@dtss/core';

export interface AlertPayload {
  event: AlertEvent | 'test';
  kind: AlertRuleKind | null;
  team: string;
  rule: string | null;
  subject: string;
  text: string;
  incident: {
    key: string;
    title: string;
    details: string[];
    workflow: string | null;
    runId: string | null;
    at: string;
  } | null;
}
