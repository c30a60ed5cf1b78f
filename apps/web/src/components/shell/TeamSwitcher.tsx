'use client';
import { Check, ChevronsUpDown } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { usePathname, useRouter } from 'next/navigation';
import { useTeam } from './team';

export interface TeamEntry {
  slug: string;
  name: string;
  role: string;
}

const MENU = 'z-50 min-w-56 rounded-md border border-border bg-panel p-1 text-sm shadow-lg';
const ITEM =
  'flex cursor-pointer items-center justify-between gap-3 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-panel-2';

/** Switching team keeps the section (Workflows, Runs…) and drops the object of the old team. */
export function TeamSwitcher({ teams }: { teams: TeamEntry[] }) {
  const current = useTeam();
  const router = useRouter();
  const pathname = usePathname();
  const section = pathname.split('/')[3] ?? 'workflows';
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm font-medium hover:bg-panel-2"
        aria-label={`Team: ${current.name}. Switch team`}
        data-testid="team-switcher"
      >
        {current.name}
        <span className="text-xs font-normal text-muted">{current.role}</span>
        <ChevronsUpDown aria-hidden size={14} className="text-muted" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={4} className={MENU}>
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted">Teams</DropdownMenu.Label>
          {teams.map((t) => (
            <DropdownMenu.Item
              key={t.slug}
              className={ITEM}
              onSelect={() => router.push(`/t/${encodeURIComponent(t.slug)}/${section}`)}
            >
              <span>
                {t.name} <span className="text-xs text-muted">{t.role}</span>
              </span>
              {t.slug === current.slug ? <Check aria-label="current" size={14} /> : null}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export { MENU as MENU_CLASS, ITEM as MENU_ITEM_CLASS };
