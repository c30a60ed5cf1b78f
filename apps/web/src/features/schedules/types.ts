// What the schedules page reads from the API, named once for its components.
import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';

export type ScheduleRow = inferRouterOutputs<AppRouter>['schedules']['list'][number];
