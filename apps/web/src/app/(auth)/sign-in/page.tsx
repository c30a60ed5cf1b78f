import Link from 'next/link';
import { externalProviders } from '@/server/auth/providers';
import { signIn } from '@/auth';
import { signInAction } from '../actions';
import { messageFor, SIGN_IN_ERRORS } from '../messages';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  // Auth.js may redirect here itself with `error=CredentialsSignin&code=<our code>`.
  const error = messageFor(
    SIGN_IN_ERRORS,
    params.code === 'rate_limited' ? 'rate_limited' : (params.error ?? params.code),
  );
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : '/';
  return (
    <main>
      <h1>Sign in</h1>
      {error ? (
        <p role="alert" data-testid="auth-error" className="bad">
          {error}
        </p>
      ) : null}
      <form action={signInAction} className="panel" aria-label="Sign in">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <p>
          <label>
            Email <input name="email" type="email" autoComplete="username" required />
          </label>
        </p>
        <p>
          <label>
            Password{' '}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
        </p>
        <button type="submit">Sign in</button>
      </form>
      {externalProviders().map((p) => (
        <form
          key={p.id}
          action={async () => {
            'use server';
            await signIn(p.id, { redirectTo: '/' });
          }}
        >
          <button type="submit">Sign in with {p.name}</button>
        </form>
      ))}
      <p className="muted">
        No account? <Link href="/sign-up">Sign up</Link>
      </p>
    </main>
  );
}
