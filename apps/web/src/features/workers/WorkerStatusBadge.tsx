import { cn } from '@/components/ui/cn';
import type { WorkerStatus } from '@dtss/db';

/** Worker statuses are not run statuses: their own colours (the shared StatusBadge knows runs). */
const COLOR: Record<WorkerStatus, string> = {
  active: 'var(--ok)',
  draining: 'var(--warn)',
  stopped: 'var(--muted)',
  lost: 'var(--bad)',
};

/** A lost worker stands out (outlined in the bad colour): its tasks were taken back from it. */
export function WorkerStatusBadge({ status }: { status: WorkerStatus }) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs',
        status === 'lost' ? 'border-bad font-medium' : 'border-border',
      )}
      data-status={status}
    >
      <span aria-hidden className="h-2 w-2 rounded-full" style={{ background: COLOR[status] }} />
      {status}
    </span>
  );
}
