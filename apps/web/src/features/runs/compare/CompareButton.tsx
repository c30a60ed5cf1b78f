'use client';
import { GitCompareArrows } from 'lucide-react';
import Link from 'next/link';
import { useTeamHref } from '@/components/shell/team';
import { cn } from '@/components/ui/cn';

/**
 * Opens the compare page of a run (the run before it is picked to compare with; the page lets
 * people pick another). A link styled as a secondary button.
 */
export function CompareButton({
  runId,
  workflow,
  className,
}: {
  runId: string;
  /** The run's workflow name, for the link's description. */
  workflow: string;
  className?: string;
}) {
  const href = useTeamHref();
  return (
    <Link
      href={href(`/runs/${encodeURIComponent(runId)}/compare`)}
      title={`Compare this run with another run of ${workflow}`}
      data-testid="compare-run"
      className={cn(
        'inline-flex h-8 items-center justify-center gap-1.5 rounded-md border border-border bg-panel px-3 text-sm font-medium whitespace-nowrap text-fg no-underline transition-colors hover:bg-panel-2',
        className,
      )}
    >
      <GitCompareArrows aria-hidden size={14} /> Compare
    </Link>
  );
}
