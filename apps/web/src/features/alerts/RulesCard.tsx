'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { StateLabel } from '@/components/ui/StateLabel';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Select } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { Tag } from '@/components/ui/status';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { DataTable } from '@/components/ui/table';
import { serverErrors, serverErrorText } from '@/features/settings/formErrors';
import { useTRPC } from '@/trpc/react';
import { KIND_LABEL, type Rule } from './types';

function describe(r: Rule): string {
  const s = r.spec;
  if (s.on === 'run_failed') return `statuses ${s.statuses.join(', ')}`;
  if (s.on === 'task_retries') return `more than ${s.retries} retries`;
  if (s.on === 'deadline' && s.deadline)
    return s.deadline.from === 'average'
      ? `mean of the last ${s.deadline.runs} successful runs × ${s.deadline.factor}`
      : `${Math.round(s.deadline.afterMs / 60_000)} min from ${s.deadline.from.replace('_', ' ')}`;
  if (s.on === 'pool_starved')
    return `${s.pool ?? 'any pool'}, ${Math.round((s.waitingMs ?? 0) / 1000)} s`;
  return '';
}

/**
 * The rules: those of workflow files (change the file to change them) and team rules, which admins
 * add here for every workflow of the team and delete.
 */
export function RulesCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.list.queryOptions({ teamSlug: team.slug }));
  const [toDelete, setToDelete] = useState<Rule | null>(null);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
  };
  const del = useMutation(trpc.alerts.rules.delete.mutationOptions({ onSuccess: invalidate }));
  return (
    <Card title="Rules">
      <FormAlert errors={del.error ? [serverErrorText(del.error)] : undefined} />
      {rules.isPending ? (
        <SkeletonRows rows={2} className="p-4" />
      ) : rules.isError ? (
        <ErrorState error={rules.error} retry={() => void rules.refetch()} />
      ) : rules.data.length === 0 ? (
        <p className="p-4 text-sm text-muted">
          No rules yet: add <code>alerts:</code> to a workflow file, or a team rule below.
        </p>
      ) : (
        <DataTable
          caption="Alert rules"
          testId="rules-table"
          framed={false}
          columns={[
            { label: 'Name' },
            { label: 'Kind' },
            { label: 'Applies to' },
            { label: 'Channels' },
            { label: 'State' },
            isAdmin && { label: 'Actions', srOnly: true },
          ]}
        >
          {rules.data.map((r) => (
            <tr key={r.id} className="border-b border-border last:border-0" data-testid="rule-row">
              <td className="px-4 py-2 font-mono text-xs">{r.name}</td>
              <td className="px-4 py-2">
                <Tag>{KIND_LABEL[r.kind] ?? r.kind}</Tag>
                <div className="text-xs text-muted">{describe(r)}</div>
              </td>
              <td className="px-4 py-2 text-muted">
                {r.workflowName ? `${r.workflowName} (file)` : 'every workflow (team rule)'}
              </td>
              <td className="px-4 py-2 font-mono text-xs">{r.channelNames.join(', ')}</td>
              <td className="px-4 py-2">
                <StateLabel tone={r.enabled ? 'ok' : 'muted'}>
                  {r.enabled ? 'enabled' : 'disabled'}
                </StateLabel>
              </td>
              {isAdmin ? (
                <td className="px-4 py-2 text-right">
                  {r.source === 'api' ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Delete rule ${r.name}`}
                      onClick={() => setToDelete(r)}
                    >
                      Delete
                    </Button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      {isAdmin ? <NewRuleForm onCreated={invalidate} /> : null}
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => (open ? null : setToDelete(null))}
        title="Delete this rule?"
        description={toDelete ? `Rule ${toDelete.name} and its incidents' history go.` : ''}
        confirmLabel="Delete rule"
        danger
        onConfirm={() => {
          if (toDelete) del.mutate({ teamSlug: team.slug, ruleId: toDelete.id });
        }}
      />
    </Card>
  );
}

/** The API's input paths of the new-rule form's fields (its issues are placed on them). */
const AMOUNT_FIELDS = ['rule.retries', 'rule.deadline', 'rule.waitingForMs'];
const RULE_FIELDS = ['rule.name', 'rule.channels', ...AMOUNT_FIELDS];

function NewRuleForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const team = useTeam();
  const [kind, setKind] = useState('run_failed');
  const [name, setName] = useState('');
  const [channels, setChannels] = useState('');
  const [amount, setAmount] = useState('');
  const create = useMutation(
    trpc.alerts.rules.create.mutationOptions({
      onSuccess: () => {
        setName('');
        setAmount('');
        onCreated();
      },
    }),
  );
  const errors = serverErrors(create.error, RULE_FIELDS, 'rule.name');
  const amountErrors = AMOUNT_FIELDS.flatMap((f) => errors[f] ?? []);
  const amountLabel =
    kind === 'task_retries'
      ? 'Retries allowed'
      : kind === 'deadline'
        ? 'Minutes after queued'
        : kind === 'pool_starved'
          ? 'Seconds waiting'
          : null;
  const extra = () => {
    const n = Number(amount);
    if (kind === 'task_retries') return { retries: n };
    if (kind === 'deadline') return { deadline: { from: 'queued' as const, afterMs: n * 60_000 } };
    if (kind === 'pool_starved') return { waitingForMs: n * 1000 };
    return {};
  };
  return (
    <form
      // The table above is unframed: it reaches into the card's bottom padding (-mb-4); this
      // margin gives that room back so the form's border does not cut through its last row.
      className="mt-4 flex flex-col gap-3 border-t border-border p-4"
      aria-label="New team rule"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({
          teamSlug: team.slug,
          rule: {
            ...(name.trim() ? { name: name.trim() } : {}),
            on: kind as 'run_failed',
            channels: channels
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            ...extra(),
          },
        });
      }}
    >
      <h3 className="text-sm font-medium">New team rule</h3>
      <div className="grid items-start gap-3 sm:grid-cols-4">
        <Field label="Kind">
          {(a) => (
            <Select {...a} value={kind} onChange={(e) => setKind(e.target.value)}>
              {Object.entries(KIND_LABEL).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Name" hint="Optional" errors={errors['rule.name']}>
          {(a) => (
            <Input
              {...a}
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="font-mono"
            />
          )}
        </Field>
        <Field label="Channels" hint="Comma-separated names" errors={errors['rule.channels']}>
          {(a) => (
            <Input
              {...a}
              value={channels}
              onChange={(e) => setChannels(e.target.value)}
              className="font-mono"
            />
          )}
        </Field>
        {amountLabel ? (
          <Field label={amountLabel} errors={amountErrors.length ? amountErrors : undefined}>
            {(a) => (
              <Input
                {...a}
                inputMode="numeric"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            )}
          </Field>
        ) : null}
      </div>
      <FormAlert errors={errors['']} />
      <div>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add rule'}
        </Button>
      </div>
    </form>
  );
}
