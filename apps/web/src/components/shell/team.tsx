'use client';
import { createContext, useContext, type ReactNode } from 'react';

export type TeamRole = 'viewer' | 'editor' | 'admin' | 'owner';
export interface CurrentTeam {
  id: string;
  slug: string;
  name: string;
  role: TeamRole;
}

const ROLE_RANK: Record<TeamRole, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

const TeamContext = createContext<CurrentTeam | null>(null);

export function TeamProvider({ team, children }: { team: CurrentTeam; children: ReactNode }) {
  return <TeamContext.Provider value={team}>{children}</TeamContext.Provider>;
}

/** The team of the URL (`/t/<slug>/…`) and the signed-in user's role in it. */
export function useTeam(): CurrentTeam {
  const team = useContext(TeamContext);
  if (!team) throw new Error('useTeam outside a team page');
  return team;
}

/** Whether the user's role allows what `min` allows; the server checks again on every call. */
export function useCan(min: TeamRole): boolean {
  return ROLE_RANK[useTeam().role] >= ROLE_RANK[min];
}

/** A path inside the current team. */
export function useTeamHref(): (path: string) => string {
  const { slug } = useTeam();
  return (path) => `/t/${encodeURIComponent(slug)}${path}`;
}
