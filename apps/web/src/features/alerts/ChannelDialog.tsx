'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Select } from '@/components/ui/input';
import { CopyField } from '@/features/settings/CopyField';
import { serverErrors } from '@/features/settings/formErrors';
import { useTRPC } from '@/trpc/react';

const FIELDS = [
  'name',
  'settings.url',
  'settings.host',
  'settings.port',
  'settings.from',
  'settings.to',
];

/**
 * A new channel. URLs (they may carry a token) and the SMTP password are write-only: sealed on the
 * server and never shown again; a webhook's generated signing secret is shown once, here.
 */
export function ChannelDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const [kind, setKind] = useState<'webhook' | 'slack' | 'email'>('webhook');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('587');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const create = useMutation({
    ...trpc.alerts.channels.create.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
    gcTime: 0,
  });
  const errors = serverErrors(create.error, FIELDS, 'name');
  const of = (f: string) => errors[f];

  if (create.data?.signingSecret) {
    return (
      <Dialog
        open
        onOpenChange={(open) => (open ? null : onClose())}
        title={`Channel ${create.data.channel.name} created`}
        description="Receivers check each request's x-dtss-signature with this secret (HMAC-SHA256 of the timestamp, a dot and the body, like DTSS's inbound webhooks). It is shown once."
        footer={
          <FormFooter formId={formId} onCancel={onClose} pending={false} testId="channel-done">
            Done
          </FormFooter>
        }
      >
        <form id={formId} onSubmit={(e) => (e.preventDefault(), onClose())}>
          <CopyField
            label="Signing secret"
            value={create.data.signingSecret}
            testId="channel-secret"
          />
        </form>
      </Dialog>
    );
  }

  const settings =
    kind === 'email'
      ? {
          kind,
          host: host.trim(),
          port: Number(port),
          secure: Number(port) === 465,
          from: from.trim(),
          to: to
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          username: username.trim() || null,
          password: password || null,
        }
      : { kind, url: url.trim() };

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="New alert channel"
      description="Where alerts go. Rules name channels (channels: in a workflow file's alerts:, or a team rule)."
      footer={
        <FormFooter
          formId={formId}
          onCancel={onClose}
          pending={create.isPending}
          testId="channel-save"
        >
          {create.isPending ? 'Saving…' : 'Create channel'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        autoComplete="off"
        noValidate
        data-testid="channel-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (create.isPending) return;
          create.mutate({ teamSlug: team.slug, name: name.trim(), settings });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Name" hint="e.g. ops-webhook" errors={of('name')}>
            {(a) => (
              <Input
                {...a}
                value={name}
                onChange={(e) => setName(e.target.value)}
                className="font-mono"
                data-testid="channel-name"
              />
            )}
          </Field>
          <Field label="Kind">
            {(a) => (
              <Select
                {...a}
                value={kind}
                onChange={(e) => setKind(e.target.value as typeof kind)}
                data-testid="channel-kind"
              >
                <option value="webhook">Webhook (signed JSON)</option>
                <option value="slack">Slack incoming webhook</option>
                <option value="email">Email (SMTP)</option>
              </Select>
            )}
          </Field>
        </div>
        {kind === 'email' ? (
          <>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="SMTP host" errors={of('settings.host')}>
                {(a) => (
                  <Input
                    {...a}
                    value={host}
                    onChange={(e) => setHost(e.target.value)}
                    data-testid="channel-host"
                  />
                )}
              </Field>
              <Field label="Port" hint="465: TLS from the start" errors={of('settings.port')}>
                {(a) => (
                  <Input
                    {...a}
                    inputMode="numeric"
                    value={port}
                    onChange={(e) => setPort(e.target.value)}
                  />
                )}
              </Field>
            </div>
            <Field label="From" errors={of('settings.from')}>
              {(a) => <Input {...a} value={from} onChange={(e) => setFrom(e.target.value)} />}
            </Field>
            <Field label="To" hint="Comma-separated addresses" errors={of('settings.to')}>
              {(a) => <Input {...a} value={to} onChange={(e) => setTo(e.target.value)} />}
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="User name" hint="Optional">
                {(a) => (
                  <Input {...a} value={username} onChange={(e) => setUsername(e.target.value)} />
                )}
              </Field>
              <Field label="Password" hint="Write-only">
                {(a) => (
                  <Input
                    {...a}
                    type="password"
                    autoComplete="new-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                )}
              </Field>
            </div>
          </>
        ) : (
          <Field
            label="URL"
            hint="Write-only: it may carry a token. Only its host is shown."
            errors={of('settings.url')}
          >
            {(a) => (
              <Input
                {...a}
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                spellCheck={false}
                data-testid="channel-url"
              />
            )}
          </Field>
        )}
        <FormAlert errors={errors['']} />
      </form>
    </Dialog>
  );
}
