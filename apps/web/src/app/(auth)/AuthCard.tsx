import type { ReactNode } from 'react';

/** The card of an auth page: its title, a line under it, what it asks, and links below it. */
export function AuthCard({
  title,
  subtitle,
  error,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  /** A fixed text for an error code of the URL (messages.ts); nothing of the URL is shown. */
  error?: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <>
      <section className="flex flex-col gap-4 rounded-lg border border-border bg-panel p-6 shadow-sm">
        <div className="flex flex-col gap-1">
          <h1>{title}</h1>
          {subtitle ? <p className="text-sm text-muted">{subtitle}</p> : null}
        </div>
        {error ? (
          <p
            role="alert"
            data-testid="auth-error"
            className="rounded-md border border-bad/40 bg-panel-2 px-3 py-2 text-sm text-bad"
          >
            {error}
          </p>
        ) : null}
        {children}
      </section>
      {/* Links in this line are underlined: told from the text by more than colour. */}
      {footer ? (
        <div className="text-center text-sm text-muted [&_a]:underline [&_a]:underline-offset-2">
          {footer}
        </div>
      ) : null}
    </>
  );
}
