import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { externalProviders } from '@/server/auth/providers';
import { signIn } from '@/auth';
import { AuthCard } from '../AuthCard';
import { SignInForm } from '../forms';
import { messageFor, SIGN_IN_NOTICES } from '../messages';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  // Auth.js may redirect here itself with `error=CredentialsSignin&code=<our code>`.
  // Only known codes are shown, each as a fixed text (messages.ts).
  const code = params.code === 'rate_limited' ? 'rate_limited' : (params.error ?? params.code);
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : '/';
  // Coming from an invitation link: a new account can take the invitation along at sign-up.
  const back = new URL(callbackUrl, 'http://dtss.invalid');
  const inviteToken = back.pathname === '/invite' ? back.searchParams.get('token') : null;
  const providers = externalProviders();
  const notice = messageFor(SIGN_IN_NOTICES, params.notice);
  return (
    <AuthCard
      title="Sign in"
      subtitle={
        inviteToken ? (
          'Sign in to accept your invitation.'
        ) : notice ? (
          <span data-testid="sign-in-notice">{notice}</span>
        ) : (
          'Welcome back.'
        )
      }
      footer={
        <>
          No account?{' '}
          <Link
            href={inviteToken ? `/sign-up?invite=${encodeURIComponent(inviteToken)}` : '/sign-up'}
          >
            Sign up
          </Link>
        </>
      }
    >
      <SignInForm
        callbackUrl={callbackUrl}
        initial={{ error: typeof code === 'string' ? code : undefined }}
      />
      {providers.length > 0 ? (
        <div className="flex flex-col gap-2 border-t border-border pt-4">
          {providers.map((p) => (
            <form
              key={p.id}
              action={async () => {
                'use server';
                await signIn(p.id, { redirectTo: '/' });
              }}
            >
              <Button type="submit" className="w-full">
                Sign in with {p.name}
              </Button>
            </form>
          ))}
        </div>
      ) : null}
    </AuthCard>
  );
}
