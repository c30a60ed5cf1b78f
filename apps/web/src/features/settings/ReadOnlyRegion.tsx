import type { ReactNode } from 'react';

/**
 * A list with no control in it (what a non-admin sees), focusable so the keyboard can still scroll
 * it, and the page around it, when it is wider or longer than the screen.
 */
export function ReadOnlyRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div tabIndex={0} role="region" aria-label={label} className="rounded-md">
      {children}
    </div>
  );
}

/** The region for read-only lists; lists with controls are reached through those. */
export function MaybeRegion({
  readOnly,
  label,
  children,
}: {
  readOnly: boolean;
  label: string;
  children: ReactNode;
}) {
  return readOnly ? <ReadOnlyRegion label={label}>{children}</ReadOnlyRegion> : <>{children}</>;
}
