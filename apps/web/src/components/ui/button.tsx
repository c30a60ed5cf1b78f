import Link from 'next/link';
import { forwardRef, type ButtonHTMLAttributes, type ComponentProps } from 'react';
import { cn } from './cn';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';
type Size = 'sm' | 'md';
const VARIANTS: Record<Variant, string> = {
  // Hover darkens (never fades): faded, the label fell below 4.5:1 on the accent.
  primary: 'bg-accent text-accent-fg hover:brightness-90 border-transparent',
  secondary: 'bg-panel text-fg border-border hover:bg-panel-2',
  ghost: 'bg-transparent text-fg border-transparent hover:bg-panel-2',
  // The accent's text colour: white on the light theme's dark red, near-black on the dark theme's
  // light red (white on it fell below 3:1).
  danger: 'bg-bad text-accent-fg border-transparent hover:brightness-90',
};

/** The classes of a button of this variant and size (for the rare element that is not one). */
export function buttonClass({
  variant = 'secondary',
  size = 'md',
  className,
}: { variant?: Variant; size?: Size; className?: string } = {}): string {
  return cn(
    'inline-flex items-center justify-center gap-1.5 rounded-md border font-medium whitespace-nowrap no-underline transition-colors',
    'disabled:cursor-not-allowed disabled:opacity-50',
    size === 'sm' ? 'h-7 px-2.5 text-xs' : 'h-8 px-3 text-sm',
    VARIANTS[variant],
    className,
  );
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
}

/** The one button. Disabled buttons say why through `title` where the reason is not obvious. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', size = 'md', className, type = 'button', ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClass({ variant, size, className })}
      {...props}
    />
  );
});

/**
 * A link that looks like a button: navigation (New workflow, Edit, Sign in) is a link, so it opens
 * in a new tab and is one Tab stop; never a `<Button>` inside a `<Link>`.
 */
export function ButtonLink({
  variant = 'secondary',
  size = 'md',
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: Variant; size?: Size }) {
  return <Link className={buttonClass({ variant, size, className })} {...props} />;
}
