'use client';
import { Button, ButtonLink } from './button';

const NOT_FOUND_TEXT = 'This page does not exist, or it belongs to a team you are not a member of.';

/**
 * Unknown pages and objects of other teams look the same: nothing about them leaks. Inside the
 * shell (a team's page): in the page's place, with its way out.
 */
export function NotFoundMessage({ home = '/' }: { home?: string }) {
  return (
    <div
      className="mx-auto flex max-w-lg flex-col items-start gap-3 px-6 py-20"
      data-testid="not-found"
    >
      <p className="text-sm text-muted">404</p>
      <h1>Not found</h1>
      <p className="text-muted">{NOT_FOUND_TEXT}</p>
      <ButtonLink href={home} variant="primary">
        Go to your workflows
      </ButtonLink>
    </div>
  );
}

/** The 404 outside a team (an unknown address, a team one is not in): the auth pages' card. */
export function NotFoundCard({ home = '/' }: { home?: string }) {
  return (
    <section
      className="flex flex-col gap-4 rounded-lg border border-border bg-panel p-6 shadow-sm"
      data-testid="not-found"
    >
      <div className="flex flex-col gap-1">
        <p className="text-xs text-muted">404</p>
        <h1>Not found</h1>
        <p className="text-sm text-muted">{NOT_FOUND_TEXT}</p>
      </div>
      <ButtonLink href={home} variant="primary" className="w-full">
        Go to your workflows
      </ButtonLink>
    </section>
  );
}

/** A page that failed to render: a message and a way out, never a stack trace. */
export function RenderErrorMessage({ digest, reset }: { digest?: string; reset: () => void }) {
  return (
    <div
      role="alert"
      data-testid="render-error"
      className="mx-auto flex max-w-lg flex-col items-start gap-3 px-6 py-20"
    >
      <h1>Something went wrong</h1>
      <p className="text-muted">
        The page could not be shown.{digest ? ` Reference: ${digest}.` : ''}
      </p>
      <Button variant="primary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
