import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { externalProviders } from '@/server/auth/providers';
import { signIn } from '@/auth';
import { signInAction } from '../actions';
import { AuthCard } from '../AuthCard';
import { messageFor, SIGN_IN_ERRORS } from '../messages';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  // Auth.js may redirect here itself with `error=CredentialsSignin&code=<our code>`.
  const error = messageFor(
    SIGN_IN_ERRORS,
    params.code === 'rate_limited' ? 'rate_limited' : (params.error ?? params.code),
  );
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : '/';
  // Coming from an invitation link: a new account can take the invitation along at sign-up.
  const back = new URL(callbackUrl, 'http://dtss.invalid');
  const inviteToken = back.pathname === '/invite' ? back.searchParams.get('token') : null;
  const providers = externalProviders();
  return (
    <AuthCard
      title="Sign in"
      subtitle={inviteToken ? 'Sign in to accept your invitation.' : 'Welcome back.'}
      error={error}
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
      <form action={signInAction} className="flex flex-col gap-3" aria-label="Sign in">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field label="Email">
          {(a) => <Input {...a} name="email" type="email" autoComplete="username" required />}
        </Field>
        <Field label="Password">
          {(a) => (
            <Input
              {...a}
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          )}
        </Field>
        <Button type="submit" variant="primary" className="mt-1 w-full">
          Sign in
        </Button>
      </form>
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
