import type { ReactNode } from 'react';
import { AuthShell } from './AuthCard';

/**
 * Sign-in, sign-up and invitation: the app's palette, type and components around one card, centred
 * (no navigation: nothing of a team is shown before sign-in).
 */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <AuthShell>{children}</AuthShell>;
}
