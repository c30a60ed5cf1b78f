import { NotFoundMessage } from '@/components/ui/fallbacks';

/** A missing object of the team's pages: the 404 inside the shell, so navigation stays. */
export default function TeamNotFound() {
  return <NotFoundMessage />;
}
