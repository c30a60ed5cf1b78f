import { MIN_PASSWORD_CHARS } from '@dtss/api';
import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '../AuthCard';
import { SignUpForm } from '../forms';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign up' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const invite = typeof params.invite === 'string' ? params.invite : '';
  return (
    <AuthCard
      title="Create an account"
      subtitle={`You get a team of your own${invite ? ' and join the team that invited you' : ''}.`}
      footer={
        <>
          Have an account?{' '}
          <Link
            href={
              invite
                ? `/sign-in?callbackUrl=${encodeURIComponent(`/invite?token=${encodeURIComponent(invite)}`)}`
                : '/sign-in'
            }
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm
        invite={invite}
        minPassword={MIN_PASSWORD_CHARS}
        initial={{
          error: typeof params.error === 'string' ? params.error : undefined,
          field: typeof params.field === 'string' ? params.field : undefined,
        }}
      />
    </AuthCard>
  );
}
