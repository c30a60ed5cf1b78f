'use client';
// The forms of the auth pages. Each one submits to its server action through `useActionState`: a
// refusal comes back as state and the form is shown again with what was typed (the password
// excepted) and the error on its field, or above the form when it is about the whole form.
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';
import { createTeamAction, signInAction, signUpAction } from './actions';
import { AuthError } from './AuthCard';
import {
  messageFor,
  SIGN_IN_ERRORS,
  signUpRefusal,
  type CreateTeamState,
  type SignInState,
  type SignUpState,
} from './messages';

export function SignInForm({
  callbackUrl,
  initial,
}: {
  callbackUrl: string;
  /** A refusal named by the URL (Auth.js's own redirects), shown until the next submission. */
  initial: SignInState;
}) {
  const [state, action, pending] = useActionState(signInAction, initial);
  const error = messageFor(SIGN_IN_ERRORS, state.error);
  return (
    <form action={action} className="flex flex-col gap-3" aria-label="Sign in">
      {error ? <AuthError>{error}</AuthError> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email">
        {(a) => (
          <Input
            {...a}
            // Remounted with each answer, so the email typed is what the field holds again.
            key={`email-${state.attempt ?? 0}`}
            defaultValue={state.email}
            name="email"
            type="email"
            autoComplete="username"
            required
          />
        )}
      </Field>
      <Field label="Password">
        {(a) => (
          <Input
            {...a}
            key={`password-${state.attempt ?? 0}`}
            name="password"
            type="password"
            autoComplete="current-password"
            // After a refusal only the password is typed again.
            autoFocus={Boolean(state.attempt)}
            required
          />
        )}
      </Field>
      <Button type="submit" variant="primary" className="mt-1 w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}

export function SignUpForm({
  invite,
  minPassword,
  initial,
}: {
  invite: string;
  minPassword: number;
  initial: SignUpState;
}) {
  const [state, action, pending] = useActionState(signUpAction, initial);
  const refusal = signUpRefusal(state, minPassword);
  const errorsOf = (name: string) =>
    refusal.field === name && refusal.message ? [refusal.message] : undefined;
  // Each answer remounts the fields with what was typed, the refused one (else the password) focused.
  const k = state.attempt ?? 0;
  const focus = state.attempt ? (refusal.field ?? 'password') : undefined;
  return (
    <form action={action} className="flex flex-col gap-3" aria-label="Sign up">
      {refusal.message && !refusal.field ? <AuthError>{refusal.message}</AuthError> : null}
      <input type="hidden" name="invite" value={invite} />
      <Field label="Name" errors={errorsOf('name')}>
        {(a) => (
          <Input
            {...a}
            key={`name-${k}`}
            defaultValue={state.values?.name}
            name="name"
            maxLength={100}
            autoComplete="name"
            autoFocus={focus === 'name'}
          />
        )}
      </Field>
      <Field
        label="Email"
        hint={invite ? 'The email the invitation was sent to.' : undefined}
        errors={errorsOf('email')}
      >
        {(a) => (
          <Input
            {...a}
            key={`email-${k}`}
            defaultValue={state.values?.email}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus={focus === 'email'}
            required
          />
        )}
      </Field>
      <Field
        label="Password"
        hint={`At least ${minPassword} characters.`}
        errors={errorsOf('password')}
      >
        {(a) => (
          <Input
            {...a}
            key={`password-${k}`}
            name="password"
            type="password"
            minLength={minPassword}
            autoComplete="new-password"
            autoFocus={focus === 'password'}
            required
          />
        )}
      </Field>
      <Button type="submit" variant="primary" className="mt-1 w-full" disabled={pending}>
        {pending ? 'Creating the account…' : 'Sign up'}
      </Button>
    </form>
  );
}

/** "No team yet": a team of one's own, named here (its slug follows from the name). */
export function CreateTeamForm() {
  const [state, action, pending] = useActionState(createTeamAction, {} as CreateTeamState);
  return (
    <form
      action={action}
      className="flex flex-col gap-3"
      aria-label="Create a team"
      data-testid="create-team-form"
    >
      <Field
        label="Team name"
        hint="You become its owner, and invite others from its settings."
        errors={state.error ? [state.error] : undefined}
      >
        {(a) => (
          <Input
            {...a}
            key={`name-${state.attempt ?? 0}`}
            defaultValue={state.name}
            autoFocus={Boolean(state.attempt)}
            name="name"
            maxLength={100}
            autoComplete="organization"
            placeholder="e.g. Data platform"
            required
            data-testid="create-team-name"
          />
        )}
      </Field>
      <Button
        type="submit"
        variant="primary"
        className="w-full"
        disabled={pending}
        data-testid="create-team-submit"
      >
        {pending ? 'Creating…' : 'Create a team'}
      </Button>
    </form>
  );
}
