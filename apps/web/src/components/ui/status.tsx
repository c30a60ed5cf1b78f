import { cn } from './cn';

/** One colour per status of runs, tasks and attempts (the state machines of @dtss/core). */
const STATUS_COLOR: Record<string, string> = {
  pending: 'var(--muted)',
  queued: 'var(--muted)',
  running: 'var(--info)',
  retry_wait: 'var(--warn)',
  succeeded: 'var(--ok)',
  failed: 'var(--bad)',
  timed_out: 'var(--warn)',
  cancelled: 'var(--muted)',
  skipped: 'var(--border)',
  lost: 'var(--bad)',
};

export function statusColor(status: string): string {
  return STATUS_COLOR[status] ?? 'var(--muted)';
}

export function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

export function StatusDot({ status, className }: { status: string; className?: string }) {
  return (
    <span
      role="img"
      aria-label={statusLabel(status)}
      title={statusLabel(status)}
      className={cn('inline-block h-2.5 w-2.5 shrink-0 rounded-full', className)}
      style={{ background: statusColor(status) }}
    />
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className="inline-flex items-center gap-1.5 rounded-full border border-border px-2 py-0.5 text-xs"
      data-status={status}
    >
      <span
        aria-hidden
        className="h-2 w-2 rounded-full"
        style={{ background: statusColor(status) }}
      />
      {statusLabel(status)}
    </span>
  );
}

/** A short label; a long one is cut with an ellipsis (whole in its title) rather than wrapped. */
export function Tag({ children }: { children: string }) {
  return (
    <span
      className="inline-block max-w-full truncate rounded border border-border bg-panel-2 px-1.5 py-0.5 align-middle text-xs text-muted"
      title={children}
    >
      {children}
    </span>
  );
}
