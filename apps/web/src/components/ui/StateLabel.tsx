import { cn } from '@/components/ui/cn';

const DOT = { ok: 'bg-ok', warn: 'bg-warn', bad: 'bg-bad', muted: 'bg-muted' } as const;

/**
 * A short state word with a coloured dot. The word stays in the text colour: the theme's ok and
 * warn colours are below 4.5:1 on panels for small text, so colour alone never carries it.
 */
export function StateLabel({
  tone,
  children,
  className,
}: {
  tone: keyof typeof DOT;
  children: string;
  className?: string;
}) {
  return (
    <span className={cn('inline-flex items-center gap-1.5', className)}>
      <span aria-hidden className={cn('h-2 w-2 shrink-0 rounded-full', DOT[tone])} />
      {children}
    </span>
  );
}
