import { Lock } from 'lucide-react';
import type { ReactNode } from 'react';

/** What a role too weak sees instead of controls: what it takes, and who has it. */
export function NeedsAdmin({ role, children }: { role: string; children: ReactNode }) {
  return (
    <div className="flex items-start gap-2 text-sm text-muted" data-testid="needs-admin">
      <Lock aria-hidden size={16} className="mt-0.5 shrink-0" />
      <p>
        {children} needs the admin role (you are {role}). Ask an admin or owner of the team (see
        Members).
      </p>
    </div>
  );
}
