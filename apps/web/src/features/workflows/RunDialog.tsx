'use client';
import { validateParams, type ParamsSpec, type ValueSchema } from '@dtss/core';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select, Textarea } from '@/components/ui/input';
import { errorIssues, errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';

/**
 * "Run": a form generated from the params schema, checked in the browser by @dtss/core's
 * validateParams (the server checks again), then the new run's page.
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
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [key, setKey] = useState('');
  const [serverIssues, setServerIssues] = useState<{ path: string; message: string }[]>([]);
  const values = useMemo(() => toValues(params, raw), [params, raw]);
  const check = useMemo(() => validateParams(params, values.values), [params, values]);
  const errorsOf = (name: string) => [
    ...(values.errors[name] ? [values.errors[name]] : []),
    ...(check.ok
      ? []
      : check.errors
          .filter(
            (e) =>
              e.path === name || e.path.startsWith(`${name}.`) || e.path.startsWith(`${name}[`),
          )
          .map((e) => e.message)),
    ...serverIssues
      .filter((i) => i.path === `params.${name}` || i.path.startsWith(`params.${name}.`))
      .map((i) => i.message),
  ];
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
        {Object.entries(params).map(([name, schema]) => (
          <ParamField
            key={name}
            name={name}
            schema={schema}
            value={raw[name] ?? ''}
            errors={errorsOf(name)}
            onChange={(v) => setRaw({ ...raw, [name]: v })}
          />
        ))}
        <Field
          label="Idempotency key (optional)"
          hint="A second run with the same key returns the first one instead."
        >
          {(a) => <Input {...a} value={key} onChange={(e) => setKey(e.target.value)} />}
        </Field>
        {trigger.isError && !serverIssues.length ? (
          <p role="alert" className="text-sm text-bad">
            {errorMessage(trigger.error)}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}

function ParamField({
  name,
  schema,
  value,
  errors,
  onChange,
}: {
  name: string;
  schema: ValueSchema;
  value: string;
  errors: string[];
  onChange: (v: string) => void;
}) {
  const label = (
    <>
      {schema.title ?? name}
      {schema.required ? <span className="text-bad"> *</span> : null}{' '}
      <span className="font-normal">({schema.type})</span>
    </>
  );
  const hint = [
    schema.description,
    schema.default !== undefined ? `default: ${JSON.stringify(schema.default)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const enumValues = 'enum' in schema && schema.enum ? schema.enum : null;
  return (
    <Field label={label} hint={hint || undefined} errors={errors}>
      {(a) =>
        enumValues ? (
          <Select {...a} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">
              {schema.default !== undefined ? `default (${String(schema.default)})` : 'choose…'}
            </option>
            {enumValues.map((v) => (
              <option key={String(v)} value={String(v)}>
                {String(v)}
              </option>
            ))}
          </Select>
        ) : schema.type === 'boolean' ? (
          <Select {...a} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">
              {schema.default !== undefined ? `default (${String(schema.default)})` : 'choose…'}
            </option>
            <option value="true">true</option>
            <option value="false">false</option>
          </Select>
        ) : schema.type === 'object' || schema.type === 'array' ? (
          <Textarea
            {...a}
            name={name}
            rows={3}
            className="font-mono text-xs"
            placeholder="JSON"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <Input
            {...a}
            name={name}
            inputMode={schema.type === 'string' ? undefined : 'decimal'}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

/** Typed field text → param values; empty means "use the default". */
function toValues(spec: ParamsSpec, raw: Record<string, string>) {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [name, schema] of Object.entries(spec)) {
    const text = raw[name] ?? '';
    if (text === '') continue;
    if (schema.type === 'number' || schema.type === 'integer') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) errors[name] = 'must be a number';
      else values[name] = n;
    } else if (schema.type === 'boolean') values[name] = text === 'true';
    else if (schema.type === 'object' || schema.type === 'array') {
      try {
        values[name] = JSON.parse(text);
      } catch {
        errors[name] = 'must be JSON';
      }
    } else values[name] = text;
  }
  return { values, errors };
}
