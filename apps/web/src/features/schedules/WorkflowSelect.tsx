'use client';
import { useQuery } from '@tanstack/react-query';
import { forwardRef, type SelectHTMLAttributes } from 'react';
import { useTeam } from '@/components/shell/team';
import { Select } from '@/components/ui/input';
import { useTRPC } from '@/trpc/react';

/** The team's workflows (not archived) by name, for the schedule, webhook and backfill forms. */
export const WorkflowSelect = forwardRef<
  HTMLSelectElement,
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value'> & {
    value: string;
    /** The workflow already chosen (editing), listed even when the list lacks it (archived). */
    current?: { id: string; name: string };
  }
>(function WorkflowSelect({ value, current, ...props }, ref) {
  const trpc = useTRPC();
  const team = useTeam();
  const list = useQuery(trpc.workflows.list.queryOptions({ teamSlug: team.slug, limit: 200 }));
  const items = list.data?.items ?? [];
  return (
    <Select ref={ref} value={value} {...props}>
      <option value="">
        {list.isPending
          ? 'Loading workflows…'
          : list.isError
            ? 'Could not load the workflows'
            : items.length === 0
              ? 'No workflows yet'
              : 'Choose a workflow'}
      </option>
      {current && !items.some((w) => w.id === current.id) ? (
        <option value={current.id}>{current.name}</option>
      ) : null}
      {items.map((w) => (
        <option key={w.id} value={w.id}>
          {w.name}
        </option>
      ))}
    </Select>
  );
});
