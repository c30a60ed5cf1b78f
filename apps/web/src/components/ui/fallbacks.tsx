'use client';
import { DATABASE_UNAVAILABLE_DIGEST } from '@dtss/core';
import { useRouter } from 'next/navigation';
import { startTransition, useCallback, useEffect } from 'react';
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
  if (digest === DATABASE_UNAVAILABLE_DIGEST) return <DatabaseUnavailableMessage reset={reset} />;
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

const RETRY_EVERY_MS = 5_000;

/**
 * The database is restarting or unreachable: nothing is lost (workers keep running their tasks),
 * so the page says so and tries again by itself until the server can render it.
 */
function DatabaseUnavailableMessage({ reset }: { reset: () => void }) {
  const router = useRouter();
  const retry = useCallback(() => {
    // The error came from the server render: ask the server again, then drop the boundary.
    startTransition(() => {
      router.refresh();
      reset();
    });
  }, [router, reset]);
  useEffect(() => {
    const timer = setInterval(retry, RETRY_EVERY_MS);
    return () => clearInterval(timer);
  }, [retry]);
  return (
    <div
      role="alert"
      data-testid="database-unavailable"
      className="mx-auto flex max-w-lg flex-col items-start gap-3 px-6 py-20"
    >
      <h1>The database is unavailable</h1>
      <p className="text-muted">
        DTSS cannot reach its database right now (it may be restarting). Running tasks go on and
        their results are written once it is back. This page tries again every{' '}
        {RETRY_EVERY_MS / 1000} seconds.
      </p>
      <Button variant="primary" onClick={retry}>
        Try now
      </Button>
    </div>
  );
}
