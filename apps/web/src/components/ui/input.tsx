import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { cn } from './cn';

const FIELD =
  'w-full rounded-md border border-border bg-bg px-2.5 py-1.5 text-sm text-fg placeholder:text-muted disabled:opacity-60 aria-[invalid=true]:border-bad';

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(
  function Input({ className, ...props }, ref) {
    return <input ref={ref} className={cn(FIELD, 'h-8 py-1', className)} {...props} />;
  },
);

export const Textarea = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement>
>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} className={cn(FIELD, className)} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(
  function Select({ className, ...props }, ref) {
    return <select ref={ref} className={cn(FIELD, 'h-8 py-1', className)} {...props} />;
  },
);

/**
 * A labelled form field with its hint and errors; the control gets the id, `aria-invalid` and
 * `aria-describedby` through the render prop so screen readers read the error with the field.
 * Every form uses it (settings, dialogs, the editor's panels, the auth pages): label above in
 * small muted type, the control, then the errors in red or, when there are none, the hint.
 */
export function Field({
  label,
  hint,
  errors,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  children: (control: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const describedBy = errors?.length ? `${id}-err` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn('flex flex-col gap-1', className)}>
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(errors?.length), 'aria-describedby': describedBy })}
      {errors?.length ? (
        <FieldErrors id={`${id}-err`} errors={errors} />
      ) : hint ? (
        <div id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The errors of one field, one per line, under it. `Field` renders them itself; use this directly
 * only under a control that `Field` cannot wrap (a fieldset of several inputs, a code editor).
 */
export function FieldErrors({
  errors,
  id,
  alert,
}: {
  errors: readonly string[] | undefined;
  id?: string;
  /** Said at once by screen readers (a group whose error appears without a submit). */
  alert?: boolean;
}) {
  if (!errors?.length) return null;
  return (
    <div
      id={id}
      role={alert ? 'alert' : undefined}
      className="text-xs text-bad"
      data-testid="field-error"
    >
      {errors.map((e, i) => (
        <div key={i}>{e}</div>
      ))}
    </div>
  );
}

/**
 * What a form (or a row action) could not place on a field: the server's refusal, said in words
 * where the action was, at the end of the form or above the list.
 */
export function FormAlert({ errors, testId }: { errors?: readonly string[]; testId?: string }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="text-sm text-bad" data-testid={testId ?? 'form-error'}>
      {errors.join('; ')}
    </div>
  );
}
