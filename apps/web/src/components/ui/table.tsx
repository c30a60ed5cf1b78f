import type { ReactNode } from 'react';
import { cn } from './cn';

/**
 * A column of a data table's head. `srOnly` columns (row actions) are named for screen readers
 * but show nothing; `numeric` columns are right-aligned, like the figures under them.
 */
export interface TableColumn {
  label: string;
  numeric?: boolean;
  srOnly?: boolean;
  className?: string;
}

/** One head row of column headers, styled alike on every list page. */
export function TableHead({
  columns,
  cellPadding = 'px-4',
}: {
  columns: readonly (TableColumn | false | null | undefined)[];
  /** Horizontal padding of the cells; dense tables use a smaller one. */
  cellPadding?: string;
}) {
  return (
    <thead className="border-b border-border text-left text-xs text-muted">
      <tr>
        {columns.map((column) =>
          column ? (
            <th
              key={column.label}
              scope="col"
              className={cn(
                cellPadding,
                'py-2 font-medium',
                column.numeric && 'text-right',
                column.className,
              )}
            >
              {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
            </th>
          ) : null,
        )}
      </tr>
    </thead>
  );
}

/**
 * A data table in a bordered panel that scrolls sideways on narrow screens. The caption names
 * the table for screen readers; `columns` become its head; `children` are its body rows.
 */
export function DataTable({
  caption,
  columns,
  testId,
  framed = true,
  cellPadding,
  layout = 'auto',
  minWidth,
  regionLabel,
  children,
}: {
  caption: ReactNode;
  columns: readonly (TableColumn | false | null | undefined)[];
  testId?: string;
  /** False inside a Card, which draws the border already. */
  framed?: boolean;
  cellPadding?: string;
  /**
   * `fixed`: columns keep the widths of their headers' classes whatever the rows hold, so a list
   * that refreshes in place never shifts (give every column a width but one).
   */
  layout?: 'auto' | 'fixed';
  /** Below this width (a CSS length) the table scrolls sideways instead of squeezing. */
  minWidth?: string;
  /**
   * Names the scrolling panel and makes it focusable: give it when no row holds anything
   * focusable, so a keyboard can still scroll a table wider than the screen.
   */
  regionLabel?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={cn(
        'overflow-x-auto',
        framed ? 'rounded-lg border border-border bg-panel' : '-mx-4 -mb-4',
      )}
      {...(regionLabel ? { tabIndex: 0, role: 'region', 'aria-label': regionLabel } : {})}
    >
      <table
        className={cn('w-full text-sm', layout === 'fixed' && 'table-fixed')}
        style={minWidth ? { minWidth } : undefined}
        data-testid={testId}
      >
        <caption className="sr-only">{caption}</caption>
        <TableHead columns={columns} cellPadding={cellPadding} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
