import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { auth } from '@/auth';

/** The signed-in user of this request, or a redirect to sign-in that comes back here after. */
export async function requireUser(): Promise<{ id: string; email: string }> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) {
    const back = (await headers()).get('x-dtss-path') ?? '/';
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
  }
  return { id, email: session.user?.email ?? '' };
}
