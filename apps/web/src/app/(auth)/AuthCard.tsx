import type { ReactNode } from 'react';

/**
 * The frame of the pages outside a team (sign-in, sign-up, invitation, "no team yet", the 404 of an
 * unknown address): the app's palette and type around one centred column, under the product's
 * name. No navigation: nothing of a team is shown there.
 */
export function AuthShell({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center bg-bg px-4 py-16">
      <div className="flex w-full max-w-sm flex-col gap-5">
        <div className="flex flex-col items-center gap-1 text-center">
          <span className="text-lg font-bold tracking-tight">DTSS</span>
          <span className="text-xs text-muted">Distributed task scheduling</span>
        </div>
        {children}
      </div>
    </main>
  );
}

/** A refusal of the whole form, above its fields (a fixed text: nothing of the URL is shown). */
export function AuthError({ children }: { children: ReactNode }) {
  return (
    <p
      role="alert"
      data-testid="auth-error"
      className="rounded-md border border-bad/40 bg-panel-2 px-3 py-2 text-sm text-bad"
    >
      {children}
    </p>
  );
}

/** The card of an auth page: its title, a line under it, what it asks, and links below it. */
export function AuthCard({
  title,
  subtitle,
  error,
  children,
  footer,
  testId,
}: {
  title: string;
  subtitle?: ReactNode;
  /** A fixed text for an error code of the URL (messages.ts); nothing of the URL is shown. */
  error?: string;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
}) {
  return (
    <>
      <section
        className="flex flex-col gap-4 rounded-lg border border-border bg-panel p-6 shadow-sm"
        data-testid={testId}
      >
        <div className="flex flex-col gap-1">
          <h1>{title}</h1>
          {subtitle ? <p className="text-sm text-muted">{subtitle}</p> : null}
        </div>
        {error ? <AuthError>{error}</AuthError> : null}
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
