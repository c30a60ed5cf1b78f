// Which roles a person may hand out, and why an owner's row cannot change: the API's rules
// (packages/api/src/router/members.ts, tokens.ts) mirrored to disable controls with a reason. The
// API stays the authority; these only spare people a refusal.
import { TEAM_ROLES } from '@dtss/api/forms';
import type { TeamRole } from '@/components/shell/team';

const RANK: Record<TeamRole, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export const ROLE_HINT: Record<TeamRole, string> = {
  viewer: 'Sees everything, changes nothing.',
  editor: 'Edits and runs workflows, schedules and triggers.',
  admin: 'Also manages members, tokens and secrets.',
  owner: 'Also manages owners and can delete the team.',
};

/** Weakest first, as a select lists them. */
export const ROLES_ASCENDING: readonly TeamRole[] = [...TEAM_ROLES].reverse();

export function isBelow(a: TeamRole, b: TeamRole): boolean {
  return RANK[a] < RANK[b];
}

/** Roles an admin or owner may give a member or an invitee: owners only by an owner. */
export function assignableRoles(myRole: TeamRole): TeamRole[] {
  return ROLES_ASCENDING.filter((r) => r !== 'owner' || myRole === 'owner');
}

/** Roles a token may have: not above its creator's. */
export function tokenRoles(myRole: TeamRole): TeamRole[] {
  return ROLES_ASCENDING.filter((r) => !isBelow(myRole, r));
}

/** Why this member's role or membership cannot be changed by me, or null if it can. */
export function lockReason(
  member: { role: TeamRole },
  me: { role: TeamRole },
  ownerCount: number,
): string | null {
  if (member.role === 'owner' && me.role !== 'owner') return 'Only an owner can change an owner';
  if (member.role === 'owner' && ownerCount <= 1)
    return 'The only owner: make another member owner first';
  return null;
}
