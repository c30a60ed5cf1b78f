import Link from 'next/link';
import { auth } from '@/auth';
import { acceptInvitationAction } from '../actions';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function InvitePage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const token = typeof params.token === 'string' ? params.token : '';
  const session = await auth();
  const back = `/invite?token=${encodeURIComponent(token)}`;
  return (
    <main>
      <h1>Join a team</h1>
      {params.error ? (
        <p role="alert" data-testid="auth-error" className="bad">
          This invitation is invalid, used, expired, or for another email.
        </p>
      ) : null}
      {session?.user ? (
        <form action={acceptInvitationAction} className="panel" aria-label="Accept invitation">
          <input type="hidden" name="token" value={token} />
          <p>Signed in as {session.user.email}.</p>
          <button type="submit">Accept the invitation</button>
        </form>
      ) : (
        <p>
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent(back)}`}>Sign in</Link> or{' '}
          <Link href={`/sign-up?invite=${encodeURIComponent(token)}`}>create an account</Link> to
          accept this invitation.
        </p>
      )}
    </main>
  );
}
