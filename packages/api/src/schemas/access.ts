// Teams, members, invitations, API tokens, secrets and the audit trail.
import { TEAM_SLUG_PATTERN } from '@dtss/db';
import { z } from 'zod';
import { id, limit, teamRole, timeCursor } from './common';
import {
  auditFilterFields,
  checkTimeRange,
  email,
  inviteFields,
  MAX_SECRET_CHARS,
  passwordChangeFields,
  retentionFields,
  secretFields,
  secretName,
  teamName,
  tokenFields,
} from './forms';

export { email, MAX_SECRET_CHARS };

export const accountChangePassword = passwordChangeFields;

export const teamsCreate = z.object({
  slug: z.string().regex(TEAM_SLUG_PATTERN, 'lower-case letters, digits and dashes (at most 48)'),
  name: teamName,
});
export const teamsRename = z.object({ name: teamName });
export const teamsSetRetention = retentionFields;

export const membersInvite = inviteFields;
export const membersAcceptInvitation = z.object({ token: z.string().min(10).max(200) });
export const membersChangeRole = z.object({ userId: id, role: teamRole });
export const membersRemove = z.object({ userId: id });
export const membersRevokeInvitation = z.object({ invitationId: id });

export const tokensCreate = tokenFields;
export const tokensRevoke = z.object({ tokenId: id });

export const secretsCreate = secretFields;
/** A new value for a secret; its description too when given. */
export const secretsUpdate = secretFields;
export const secretsDelete = z.object({ name: secretName });

export const auditList = z
  .object({ limit: limit(200, 50), cursor: timeCursor.nullish(), ...auditFilterFields.shape })
  .superRefine(checkTimeRange);
