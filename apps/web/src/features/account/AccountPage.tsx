'use client';
import { passwordChangeFields, MIN_PASSWORD_CHARS } from '@dtss/api/forms';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, useTransition, type ChangeEvent } from 'react';
import { endedSessionsAction } from '@/app/(auth)/actions';
import { PageBody } from '@/components/shell/AppShell';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Field, FormAlert, Input } from '@/components/ui/input';
import { Card, PageHeader } from '@/components/ui/page';
import { mergeErrors, schemaErrors, serverErrors } from '@/features/settings/formErrors';
import { useTRPC } from '@/trpc/react';

/**
 * The signed-in user's own account, the same from every team: the password, and signing out
 * every browser at once. Both end every session of the user, this one too (the API moves the
 * user's session epoch on): the page then signs out here and goes to sign-in.
 */
export function AccountPage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const email = me.data?.type === 'user' ? me.data.email : null;
  return (
    <PageBody>
      <PageHeader
        title="Your account"
        subtitle={
          email ? (
            <>
              Signed in as <strong className="font-medium text-fg">{email}</strong>. This applies to
              you in every team you are in.
            </>
          ) : (
            'Your password and your sessions, in every team you are in.'
          )
        }
      />
      <div className="flex flex-col gap-4">
        <PasswordCard />
        <SessionsCard />
      </div>
    </PageBody>
  );
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

function PasswordCard() {
  const trpc = useTRPC();
  const [values, setValues] = useState({ currentPassword: '', newPassword: '' });
  const [submitted, setSubmitted] = useState(false);
  const [leaving, startLeaving] = useTransition();
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      // Every session of the user has ended, this one too: sign in again with the new password.
      onSuccess: () => startLeaving(() => endedSessionsAction('password')),
    }),
  );
  const local = schemaErrors(passwordChangeFields, values);
  const server = serverErrors(change.error, FIELDS);
  const errorsOf = mergeErrors(local, server, submitted);
  const busy = change.isPending || change.isSuccess || leaving;
  const set = (field: (typeof FIELDS)[number]) => (e: ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    change.reset();
  };
  return (
    <Card title="Password">
      <form
        className="flex max-w-md flex-col gap-3"
        aria-label="Change your password"
        data-testid="password-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(local).length > 0 || busy) return;
          change.mutate(values);
        }}
      >
        <Field label="Current password" errors={errorsOf('currentPassword')}>
          {(a) => (
            <Input
              {...a}
              type="password"
              name="currentPassword"
              autoComplete="current-password"
              value={values.currentPassword}
              onChange={set('currentPassword')}
              data-testid="current-password"
            />
          )}
        </Field>
        <Field
          label="New password"
          hint={`At least ${MIN_PASSWORD_CHARS} characters.`}
          errors={errorsOf('newPassword')}
        >
          {(a) => (
            <Input
              {...a}
              type="password"
              name="newPassword"
              autoComplete="new-password"
              minLength={MIN_PASSWORD_CHARS}
              value={values.newPassword}
              onChange={set('newPassword')}
              data-testid="new-password"
            />
          )}
        </Field>
        <p className="text-xs text-muted">
          Changing it signs you out everywhere, here too: you sign in again with the new one. API
          tokens keep working.
        </p>
        <FormAlert errors={server['']} />
        <div>
          <Button type="submit" variant="primary" disabled={busy} data-testid="change-password">
            {busy ? 'Changing…' : 'Change password'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function SessionsCard() {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const [leaving, startLeaving] = useTransition();
  const signOut = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      onSuccess: () => startLeaving(() => endedSessionsAction('everywhere')),
    }),
  );
  const busy = signOut.isPending || signOut.isSuccess || leaving;
  return (
    <Card title="Sessions">
      <div className="flex flex-col gap-3">
        <p className="max-w-2xl text-sm">
          Signed in on a computer you no longer use, or one you do not trust? Sign out everywhere
          ends every session of yours, in every browser, this one included: a page left open is sent
          to sign-in on its next request. API tokens are not affected: revoke those in each
          team&apos;s settings.
        </p>
        <FormAlert errors={serverErrors(signOut.error, [])['']} />
        <div>
          <Button
            disabled={busy}
            onClick={() => setConfirming(true)}
            data-testid="sign-out-everywhere"
          >
            {busy ? 'Signing out…' : 'Sign out everywhere'}
          </Button>
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Sign out everywhere?"
        description="Every browser signed in as you is signed out, this one too. You sign in again here afterwards."
        confirmLabel="Sign out everywhere"
        danger
        onConfirm={() => signOut.mutate()}
      />
    </Card>
  );
}
