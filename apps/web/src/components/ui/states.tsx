import type { ReactNode } from 'react';
import { errorMessage } from '@/trpc/errors';
import { Button } from './button';
import { cn } from './cn';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-2 text-sm text-muted">
      <span
        aria-hidden
        className="h-4 w-4 animate-spin rounded-full border-2 border-border border-t-accent"
      />
      {label}
    </div>
  );
}

/** Placeholder rows while a list loads: the page keeps its shape, nothing jumps when data comes. */
export function SkeletonRows({ rows = 6, className }: { rows?: number; className?: string }) {
  return (
    <div role="status" aria-label="Loading" className={cn('flex flex-col gap-2', className)}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-9 animate-pulse rounded-md bg-panel-2" />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div
      className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-border px-6 py-12 text-center"
      data-testid="empty-state"
    >
      <h2>{title}</h2>
      {children ? <div className="max-w-md text-sm text-muted">{children}</div> : null}
      {action}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div
      role="alert"
      data-testid="error-state"
      className="flex flex-col items-start gap-2 rounded-lg border border-bad/40 bg-panel px-4 py-3"
    >
      <div className="font-medium text-bad">Could not load this</div>
      <div className="text-sm text-muted">{errorMessage(error)}</div>
      {retry ? (
        <Button size="sm" onClick={retry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
