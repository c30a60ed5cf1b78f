import { cn } from '@/components/ui/cn';

/**
 * A thin bar of how full something is (0–100). Decorative: the figures beside it say the same in
 * text, so it is hidden from screen readers.
 */
export function LoadMeter({ percent, className }: { percent: number; className?: string }) {
  return (
    <div aria-hidden className={cn('mt-1 h-1.5 w-full rounded-full bg-border', className)}>
      <div
        className={cn('h-full rounded-full', percent >= 100 ? 'bg-warn' : 'bg-accent')}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
