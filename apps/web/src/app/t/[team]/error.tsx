'use client';
import { RenderErrorMessage } from '@/components/ui/fallbacks';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <RenderErrorMessage digest={error.digest} reset={reset} />;
}
