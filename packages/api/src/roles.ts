// The team roles, strongest first, in a module with no server dependencies: the web app's forms
// import it (through `@dtss/api/forms`) without pulling the database layer into the browser.
import type { TeamRole } from '@dtss/db';

export const TEAM_ROLES = [
  'owner',
  'admin',
  'editor',
  'viewer',
] as const satisfies readonly TeamRole[];

const RANK: Record<TeamRole, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

/** `role` grants at least what `min` grants. */
export function roleAtLeast(role: TeamRole, min: TeamRole): boolean {
  return RANK[role] >= RANK[min];
}
