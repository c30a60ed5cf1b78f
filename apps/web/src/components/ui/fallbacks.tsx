'use client';
import Link from 'next/link';

/** Unknown pages and objects of other teams look the same: nothing about them leaks. */
export function NotFoundMessage({ home = '/' }: { home?: string }) {
  return (
    <div
      className="mx-auto flex max-w-lg flex-col items-start gap-3 px-6 py-20"
      data-testid="not-found"
    >
      <p className="text-sm text-muted">404</p>
      <h1>Not found</h1>
      <p className="text-muted">
        This page does not exist, or it belongs to a team you are not a member of.
      </p>
      <Link href={home}>Go to your workflows</Link>
    </div>
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
      <button
        type="button"
        onClick={reset}
        className="rounded-md border border-border bg-panel px-3 py-1.5 text-sm"
      >
        Try again
      </button>
    </div>
  );
}
