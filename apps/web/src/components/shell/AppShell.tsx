'use client';
import {
  Activity,
  Bell,
  CalendarClock,
  LayoutDashboard,
  Server,
  Settings,
  Workflow as WorkflowIcon,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';
import { useTeam } from './team';
import { TeamSwitcher, type TeamEntry } from './TeamSwitcher';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';

const NAV = [
  { path: '/workflows', label: 'Workflows', icon: WorkflowIcon },
  { path: '/runs', label: 'Runs', icon: Activity },
  { path: '/schedules', label: 'Schedules', icon: CalendarClock },
  { path: '/dashboards', label: 'Dashboards', icon: LayoutDashboard },
  { path: '/workers', label: 'Workers', icon: Server },
  { path: '/alerts', label: 'Alerts', icon: Bell },
  { path: '/settings', label: 'Settings', icon: Settings },
] as const;

/** The signed-in layout: navigation on the left, team and user on top, the page in the middle. */
export function AppShell({
  teams,
  userEmail,
  children,
}: {
  teams: TeamEntry[];
  userEmail: string;
  children: ReactNode;
}) {
  const team = useTeam();
  const pathname = usePathname();
  const base = `/t/${encodeURIComponent(team.slug)}`;
  return (
    <div className="flex h-screen min-h-0 bg-bg">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-panel focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <nav
        aria-label="Main"
        className="flex w-52 shrink-0 flex-col gap-1 border-r border-border bg-panel px-2 py-3"
      >
        <Link
          href={`${base}/workflows`}
          className="mb-3 px-2 text-base font-bold text-fg no-underline"
        >
          DTSS
        </Link>
        {NAV.map(({ path, label, icon: Icon }) => {
          const href = `${base}${path}`;
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <Link
              key={path}
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm no-underline',
                active
                  ? 'bg-panel-2 font-medium text-fg'
                  : 'text-muted hover:bg-panel-2 hover:text-fg',
              )}
            >
              <Icon aria-hidden size={16} />
              {label}
            </Link>
          );
        })}
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center justify-between gap-3 border-b border-border bg-panel px-4">
          <TeamSwitcher teams={teams} />
          <div className="flex items-center gap-2">
            <ThemeToggle />
            <UserMenu email={userEmail} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="min-h-0 flex-1 overflow-auto outline-none">
          {children}
        </main>
      </div>
    </div>
  );
}

/** Padding and width of ordinary pages (the editor uses the whole area instead). */
export function PageBody({ children, wide }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className={cn('mx-auto px-6 py-5', wide ? 'max-w-none' : 'max-w-6xl')}>{children}</div>
  );
}
