'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Textarea } from '@/components/ui/input';
import { issuesByField } from '@/features/schedules/formIssues';
import { readParamsText } from '@/features/schedules/paramsJson';
import { WorkflowSelect } from '@/features/schedules/WorkflowSelect';
import { errorCode, errorIssues, errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { SecretReveal } from './SecretReveal';

const FIELDS = ['workflowId', 'name', 'params'] as const;
type WebhookField = (typeof FIELDS)[number];

/**
 * A new webhook trigger for a workflow; once made, its URL and signing secret (shown this once)
 * with a curl command that sends a signed delivery.
 */
export function WebhookDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const [workflowId, setWorkflowId] = useState('');
  const [name, setName] = useState('');
  const [paramsText, setParamsText] = useState('{}');
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.triggers.createWebhook.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.triggers.list.pathKey() }),
    }),
  );
  const params = useMemo(() => readParamsText(paramsText), [paramsText]);
  const problems: Partial<Record<WebhookField, string[]>> = {
    ...(workflowId ? {} : { workflowId: ['choose a workflow'] }),
    ...(name.trim() ? {} : { name: ['give the webhook a name'] }),
    ...(params.ok ? {} : { params: [params.message] }),
  };
  const server = useMemo(() => {
    if (!create.error) return {};
    const byField = issuesByField(errorIssues(create.error), FIELDS);
    if (Object.keys(byField).length === 0) {
      byField[errorCode(create.error) === 'CONFLICT' ? 'name' : ''] = [errorMessage(create.error)];
    }
    return byField;
  }, [create.error]);
  const errorsOf = (f: WebhookField) => [
    ...((submitted || f === 'params' ? problems[f] : undefined) ?? []),
    ...(server[f] ?? []),
  ];
  const edited = () => create.reset();

  if (create.data) {
    return (
      <Dialog
        open
        onOpenChange={(open) => (open ? null : onClose())}
        title={`Webhook ${create.data.trigger.name} created`}
        description={`POST signed requests to this URL to start ${create.data.trigger.workflowName}.`}
        footer={
          <Button variant="primary" onClick={onClose} data-testid="webhook-done">
            Done
          </Button>
        }
      >
        <SecretReveal path={create.data.path} secret={create.data.secret} />
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="New webhook"
      description="A URL that starts a workflow when it receives a request signed with its secret."
      footer={
        <FormFooter
          formId={formId}
          onCancel={onClose}
          pending={create.isPending}
          testId="webhook-save"
        >
          {create.isPending ? 'Creating…' : 'Create webhook'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        data-testid="webhook-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(problems).length > 0 || create.isPending || !params.ok) return;
          create.mutate({
            teamSlug: team.slug,
            workflowId,
            name: name.trim(),
            params: params.value,
          });
        }}
      >
        <Field label="Workflow" errors={errorsOf('workflowId')}>
          {(a) => (
            <WorkflowSelect
              {...a}
              name="workflowId"
              value={workflowId}
              onChange={(e) => {
                setWorkflowId(e.target.value);
                edited();
              }}
            />
          )}
        </Field>
        <Field
          label="Name"
          hint="Lowercase letters, digits, “.”, “_” or “-”. Deliveries are recorded as the event webhook.<name>."
          errors={errorsOf('name')}
        >
          {(a) => (
            <Input
              {...a}
              name="name"
              value={name}
              placeholder="github-push"
              autoComplete="off"
              onChange={(e) => {
                setName(e.target.value);
                edited();
              }}
            />
          )}
        </Field>
        <Field
          label="Run params (JSON)"
          hint={
            <>
              Strings may read the delivery, as in{' '}
              <code>{'{"ref": "{{ event.payload.ref }}"}'}</code>; the workflow&apos;s defaults fill
              the rest.
            </>
          }
          errors={errorsOf('params')}
        >
          {(a) => (
            <Textarea
              {...a}
              name="params"
              rows={3}
              className="font-mono text-xs"
              spellCheck={false}
              value={paramsText}
              onChange={(e) => {
                setParamsText(e.target.value);
                edited();
              }}
            />
          )}
        </Field>
        <FormAlert errors={server['']} />
      </form>
    </Dialog>
  );
}
