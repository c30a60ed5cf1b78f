'use client';
import { inviteFields } from '@dtss/api/forms';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTeam, type TeamRole } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, FormAlert, Input, Select } from '@/components/ui/input';
import { useTRPC } from '@/trpc/react';
import { CopyField } from './CopyField';
import { mergeErrors, schemaErrors, serverErrors } from './formErrors';
import { assignableRoles, ROLE_HINT } from './roles';

const FIELDS = ['email', 'role'] as const;

/**
 * Invites someone by email with a role; the link that joins them (shown this once: the server keeps
 * only its hash) comes back with a Copy button, to send them however suits.
 */
export function InviteForm() {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const emailInput = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRole>('viewer');
  const [submitted, setSubmitted] = useState(false);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
  );
  const local = schemaErrors(inviteFields, { email: email.trim(), role });
  const server = serverErrors(invite.error, FIELDS, 'email');
  const errorsOf = mergeErrors(local, server, submitted);

  if (invite.data) {
    const link = new URL(invite.data.acceptPath, window.location.origin).toString();
    return (
      <div className="flex flex-col gap-3" data-testid="invitation-created">
        <p role="status" className="text-sm">
          <strong className="font-medium">{invite.data.invitation.email}</strong> is invited as{' '}
          {invite.data.invitation.role}. Send them this link: it works once, for that email only,
          and is shown only now.
        </p>
        <CopyField label="Invitation link" value={link} testId="invitation-link" />
        <div>
          <Button
            onClick={() => {
              invite.reset();
              setEmail('');
              setSubmitted(false);
              // The form comes back: its first field takes the focus the link's buttons had.
              requestAnimationFrame(() => emailInput.current?.focus());
            }}
            data-testid="invite-another"
          >
            Invite someone else
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form
      className="flex flex-wrap items-start gap-3"
      aria-label="Invite a member"
      data-testid="invite-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (Object.keys(local).length > 0 || invite.isPending) return;
        invite.mutate({ teamSlug: team.slug, email: email.trim(), role });
      }}
    >
      <Field label="Email" errors={errorsOf('email')} className="min-w-64 flex-1">
        {(a) => (
          <Input
            {...a}
            ref={emailInput}
            name="email"
            type="email"
            autoComplete="off"
            placeholder="ada@example.com"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              invite.reset();
            }}
            data-testid="invite-email"
          />
        )}
      </Field>
      <Field label="Role" hint={ROLE_HINT[role]} errors={errorsOf('role')} className="w-56">
        {(a) => (
          <Select
            {...a}
            name="role"
            value={role}
            onChange={(e) => {
              setRole(e.target.value as TeamRole);
              invite.reset();
            }}
            data-testid="invite-role"
          >
            {assignableRoles(team.role).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Button
        type="submit"
        variant="primary"
        disabled={invite.isPending}
        className="mt-5"
        data-testid="invite-submit"
      >
        {invite.isPending ? 'Inviting…' : 'Invite'}
      </Button>
      <div className="basis-full empty:hidden">
        <FormAlert errors={server['']} />
      </div>
    </form>
  );
}
