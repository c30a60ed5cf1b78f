'use client';
import { teamName } from '@dtss/api/forms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, FormAlert, Input } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { Tag } from '@/components/ui/status';
import { dateTime, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { mergeErrors, schemaErrors, serverErrors } from './formErrors';

/** The team: its name (admins rename it), slug, age and the caller's role. */
export function TeamCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const q = useQuery(trpc.teams.get.queryOptions({ teamSlug: team.slug }));
  return (
    <Card title="Team">
      {q.isPending ? (
        <SkeletonRows rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : (
        <div className="flex flex-col gap-4">
          <dl
            className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm"
            data-testid="team-details"
          >
            <dt className="text-muted">Name</dt>
            <dd data-testid="team-name">{q.data.name}</dd>
            <dt className="text-muted">Slug</dt>
            <dd>
              <code className="font-mono text-xs" data-testid="team-slug">
                {q.data.slug}
              </code>
              <span className="ml-2 text-xs text-muted">(in the team&apos;s URLs; it stays)</span>
            </dd>
            <dt className="text-muted">Created</dt>
            <dd title={dateTime(q.data.createdAt)}>{relativeTime(q.data.createdAt)}</dd>
            <dt className="text-muted">Your role</dt>
            <dd data-testid="my-role">
              <Tag>{q.data.role}</Tag>
            </dd>
          </dl>
          {isAdmin ? <RenameForm current={q.data.name} /> : null}
        </div>
      )}
    </Card>
  );
}

function RenameForm({ current }: { current: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(current);
  const [submitted, setSubmitted] = useState(false);
  const rename = useMutation(
    trpc.teams.rename.mutationOptions({
      onSuccess: async (renamed) => {
        setName(renamed.name);
        setSubmitted(false);
        queryClient.setQueryData(trpc.teams.get.queryKey({ teamSlug: team.slug }), renamed);
        await queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
        // The shell's team switcher and title come from the server layout.
        router.refresh();
      },
    }),
  );
  const local = schemaErrors(teamName, name);
  const server = serverErrors(rename.error, ['name']);
  const errorsOf = mergeErrors({ name: local[''] ?? [] }, server, submitted);
  const unchanged = name.trim() === current;

  return (
    <form
      className="flex flex-wrap items-start gap-2 border-t border-border pt-4"
      aria-label="Rename the team"
      data-testid="rename-team-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (local[''] || rename.isPending || unchanged) return;
        rename.mutate({ teamSlug: team.slug, name: name.trim() });
      }}
    >
      <Field
        label="Team name"
        hint="Shown in the team switcher and page titles."
        errors={errorsOf('name')}
        className="min-w-64 flex-1"
      >
        {(a) => (
          <Input
            {...a}
            name="name"
            value={name}
            autoComplete="off"
            onChange={(e) => {
              setName(e.target.value);
              rename.reset();
            }}
            data-testid="team-name-input"
          />
        )}
      </Field>
      <Button
        type="submit"
        disabled={rename.isPending || unchanged}
        title={unchanged ? 'Type a new name first' : undefined}
        className="mt-5"
        data-testid="rename-team"
      >
        {rename.isPending ? 'Saving…' : 'Rename'}
      </Button>
      <div className="basis-full empty:hidden">
        <FormAlert errors={server['']} />
      </div>
      <span role="status" className="sr-only">
        {rename.isSuccess ? `The team is now called ${rename.data.name}.` : ''}
      </span>
    </form>
  );
}
