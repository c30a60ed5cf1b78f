import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

const TONES = {
  default: 'text-fg',
  ok: 'text-ok',
  bad: 'text-bad',
  warn: 'text-warn',
  info: 'text-info',
  muted: 'text-muted',
} as const;

/**
 * One figure with its label and a line of context. A `<div role="group">` named by its label, so a
 * screen reader reads "Success rate, 97.5 %, of 40 runs that ended".
 */
export function StatTile({
  label,
  value,
  hint,
  tone = 'default',
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: keyof typeof TONES;
  testId?: string;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="flex min-w-0 flex-col gap-1 rounded-lg border border-border bg-panel px-4 py-3"
      data-testid={testId}
    >
      <div className="truncate text-xs font-medium text-muted">{label}</div>
      <div className={cn('text-2xl font-semibold tabular-nums', TONES[tone])} data-value>
        {value}
      </div>
      {hint ? <div className="truncate text-xs text-muted">{hint}</div> : null}
    </div>
  );
}
