import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';

export type TriggerRow = inferRouterOutputs<AppRouter>['triggers']['list'][number];
