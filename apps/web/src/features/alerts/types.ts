import type { AppRouter } from '@dtss/api';
import type { inferRouterOutputs } from '@trpc/server';

type Out = inferRouterOutputs<AppRouter>['alerts'];
export type Incident = Out['incidents']['list']['items'][number];
export type Delivery = Incident['deliveries'][number];
export type Channel = Out['channels']['list'][number];
export type Rule = Out['rules']['list'][number];

export const KIND_LABEL: Record<string, string> = {
  run_failed: 'run failed',
  run_recovered: 'run recovered',
  task_retries: 'task retried',
  deadline: 'deadline',
  worker_lost: 'worker lost',
  pool_starved: 'pool without workers',
};
