// Teams, members, invitations, API tokens, secrets and the audit trail.
import { TEAM_SLUG_PATTERN } from '@dtss/db';
import { SECRET_NAME_PATTERN } from '@dtss/core';
import { z } from 'zod';
import { id, limit, teamRole, timeCursor } from './common';

export const teamsCreate = z.object({
  slug: z.string().regex(TEAM_SLUG_PATTERN, 'lower-case letters, digits and dashes (at most 48)'),
  name: z.string().trim().min(1).max(100),
});

export const email = z.email().max(320);

export const membersInvite = z.object({ email, role: teamRole.default('viewer') });
export const membersAcceptInvitation = z.object({ token: z.string().min(10).max(200) });
export const membersChangeRole = z.object({ userId: id, role: teamRole });
export const membersRemove = z.object({ userId: id });
export const membersRevokeInvitation = z.object({ invitationId: id });

export const tokensCreate = z.object({
  name: z.string().trim().min(1).max(100),
  role: teamRole.default('editor'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const tokensRevoke = z.object({ tokenId: id });

const secretName = z.string().regex(SECRET_NAME_PATTERN, 'letters, digits, _, ., / and -');
export const MAX_SECRET_CHARS = 64 * 1024;
export const secretsCreate = z.object({
  name: secretName,
  value: z.string().max(MAX_SECRET_CHARS),
  description: z.string().max(500).optional(),
});
export const secretsUpdate = z.object({
  name: secretName,
  value: z.string().max(MAX_SECRET_CHARS),
  description: z.string().max(500).optional(),
});
export const secretsDelete = z.object({ name: secretName });

export const auditList = z.object({
  limit: limit(200, 50),
  cursor: timeCursor.nullish(),
  /** An action (`workflow.apply`) or a prefix of actions (`workflow`). */
  action: z.string().max(100).optional(),
});
