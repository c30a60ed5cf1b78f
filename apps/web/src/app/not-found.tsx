import { NotFoundMessage } from '@/components/ui/fallbacks';

export default function NotFound() {
  return <NotFoundMessage />;
}
