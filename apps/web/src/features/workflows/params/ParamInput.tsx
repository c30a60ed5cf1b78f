'use client';
import { formatPath, type ValueSchema } from '@dtss/core';
import { Plus, X } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors, Input, Select, Textarea } from '@/components/ui/input';
import { emptyDraft, isGroup, isList, type Draft } from './paramDraft';

type Path = (string | number)[];

export interface ParamInputProps {
  label: string;
  path: Path;
  schema: ValueSchema;
  draft: Draft;
  onChange: (draft: Draft) => void;
  /**
   * The problems reported at this path (browser reading, validateParams, the server); with `deep`,
   * also those inside the value (for a field that holds a whole JSON object or array).
   */
  errorsAt: (path: string, deep?: boolean) => string[];
}

/**
 * One param of the run form, generated from its schema: an object with properties is a group of
 * fields, an array of typed items a list with add and remove, an enum or a boolean a select, any
 * other object or array one JSON text, the rest one input.
 */
export function ParamInput(props: ParamInputProps) {
  if (isGroup(props.schema)) return <ParamGroup {...props} />;
  if (isList(props.schema)) return <ParamList {...props} />;
  return <ParamField {...props} />;
}

function ParamGroup({ label, path, schema, draft, onChange, errorsAt }: ParamInputProps) {
  if (!isGroup(schema)) return null;
  const fields = typeof draft === 'object' && draft.kind === 'group' ? draft.fields : {};
  const at = formatPath(path);
  return (
    <Fieldset label={title(label, schema)} hint={hint(schema)} errors={errorsAt(at)} testId={at}>
      {Object.entries(schema.properties).map(([key, sub]) => (
        <ParamInput
          key={key}
          label={key}
          path={[...path, key]}
          schema={sub}
          draft={fields[key]}
          onChange={(d) => onChange({ kind: 'group', fields: { ...fields, [key]: d } })}
          errorsAt={errorsAt}
        />
      ))}
    </Fieldset>
  );
}

function ParamList({ label, path, schema, draft, onChange, errorsAt }: ParamInputProps) {
  if (!isList(schema)) return null;
  const items = typeof draft === 'object' && draft.kind === 'list' ? draft.items : null;
  const at = formatPath(path);
  const set = (next: Draft[]) => onChange({ kind: 'list', items: next });
  return (
    <Fieldset label={title(label, schema)} hint={hint(schema)} errors={errorsAt(at)} testId={at}>
      {items === null ? (
        <p className="text-xs text-muted">
          {schema.default !== undefined ? 'The default applies.' : 'Not given.'} Add an item to set
          the list.
        </p>
      ) : items.length === 0 ? (
        <p className="text-xs text-muted">An empty list.</p>
      ) : (
        items.map((item, i) => (
          <div key={i} className="flex items-start gap-2">
            <div className="min-w-0 flex-1">
              <ParamInput
                label={`${label} #${i + 1}`}
                path={[...path, i]}
                schema={schema.items}
                draft={item}
                onChange={(d) => set(items.map((x, j) => (j === i ? d : x)))}
                errorsAt={errorsAt}
              />
            </div>
            <Button
              size="sm"
              variant="ghost"
              className="mt-5"
              aria-label={`Remove ${label} #${i + 1}`}
              onClick={() => set(items.filter((_, j) => j !== i))}
            >
              <X aria-hidden size={14} />
            </Button>
          </div>
        ))
      )}
      <div className="flex gap-2">
        <Button
          size="sm"
          data-testid={`add-item-${at}`}
          onClick={() => set([...(items ?? []), emptyDraft(schema.items)])}
        >
          <Plus aria-hidden size={14} /> Add item
        </Button>
        {items !== null ? (
          <Button size="sm" variant="ghost" onClick={() => onChange(undefined)}>
            {schema.default !== undefined ? 'Use the default' : 'Leave out'}
          </Button>
        ) : null}
      </div>
    </Fieldset>
  );
}

function ParamField({ label, path, schema, draft, onChange, errorsAt }: ParamInputProps) {
  const value = typeof draft === 'string' ? draft : '';
  const name = formatPath(path);
  const enumValues = 'enum' in schema && schema.enum ? schema.enum : null;
  const unset =
    schema.default !== undefined ? `default (${JSON.stringify(schema.default)})` : 'choose…';
  return (
    <Field
      label={title(label, schema)}
      hint={hint(schema)}
      errors={errorsAt(name, schema.type === 'object' || schema.type === 'array')}
    >
      {(a) =>
        enumValues || schema.type === 'boolean' ? (
          <Select {...a} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{unset}</option>
            {(enumValues ?? [true, false]).map((v) => (
              <option key={String(v)} value={String(v)}>
                {String(v)}
              </option>
            ))}
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
            type={schema.type === 'string' && schema.format === 'date' ? 'date' : undefined}
            inputMode={schema.type === 'string' ? undefined : 'decimal'}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

function Fieldset({
  label,
  hint: text,
  errors,
  testId,
  children,
}: {
  label: ReactNode;
  hint?: string;
  errors: string[];
  testId: string;
  children: ReactNode;
}) {
  return (
    <fieldset
      className="flex flex-col gap-3 rounded-md border border-border p-3"
      data-testid={`param-${testId}`}
    >
      <legend className="px-1 text-xs font-medium text-muted">{label}</legend>
      {text ? <p className="-mt-1 text-xs text-muted">{text}</p> : null}
      <FieldErrors errors={errors} alert />
      {children}
    </fieldset>
  );
}

function title(label: string, schema: ValueSchema): ReactNode {
  return (
    <>
      {schema.title ?? label}
      {schema.required ? <span className="text-bad"> *</span> : null}{' '}
      <span className="font-normal">({schema.type})</span>
    </>
  );
}

function hint(schema: ValueSchema): string | undefined {
  const parts = [
    schema.description,
    schema.default !== undefined ? `default: ${JSON.stringify(schema.default)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}
