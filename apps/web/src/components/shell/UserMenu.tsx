'use client';
import { LogOut, User, UserCog } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { DropdownMenu } from 'radix-ui';
import { signOutAction } from '@/app/(auth)/actions';
import { useTeamHref } from './team';
import { MENU_CLASS, MENU_ITEM_CLASS } from './TeamSwitcher';

/** Who is signed in: their account page (password, sign out everywhere) and Sign out. */
export function UserMenu({ email }: { email: string }) {
  const href = useTeamHref();
  const router = useRouter();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-1.5 rounded-md px-2 py-1 text-sm hover:bg-panel-2"
        aria-label="User menu"
        data-testid="user-menu"
      >
        <User aria-hidden size={16} />
        <span className="max-w-48 truncate">{email}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={4} className={MENU_CLASS}>
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted">
            Signed in as {email}
          </DropdownMenu.Label>
          <DropdownMenu.Item
            className={MENU_ITEM_CLASS}
            onSelect={() => router.push(href('/account'))}
            data-testid="account-link"
          >
            Your account <UserCog aria-hidden size={14} />
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className={MENU_ITEM_CLASS}
            onSelect={() => void signOutAction()}
            data-testid="sign-out"
          >
            Sign out <LogOut aria-hidden size={14} />
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
