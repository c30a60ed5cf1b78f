// The inputs of the settings procedures that people type into forms: team name, invitations,
// API tokens, secrets and the audit log's filters. Pure (zod and @dtss/core only), so the web app's
// forms check a field by these very rules before sending (`@dtss/api/forms`); the procedures parse
// their input with them again (schemas/access.ts).
import { SECRET_NAME_PATTERN, storableDate } from '@dtss/core';
import { z } from 'zod';
import { TEAM_ROLES } from '../roles';
import { teamRole } from './common';

export { TEAM_ROLES };

export const teamName = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(100, 'at most 100 characters');

export const email = z.email('an email address, like ada@example.com').max(320);

/** The shortest password accepted (sign-up, password change; the pages say so and check it too). */
export const MIN_PASSWORD_CHARS = 10;
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_CHARS, `at least ${MIN_PASSWORD_CHARS} characters`)
  .max(1024, 'at most 1024 characters');
/** The password change form: the current password, and the new one. */
export const passwordChangeFields = z
  .object({
    currentPassword: z.string().min(1, 'your current password is required').max(1024),
    newPassword,
  })
  .refine((f) => f.newPassword !== f.currentPassword, {
    path: ['newPassword'],
    message: 'the new password is the current one',
  });

/** The invitation form: an email and the role the person gets when they accept. */
export const inviteFields = z.object({ email, role: teamRole.default('viewer') });

export const tokenName = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(100, 'at most 100 characters');
/** Days until a token expires (absent: never). */
export const tokenExpiresInDays = z
  .number()
  .int('whole days')
  .min(1, 'at least one day from now')
  .max(3650, 'at most 10 years from now');
export const tokenFields = z.object({
  name: tokenName,
  role: teamRole.default('editor'),
  expiresInDays: tokenExpiresInDays.optional(),
});

export const MAX_SECRET_CHARS = 64 * 1024;
export const secretName = z
  .string()
  .regex(
    SECRET_NAME_PATTERN,
    'letters, digits, _, ., / and -, starting with a letter, digit or _ (at most 128 characters)',
  );
export const secretValue = z
  .string()
  .max(MAX_SECRET_CHARS, `at most ${MAX_SECRET_CHARS} characters`);
export const secretDescription = z.string().max(500, 'at most 500 characters');
export const secretFields = z.object({
  name: secretName,
  value: secretValue,
  description: secretDescription.optional(),
});

/** Every action the audit trail records, by area (the audit log page offers them as filters). */
/** Days a team keeps something (null: forever). */
const retentionDays = z
  .number()
  .int('whole days')
  .min(1, 'at least one day')
  .max(36_500, 'at most 100 years (or keep forever)')
  .nullable();
/** A team's retention: log lines of finished runs, and the finished runs themselves. */
export const retentionFields = z
  .object({ logRetentionDays: retentionDays, runRetentionDays: retentionDays })
  .refine(
    (r) =>
      r.runRetentionDays === null ||
      (r.logRetentionDays !== null && r.logRetentionDays <= r.runRetentionDays),
    {
      path: ['logRetentionDays'],
      message: 'logs go with their runs: keep them at most as long as the runs',
    },
  );

export const AUDIT_ACTIONS = {
  account: ['account.password_change', 'account.sign_out_everywhere'],
  team: ['team.create', 'team.rename', 'team.retention', 'team.delete'],
  member: [
    'member.invite',
    'member.invite_revoke',
    'member.join',
    'member.role_change',
    'member.remove',
  ],
  token: ['token.create', 'token.revoke'],
  secret: ['secret.create', 'secret.update', 'secret.delete'],
  workflow: ['workflow.apply', 'workflow.archive'],
  run: ['run.trigger', 'run.cancel', 'run.rerun'],
  schedule: [
    'schedule.create',
    'schedule.update',
    'schedule.pause',
    'schedule.resume',
    'schedule.delete',
  ],
  trigger: [
    'trigger.create',
    'trigger.enable',
    'trigger.disable',
    'trigger.rotate_secret',
    'trigger.delete',
  ],
  backfill: ['backfill.create', 'backfill.cancel'],
  event: ['event.publish'],
  worker: ['worker.drain'],
  alert_channel: [
    'alert_channel.create',
    'alert_channel.update',
    'alert_channel.test',
    'alert_channel.delete',
  ],
  alert_rule: ['alert_rule.create', 'alert_rule.delete'],
} as const satisfies Record<string, readonly string[]>;

/** The audit log's filters: who (an email or token name, or part of one), what, and when. */
export const auditFilterFields = z.object({
  actor: z.string().trim().min(1).max(320).optional(),
  /** An action (`workflow.apply`) or a prefix of actions (`workflow`). */
  action: z.string().trim().min(1).max(100).optional(),
  from: storableDate('a date and time').optional(),
  to: storableDate('a date and time').optional(),
});

/** A time range ends after it starts. */
export function checkTimeRange(f: { from?: Date; to?: Date }, ctx: z.RefinementCtx): void {
  if (f.from && f.to && f.from > f.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end is before the start' });
  }
}

export const auditFilters = auditFilterFields.superRefine(checkTimeRange);
