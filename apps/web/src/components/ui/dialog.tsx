'use client';
import { Dialog as D } from 'radix-ui';
import { useRef, type ReactNode } from 'react';
import { Button } from './button';

/** A modal dialog (Radix: focus trapped, Escape closes, focus returns to the opener). */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  // Radix gives focus back to its own Trigger; these dialogs are opened from ordinary buttons, so
  // the element focused when one opened gets it back when it closes (keyboard users stay put).
  const opener = useRef<HTMLElement | null>(null);
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40" />
        {/* A long body scrolls between the title and the footer, which stay in view. */}
        <D.Content
          onOpenAutoFocus={() => {
            opener.current = document.activeElement as HTMLElement | null;
          }}
          onCloseAutoFocus={(e) => {
            if (opener.current?.isConnected) {
              e.preventDefault();
              opener.current.focus();
            }
          }}
          className="fixed top-1/2 left-1/2 z-50 flex max-h-[85vh] w-[min(560px,92vw)] -translate-x-1/2 -translate-y-1/2 flex-col gap-3 rounded-lg border border-border bg-panel p-5 shadow-xl"
        >
          <D.Title className="text-base font-semibold">{title}</D.Title>
          {description ? (
            <D.Description className="text-sm text-muted">{description}</D.Description>
          ) : (
            <D.Description className="sr-only">{title}</D.Description>
          )}
          {children ? (
            <div className="-mx-5 min-h-0 flex-1 overflow-auto px-5 py-1">{children}</div>
          ) : null}
          {footer ? <div className="flex shrink-0 justify-end gap-2">{footer}</div> : null}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  danger,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            variant={danger ? 'danger' : 'primary'}
            onClick={() => {
              onConfirm();
              onOpenChange(false);
            }}
          >
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}

/** A form dialog's footer: Cancel, and the button that submits the form with id `formId`. */
export function FormFooter({
  formId,
  onCancel,
  pending,
  testId,
  children,
}: {
  formId: string;
  onCancel: () => void;
  /** The submission is in flight: the button waits. */
  pending: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <>
      <Button onClick={onCancel}>Cancel</Button>
      <Button variant="primary" type="submit" form={formId} disabled={pending} data-testid={testId}>
        {children}
      </Button>
    </>
  );
}
