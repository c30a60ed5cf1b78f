import { NotFoundCard } from '@/components/ui/fallbacks';
import { AuthShell } from './(auth)/AuthCard';

/** An unknown address, or a team the user is not in: outside the shell, in the auth pages' frame. */
export default function NotFound() {
  return (
    <AuthShell>
      <NotFoundCard />
    </AuthShell>
  );
}
