'use client';
import { tokenFields } from '@dtss/api/forms';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTeam, type TeamRole } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Select } from '@/components/ui/input';
import { dateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { CopyField } from './CopyField';
import { EXPIRY_CHOICES, expiresInDaysOf, type ExpiryChoice } from './expiry';
import { mergeErrors, schemaErrors, serverErrors, type FieldErrors } from './formErrors';
import { ROLE_HINT, tokenRoles } from './roles';

const FIELDS = ['name', 'role', 'expiresInDays'] as const;

/** Today in the browser's zone as YYYY-MM-DD (the date input's `min`). */
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A new API token: name, role (not above the creator's) and expiry. Once made, its value is shown
 * this once with a Copy button; closing the dialog forgets it (the mutation is reset, nothing of it
 * stays in the page's cache).
 */
export function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamRole>('editor');
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [date, setDate] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tokens.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
  );

  const expiresInDays = expiresInDaysOf(expiry, date);
  const input = { name: name.trim(), role, expiresInDays };
  const local: FieldErrors =
    expiry === 'custom' && !date
      ? {
          ...schemaErrors(tokenFields, { ...input, expiresInDays: undefined }),
          expiresInDays: ['choose a date'],
        }
      : schemaErrors(tokenFields, input);
  const server = serverErrors(create.error, FIELDS, 'name');
  const errorsOf = mergeErrors(local, server, submitted);
  const close = () => {
    create.reset();
    onClose();
  };

  if (create.data) {
    const t = create.data;
    return (
      <Dialog
        open
        onOpenChange={(open) => (open ? null : close())}
        title={`Token ${t.name} created`}
        description={`Role ${t.role}, ${t.expiresAt ? `expires ${dateTime(t.expiresAt)}` : 'never expires'}.`}
        footer={
          <Button variant="primary" onClick={close} data-testid="token-done">
            Done
          </Button>
        }
      >
        <div className="flex flex-col gap-3" data-testid="token-reveal">
          <p role="alert" className="rounded-md border border-warn/50 bg-panel-2 px-3 py-2 text-sm">
            Copy the token now: it is shown only this once. If it is lost, revoke it and create
            another.
          </p>
          <CopyField
            label="API token"
            value={t.token}
            testId="token-value"
            hint="Send it as Authorization: Bearer <token>, or set DTSS_TOKEN for the CLI."
          />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : close())}
      title="New API token"
      description="For scripts, CI and the CLI: it acts in this team with the role you give it."
      footer={
        <FormFooter
          formId={formId}
          onCancel={close}
          pending={create.isPending}
          testId="token-create"
        >
          {create.isPending ? 'Creating…' : 'Create token'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        data-testid="token-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(local).length > 0 || create.isPending) return;
          create.mutate({ teamSlug: team.slug, ...input });
        }}
      >
        <Field label="Name" hint="What uses it, e.g. nightly-ci." errors={errorsOf('name')}>
          {(a) => (
            <Input
              {...a}
              name="name"
              value={name}
              autoComplete="off"
              onChange={(e) => {
                setName(e.target.value);
                create.reset();
              }}
              data-testid="token-name"
            />
          )}
        </Field>
        <Field
          label="Role"
          hint={`${ROLE_HINT[role]} Not above your own role (${team.role}).`}
          errors={errorsOf('role')}
        >
          {(a) => (
            <Select
              {...a}
              name="role"
              value={role}
              onChange={(e) => {
                setRole(e.target.value as TeamRole);
                create.reset();
              }}
              data-testid="token-role"
            >
              {tokenRoles(team.role).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="flex flex-wrap items-start gap-3">
          <Field
            label="Expires"
            errors={expiry === 'custom' ? undefined : errorsOf('expiresInDays')}
            className="w-44"
          >
            {(a) => (
              <Select
                {...a}
                name="expiry"
                value={expiry}
                onChange={(e) => {
                  setExpiry(e.target.value as ExpiryChoice);
                  create.reset();
                }}
                data-testid="token-expiry"
              >
                {EXPIRY_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {expiry === 'custom' ? (
            <Field
              label="Expiry date"
              hint="It works through that day."
              errors={errorsOf('expiresInDays')}
              className="w-44"
            >
              {(a) => (
                <Input
                  {...a}
                  type="date"
                  name="expiresOn"
                  min={today()}
                  value={date}
                  onChange={(e) => {
                    setDate(e.target.value);
                    create.reset();
                  }}
                  data-testid="token-expiry-date"
                />
              )}
            </Field>
          ) : null}
        </div>
        <FormAlert errors={server['']} />
      </form>
    </Dialog>
  );
}
