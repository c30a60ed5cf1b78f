import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { sessionActor } from '@/server/auth/actor';
import { acceptInvitationAction, signOutAction } from '../actions';
import { AuthCard } from '../AuthCard';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Join a team' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function InvitePage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const token = typeof params.token === 'string' ? params.token : '';
  // A session that has ended (signed out everywhere, …) counts as none.
  const user = await sessionActor();
  const back = `/invite?token=${encodeURIComponent(token)}`;
  const error = params.error
    ? 'This invitation is invalid, used, expired, or for another email.'
    : !token
      ? 'This link has no invitation in it: open the whole link you were sent.'
      : undefined;
  return (
    <AuthCard
      title="Join a team"
      subtitle="You were invited to a team on DTSS."
      error={error}
      footer={
        user ? (
          <form action={signOutAction} className="flex items-center justify-center gap-1">
            Not {user.email}?
            <button type="submit" className="text-accent underline" data-testid="invite-sign-out">
              Sign out
            </button>
          </form>
        ) : null
      }
    >
      {user ? (
        <form
          action={acceptInvitationAction}
          className="flex flex-col gap-3"
          aria-label="Accept invitation"
        >
          <input type="hidden" name="token" value={token} />
          <p className="text-sm">
            Signed in as <strong className="font-medium">{user.email}</strong>. The invitation must
            be for this email.
          </p>
          <Button type="submit" variant="primary" className="w-full" disabled={!token}>
            Accept the invitation
          </Button>
        </form>
      ) : (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-muted">
            Sign in with the email the invitation was sent to, or create an account with it.
          </p>
          <Link
            href={`/sign-in?callbackUrl=${encodeURIComponent(back)}`}
            className="inline-flex h-8 items-center justify-center rounded-md border border-transparent bg-accent px-3 text-sm font-medium text-accent-fg no-underline hover:opacity-90"
            data-testid="invite-sign-in"
          >
            Sign in
          </Link>
          <Link
            href={`/sign-up?invite=${encodeURIComponent(token)}`}
            className="inline-flex h-8 items-center justify-center rounded-md border border-border bg-panel px-3 text-sm font-medium text-fg no-underline hover:bg-panel-2"
            data-testid="invite-sign-up"
          >
            Create an account
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
