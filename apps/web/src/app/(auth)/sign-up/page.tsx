import { MIN_PASSWORD_CHARS } from '@dtss/api';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { signUpAction } from '../actions';
import { AuthCard } from '../AuthCard';
import { messageFor, SIGN_UP_ERRORS, SIGN_UP_FIELD_ERRORS } from '../messages';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign up' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const invite = typeof params.invite === 'string' ? params.invite : '';
  // A refused field gets its own message under it; other refusals are said above the form.
  const field = typeof params.field === 'string' ? params.field : '';
  const fieldError =
    params.error === 'invalid' && Object.hasOwn(SIGN_UP_FIELD_ERRORS, field)
      ? SIGN_UP_FIELD_ERRORS[field]!(MIN_PASSWORD_CHARS)
      : undefined;
  const error = fieldError ? undefined : messageFor(SIGN_UP_ERRORS, params.error);
  const errorsOf = (name: string) => (fieldError && field === name ? [fieldError] : undefined);
  return (
    <AuthCard
      title="Create an account"
      subtitle={`You get a team of your own${invite ? ' and join the team that invited you' : ''}.`}
      error={error}
      footer={
        <>
          Have an account?{' '}
          <Link
            href={
              invite
                ? `/sign-in?callbackUrl=${encodeURIComponent(`/invite?token=${encodeURIComponent(invite)}`)}`
                : '/sign-in'
            }
          >
            Sign in
          </Link>
        </>
      }
    >
      <form action={signUpAction} className="flex flex-col gap-3" aria-label="Sign up">
        <input type="hidden" name="invite" value={invite} />
        <Field label="Name" errors={errorsOf('name')}>
          {(a) => <Input {...a} name="name" maxLength={100} autoComplete="name" />}
        </Field>
        <Field
          label="Email"
          hint={invite ? 'The email the invitation was sent to.' : undefined}
          errors={errorsOf('email')}
        >
          {(a) => <Input {...a} name="email" type="email" autoComplete="username" required />}
        </Field>
        <Field
          label="Password"
          hint={`At least ${MIN_PASSWORD_CHARS} characters.`}
          errors={errorsOf('password')}
        >
          {(a) => (
            <Input
              {...a}
              name="password"
              type="password"
              minLength={MIN_PASSWORD_CHARS}
              autoComplete="new-password"
              required
            />
          )}
        </Field>
        <Button type="submit" variant="primary" className="mt-1 w-full">
          Sign up
        </Button>
      </form>
    </AuthCard>
  );
}
