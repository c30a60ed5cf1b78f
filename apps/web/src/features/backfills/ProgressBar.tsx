import type { BackfillProgress } from './backfillProgress';

/** A backfill's runs ended of its total, as a bar and in words. */
export function ProgressBar({ progress, label }: { progress: BackfillProgress; label: string }) {
  return (
    <div className="flex min-w-36 flex-col gap-1">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={`${progress.done} of ${progress.total} runs ended`}
        className="h-2 overflow-hidden rounded-full bg-panel-2"
      >
        <div
          className="h-full rounded-full bg-accent transition-[width]"
          style={{ width: `${progress.percent}%` }}
        />
      </div>
      <div className="text-xs text-muted" data-testid="backfill-progress">
        <span className="text-fg">{`${progress.done}/${progress.total}`}</span> ended
        {progress.active ? ` · ${progress.active} active` : ''}
        {progress.failed ? ` · ${progress.failed} not succeeded` : ''}
      </div>
    </div>
  );
}
