'use client';
import { secretFields } from '@dtss/api/forms';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Textarea } from '@/components/ui/input';
import { useTRPC } from '@/trpc/react';
import { mergeErrors, schemaErrors, serverErrors } from './formErrors';

const FIELDS = ['name', 'value', 'description'] as const;

/**
 * A new secret, or a new value for one (`replacing`). Write-only: the value goes to the server and
 * nowhere else; the dialog closes on success, dropping its state, and the mutation is kept out of
 * the mutation cache (`gcTime: 0`, reset) so the value is not held in memory by the page.
 */
export function SecretDialog({
  replacing,
  onClose,
  onSaved,
}: {
  replacing?: { name: string; description: string | null };
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const [name, setName] = useState(replacing?.name ?? '');
  const [value, setValue] = useState('');
  const [description, setDescription] = useState(replacing?.description ?? '');
  const [submitted, setSubmitted] = useState(false);
  const onSuccess = (r: { name: string }) => {
    void queryClient.invalidateQueries({ queryKey: trpc.secrets.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
    onSaved(r.name);
  };
  const create = useMutation({ ...trpc.secrets.create.mutationOptions({ onSuccess }), gcTime: 0 });
  const update = useMutation({ ...trpc.secrets.update.mutationOptions({ onSuccess }), gcTime: 0 });
  const save = replacing ? update : create;

  const input = {
    name: name.trim(),
    value,
    // A replace sends the description only when it changed (emptied: cleared).
    description: replacing
      ? description.trim() === (replacing.description ?? '')
        ? undefined
        : description.trim()
      : description.trim() || undefined,
  };
  const local = schemaErrors(secretFields, input);
  const server = serverErrors(save.error, FIELDS, 'name');
  const errorsOf = mergeErrors(local, server, submitted);
  const edited = () => save.reset();
  const close = () => {
    save.reset();
    onClose();
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : close())}
      title={replacing ? `Replace the value of ${replacing.name}` : 'New secret'}
      description={
        replacing
          ? 'The new value replaces the old one for every run that starts from now on. The old value is not shown: secrets are write-only.'
          : 'Tasks read secrets by name (secrets: in a workflow file). Once saved, the value is never shown again, not even to admins.'
      }
      footer={
        <FormFooter formId={formId} onCancel={close} pending={save.isPending} testId="secret-save">
          {save.isPending ? 'Saving…' : replacing ? 'Replace value' : 'Create secret'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        data-testid="secret-form"
        autoComplete="off"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(local).length > 0 || save.isPending) return;
          save.mutate({ teamSlug: team.slug, ...input });
        }}
      >
        <Field
          label="Name"
          hint={replacing ? undefined : 'Letters, digits, _, ., / and -, e.g. WAREHOUSE_PASSWORD.'}
          errors={errorsOf('name')}
        >
          {(a) => (
            <Input
              {...a}
              name="name"
              value={name}
              readOnly={Boolean(replacing)}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              onChange={(e) => {
                setName(e.target.value);
                edited();
              }}
              data-testid="secret-name"
            />
          )}
        </Field>
        <Field
          label={replacing ? 'New value' : 'Value'}
          hint="Hidden as you type; it is encrypted on the server."
          errors={errorsOf('value')}
        >
          {(a) => (
            <Input
              {...a}
              name="secret-value"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                edited();
              }}
              data-testid="secret-value"
              // Password managers must not offer to store or fill a team's secrets.
              data-1p-ignore
              data-lpignore="true"
            />
          )}
        </Field>
        <Field label="Description (optional)" errors={errorsOf('description')}>
          {(a) => (
            <Textarea
              {...a}
              name="description"
              rows={2}
              value={description}
              onChange={(e) => {
                setDescription(e.target.value);
                edited();
              }}
              data-testid="secret-description"
            />
          )}
        </Field>
        <FormAlert errors={server['']} />
      </form>
    </Dialog>
  );
}
