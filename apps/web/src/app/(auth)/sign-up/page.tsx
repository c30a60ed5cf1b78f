import Link from 'next/link';
import { signUpAction } from '../actions';
import { messageFor, SIGN_UP_ERRORS } from '../messages';

export const dynamic = 'force-dynamic';

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const error = messageFor(SIGN_UP_ERRORS, params.error);
  const invite = typeof params.invite === 'string' ? params.invite : '';
  return (
    <main>
      <h1>Create an account</h1>
      <p className="muted">
        You get a team of your own{invite ? ' and join the team that invited you' : ''}.
      </p>
      {error ? (
        <p role="alert" data-testid="auth-error" className="bad">
          {error}
        </p>
      ) : null}
      <form action={signUpAction} className="panel" aria-label="Sign up">
        <input type="hidden" name="invite" value={invite} />
        <p>
          <label>
            Name <input name="name" maxLength={100} autoComplete="name" />
          </label>
        </p>
        <p>
          <label>
            Email <input name="email" type="email" autoComplete="username" required />
          </label>
        </p>
        <p>
          <label>
            Password{' '}
            <input
              name="password"
              type="password"
              minLength={10}
              autoComplete="new-password"
              required
            />
          </label>
        </p>
        <button type="submit">Sign up</button>
      </form>
      <p className="muted">
        Have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
