import type { ReactNode } from 'react';

/**
 * Sign-in, sign-up and invitation: the app's palette, type and components around one card, centred
 * (no navigation: nothing of a team is shown before sign-in).
 */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen flex-col items-center bg-bg px-4 py-16">
      <div className="flex w-full max-w-sm flex-col gap-5">
        <div className="flex flex-col items-center gap-1 text-center">
          <span className="text-lg font-bold tracking-tight">DTSS</span>
          <span className="text-xs text-muted">Distributed task scheduling</span>
        </div>
        {children}
      </div>
    </main>
  );
}
