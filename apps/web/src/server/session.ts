import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { sessionActor } from './auth/actor';

/**
 * The signed-in user of this request, or a redirect to sign-in that comes back here after (also
 * for a session that has ended: signed out everywhere, password changed, removed from a team).
 */
export async function requireUser(): Promise<{ id: string; email: string }> {
  const actor = await sessionActor();
  if (!actor) {
    const back = (await headers()).get('x-dtss-path') ?? '/';
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
  }
  return { id: actor.userId, email: actor.email };
}
