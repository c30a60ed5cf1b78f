'use client';
import { Tabs as T } from 'radix-ui';
import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * Tabs (Radix: arrow keys move between tabs, Tab goes into the panel). Use `Tabs.Root` and
 * `Tabs.Content` from radix-ui with these two for the strip, so every tab strip looks the same:
 * an underline in the accent under the selected tab, on the strip's bottom border.
 */
export function TabList({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <T.List
      aria-label={label}
      className={cn('flex shrink-0 gap-1 border-b border-border', className)}
    >
      {children}
    </T.List>
  );
}

export function Tab({
  value,
  testId,
  children,
}: {
  value: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <T.Trigger
      value={value}
      data-testid={testId}
      className="-mb-px border-b-2 border-transparent px-3 py-1.5 text-sm text-muted hover:text-fg data-[state=active]:border-accent data-[state=active]:text-fg"
    >
      {children}
    </T.Trigger>
  );
}
