import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';

export type BackfillRow = inferRouterOutputs<AppRouter>['schedules']['backfills']['list'][number];
