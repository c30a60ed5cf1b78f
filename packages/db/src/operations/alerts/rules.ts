// Alert rules: those a workflow file declares (`alerts:`, source definition) are kept in step with
// the file when a version is saved, by name, so their incidents survive new versions; team rules
// (source api) are made and deleted through the API. The normalized rule is stored whole in
// `config`; kind, channel names and enabled are columns for the lists and the leader.
import type { AlertRuleSpec, NormalizedWorkflow } from '@dtss/core';
import type { Prisma } from '../../client';
import type { Pool } from '../../pool';
import { withTransaction } from '../../transaction';

export interface AlertRuleRow {
  id: string;
  teamId: string;
  workflowId: string | null;
  workflowName: string | null;
  name: string;
  kind: AlertRuleSpec['on'];
  source: 'definition' | 'api';
  channelNames: string[];
  spec: AlertRuleSpec;
  enabled: boolean;
  createdAt: Date;
}

export class AlertRuleError extends Error {
  override name = 'AlertRuleError';
  constructor(
    readonly code: 'exists' | 'not_found' | 'declared_in_file' | 'unknown_workflow',
    message: string,
  ) {
    super(message);
  }
}

/** In saveWorkflowVersion's transaction: the file's rules replace the workflow's declared ones. */
export async function syncDeclaredAlertRules(
  tx: Prisma.TransactionClient,
  teamId: string,
  workflowId: string,
  definition: NormalizedWorkflow,
): Promise<void> {
  const rules = definition.alerts ?? [];
  await tx.alertRule.deleteMany({
    where: { workflowId, source: 'definition', name: { notIn: rules.map((r) => r.name) } },
  });
  for (const rule of rules) {
    const fields = {
      kind: rule.on,
      channelNames: rule.channels,
      config: rule as unknown as Prisma.InputJsonValue,
      enabled: rule.enabled,
      source: 'definition' as const,
    };
    await tx.alertRule.upsert({
      where: { teamId_workflowId_name: { teamId, workflowId, name: rule.name } },
      create: { teamId, workflowId, name: rule.name, ...fields },
      update: fields,
    });
  }
}

const SELECT = `SELECT r.id, r.team_id AS "teamId", r.workflow_id AS "workflowId",
                       w.name AS "workflowName", r.name, r.kind, r.source,
                       r.channel_names AS "channelNames", r.config AS spec, r.enabled,
                       r.created_at AS "createdAt"
                  FROM alert_rules r LEFT JOIN workflows w ON w.id = r.workflow_id`;

/** A team rule (source api), on every workflow of the team or on one. */
export async function createAlertRule(
  pool: Pool,
  input: { teamId: string; workflowId: string | null; spec: AlertRuleSpec },
): Promise<AlertRuleRow> {
  const { teamId, workflowId, spec } = input;
  if (workflowId) {
    const { rowCount } = await pool.query(
      'SELECT 1 FROM workflows WHERE team_id = $1 AND id = $2',
      [teamId, workflowId],
    );
    if (!rowCount) throw new AlertRuleError('unknown_workflow', 'no such workflow');
  }
  // Team-wide rules have no workflow, which the unique index does not compare: a lock per team
  // makes the name check and the insert one step.
  const rows = await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('alert_rules:' || $1, 0))`, [
      teamId,
    ]);
    const result = await client.query<{ id: string }>(
      `INSERT INTO alert_rules (team_id, workflow_id, name, kind, source, channel_names, config, enabled)
       SELECT $1, $2, $3, $4, 'api', $5, $6, $7
        WHERE NOT EXISTS (SELECT 1 FROM alert_rules WHERE team_id = $1
                             AND workflow_id IS NOT DISTINCT FROM $2::uuid AND name = $3)
       RETURNING id`,
      [teamId, workflowId, spec.name, spec.on, spec.channels, spec, spec.enabled],
    );
    return result.rows;
  });
  if (!rows[0]) throw new AlertRuleError('exists', `a rule named "${spec.name}" exists`);
  return (await findAlertRule(pool, teamId, rows[0].id))!;
}

export async function findAlertRule(
  pool: Pool,
  teamId: string,
  ruleId: string,
): Promise<AlertRuleRow | null> {
  const { rows } = await pool.query<AlertRuleRow>(`${SELECT} WHERE r.team_id = $1 AND r.id = $2`, [
    teamId,
    ruleId,
  ]);
  return rows[0] ?? null;
}

/** Deletes a team rule; a rule declared in a workflow file belongs to the file. */
export async function deleteAlertRule(pool: Pool, teamId: string, ruleId: string): Promise<void> {
  const rule = await findAlertRule(pool, teamId, ruleId);
  if (!rule) throw new AlertRuleError('not_found', 'no such rule');
  if (rule.source === 'definition') {
    throw new AlertRuleError(
      'declared_in_file',
      `rule "${rule.name}" is declared in workflow ${rule.workflowName}'s file: change the file and apply it`,
    );
  }
  await pool.query('DELETE FROM alert_rules WHERE team_id = $1 AND id = $2', [teamId, ruleId]);
}

/** A team's rules (or one workflow's and the team-wide ones), team-wide first, then by workflow. */
export async function listAlertRules(
  pool: Pool,
  teamId: string,
  opts: { workflowId?: string } = {},
): Promise<AlertRuleRow[]> {
  const { rows } = await pool.query<AlertRuleRow>(
    `${SELECT} WHERE r.team_id = $1 AND ($2::uuid IS NULL OR r.workflow_id = $2 OR r.workflow_id IS NULL)
      ORDER BY w.name NULLS FIRST, r.name`,
    [teamId, opts.workflowId ?? null],
  );
  return rows;
}

/** Every enabled rule of every team, for the leader (archived workflows' rules are left out). */
export async function readEnabledAlertRules(
  pool: Pool,
): Promise<Array<AlertRuleRow & { teamSlug: string }>> {
  const { rows } = await pool.query<AlertRuleRow & { teamSlug: string }>(
    `${SELECT.replace('SELECT ', 'SELECT t.slug AS "teamSlug", ')} JOIN teams t ON t.id = r.team_id
      WHERE r.enabled AND (r.workflow_id IS NULL OR w.archived_at IS NULL)
      ORDER BY r.team_id, r.id`,
  );
  return rows;
}
