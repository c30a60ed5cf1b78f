'use client';
import { validateParams, type ParamsSpec } from '@dtss/core';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormAlert, Input } from '@/components/ui/input';
import { errorIssues, errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { ParamInput } from './params/ParamInput';
import { readDrafts, type Draft } from './params/paramDraft';

/**
 * "Run": a form generated from the params schema (nested groups and lists included), checked in
 * the browser by @dtss/core's validateParams (the server checks again), then the new run's page.
 */
export function RunDialog({
  open,
  onOpenChange,
  workflow,
  params,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  workflow: string;
  params: ParamsSpec;
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const router = useRouter();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [key, setKey] = useState('');
  const [serverIssues, setServerIssues] = useState<{ path: string; message: string }[]>([]);
  const values = useMemo(() => readDrafts(params, drafts), [params, drafts]);
  const check = useMemo(() => validateParams(params, values.values), [params, values]);
  // Every problem is shown on the field (or group) at its path; a JSON text field also shows those
  // inside its value (`deep`). The server's paths start with "params.".
  const errorsAt = (path: string, deep = false) => {
    const hit = (p: string) =>
      p === path || (deep && (p.startsWith(`${path}.`) || p.startsWith(`${path}[`)));
    return [
      ...Object.entries(values.errors)
        .filter(([p]) => hit(p))
        .map(([, m]) => m),
      ...(check.ok ? [] : check.errors.filter((e) => hit(e.path)).map((e) => e.message)),
      ...serverIssues.filter((i) => hit(i.path.replace(/^params\./, ''))).map((i) => i.message),
    ];
  };
  const trigger = useMutation(
    trpc.runs.trigger.mutationOptions({
      onSuccess: (res) => router.push(href(`/runs/${res.run.id}`)),
      onError: (err) => setServerIssues(errorIssues(err)),
    }),
  );
  const blocked = !check.ok || Object.keys(values.errors).length > 0;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Run ${workflow}`}
      description={
        Object.keys(params).length
          ? 'Params of this run; empty fields take their default.'
          : 'This workflow takes no params.'
      }
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            variant="primary"
            disabled={blocked || trigger.isPending}
            data-testid="start-run"
            onClick={() =>
              check.ok &&
              trigger.mutate({
                teamSlug: team.slug,
                workflow,
                params: values.values,
                idempotencyKey: key.trim() || undefined,
              })
            }
          >
            {trigger.isPending ? 'Starting…' : 'Start run'}
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => e.preventDefault()}
        data-testid="run-form"
      >
        {requiredFirst(params).map(([name, schema]) => (
          <ParamInput
            key={name}
            label={name}
            path={[name]}
            schema={schema}
            draft={drafts[name]}
            errorsAt={errorsAt}
            onChange={(d) => {
              setDrafts((prev) => ({ ...prev, [name]: d }));
              setServerIssues([]);
            }}
          />
        ))}
        <Field
          label="Idempotency key (optional)"
          hint="A second run with the same key returns the first one instead."
        >
          {(a) => <Input {...a} value={key} onChange={(e) => setKey(e.target.value)} />}
        </Field>
        <FormAlert errors={trigger.isError ? [errorMessage(trigger.error)] : undefined} />
      </form>
    </Dialog>
  );
}

/** The params a run must be given come first; each group keeps the definition's order. */
function requiredFirst(params: ParamsSpec): [string, ParamsSpec[string]][] {
  const all = Object.entries(params);
  return [...all.filter(([, s]) => s.required), ...all.filter(([, s]) => !s.required)];
}
