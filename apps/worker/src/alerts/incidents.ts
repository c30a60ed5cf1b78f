// Opening and resolving incidents on behalf of the evaluator: renders the message once (the same
// text goes to every channel and every retry) and keeps the pass's view of open incidents current.
import { renderAlertMessage, type AlertEvent, type IncidentKeys } from '@dtss/core';
import {
  openIncident,
  resolveIncident,
  type AlertRuleRow,
  type LeaderFence,
  type OpenIncidentRow,
  type Pool,
} from '@dtss/db';
import type { AlertPayload } from './payload';

export type EvaluatedRule = AlertRuleRow & { teamSlug: string };

export interface Opening {
  keys: IncidentKeys;
  title: string;
  details: string[];
  workflowId: string | null;
  runId: string | null;
  workflowName: string | null;
  /** A notice (run recovered, a deadline missed by a run that already ended): no resolve. */
  instant?: boolean;
}

export class IncidentWriter {
  /** Open incidents by `${ruleId}|${key}`, as read at the start of the pass and kept up to date. */
  readonly open = new Map<string, OpenIncidentRow>();
  opened = 0;
  resolved = 0;

  constructor(
    private readonly pool: Pool,
    private readonly fence: LeaderFence | null,
    private readonly publicUrl: string | null,
    now: () => Date,
    openRows: OpenIncidentRow[],
  ) {
    this.now = now;
    for (const row of openRows) this.open.set(`${row.ruleId}|${row.key}`, row);
  }
  private readonly now: () => Date;

  findOpen(rule: EvaluatedRule, key: string): OpenIncidentRow | undefined {
    return this.open.get(`${rule.id}|${key}`);
  }

  openFor(rule: EvaluatedRule): OpenIncidentRow[] {
    return [...this.open.values()].filter((row) => row.ruleId === rule.id);
  }

  async openIncident(rule: EvaluatedRule, o: Opening): Promise<void> {
    if (!o.instant && this.findOpen(rule, o.keys.key)) return;
    const payload = this.payload(rule, 'opened', {
      key: o.keys.key,
      title: o.title,
      details: o.details,
      workflow: o.workflowName,
      runId: o.runId,
    });
    const id = await openIncident(this.pool, this.fence, {
      teamId: rule.teamId,
      ruleId: rule.id,
      kind: rule.kind,
      channelNames: rule.channelNames,
      key: o.keys.key,
      cause: o.keys.cause,
      workflowId: o.workflowId,
      runId: o.runId,
      title: o.title,
      details: o.details,
      payload: payload as unknown as Record<string, unknown>,
      instant: o.instant === true,
    });
    if (!id) return;
    this.opened++;
    if (!o.instant) {
      this.open.set(`${rule.id}|${o.keys.key}`, {
        id,
        teamId: rule.teamId,
        ruleId: rule.id,
        kind: rule.kind,
        key: o.keys.key,
        workflowId: o.workflowId,
        runId: o.runId,
        title: o.title,
        details: o.details,
        openedAt: this.now(),
      });
    }
  }

  async resolve(rule: EvaluatedRule, incident: OpenIncidentRow, resolution: string): Promise<void> {
    const payload = this.payload(rule, 'resolved', {
      key: incident.key,
      title: incident.title,
      details: [resolution, ...incident.details],
      workflow: null,
      runId: incident.runId,
    });
    const done = await resolveIncident(this.pool, this.fence, {
      incidentId: incident.id,
      resolution,
      payload: payload as unknown as Record<string, unknown>,
    });
    this.open.delete(`${rule.id}|${incident.key}`);
    if (done) this.resolved++;
  }

  private payload(
    rule: EvaluatedRule,
    event: AlertEvent,
    incident: NonNullable<AlertPayload['incident']> extends infer I ? Omit<I, 'at'> : never,
  ): AlertPayload {
    const at = this.now();
    const url = this.publicUrl
      ? incident.runId
        ? `${this.publicUrl}/t/${rule.teamSlug}/runs/${incident.runId}`
        : `${this.publicUrl}/t/${rule.teamSlug}/alerts`
      : null;
    const message = renderAlertMessage({
      event,
      kind: rule.kind,
      ruleName: rule.name,
      teamSlug: rule.teamSlug,
      title: incident.title,
      details: incident.details,
      url,
      at,
    });
    return {
      event,
      kind: rule.kind,
      team: rule.teamSlug,
      rule: rule.name,
      subject: message.subject,
      text: message.text,
      incident: { ...incident, at: at.toISOString() },
    };
  }
}
