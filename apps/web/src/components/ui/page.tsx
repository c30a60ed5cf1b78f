import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * The head of every page: title (the page's one `h1`), a line about it, and its actions on the
 * right. The title block takes the room left, so the actions stay on the right whatever its length.
 */
export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0 flex-1 basis-80">
        <h1 className="truncate">{title}</h1>
        {subtitle ? <div className="mt-1 text-sm text-muted">{subtitle}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </header>
  );
}

/**
 * The head of a section of a page that is not a Card (a tab's content): an `h2`, a line about it,
 * and the section's actions on the right; `id` names the section (`aria-labelledby`).
 */
export function SectionHeader({
  id,
  title,
  subtitle,
  actions,
}: {
  id: string;
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0 flex-1 basis-80">
        <h2 id={id}>{title}</h2>
        {subtitle ? <p className="mt-0.5 text-sm text-muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/**
 * A panel with an optional head (an `h2` title and actions on the right). Tables in a card are
 * `DataTable framed={false}`; a card's empty list is one muted sentence, not an EmptyState.
 */
export function Card({
  title,
  actions,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={cn('rounded-lg border border-border bg-panel', className)}
      data-testid={testId}
    >
      {title ? (
        <div className="flex min-h-11 items-center justify-between gap-3 border-b border-border px-4 py-2">
          <h2 className="text-sm">{title}</h2>
          {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
        </div>
      ) : null}
      <div className="p-4">{children}</div>
    </section>
  );
}
