// The whole API: one router per area, each thin (see router/). Add a router here and a line per
// procedure in test/authz-matrix.test.ts, which fails until every procedure has one.
import { accountRouter } from './router/account';
import { alertsRouter } from './router/alerts';
import { auditRouter } from './router/audit';
import { authRouter } from './router/auth';
import { eventsRouter } from './router/events';
import { logsRouter } from './router/logs';
import { membersRouter } from './router/members';
import { metricsRouter } from './router/metrics';
import { runsRouter } from './router/runs';
import { schedulesRouter } from './router/schedules';
import { secretsRouter } from './router/secrets';
import { teamsRouter } from './router/teams';
import { tokensRouter } from './router/tokens';
import { triggersRouter } from './router/triggers';
import { versionsRouter } from './router/versions';
import { workersRouter } from './router/workers';
import { workflowsRouter } from './router/workflows';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  account: accountRouter,
  workflows: workflowsRouter,
  versions: versionsRouter,
  runs: runsRouter,
  logs: logsRouter,
  schedules: schedulesRouter,
  triggers: triggersRouter,
  events: eventsRouter,
  workers: workersRouter,
  metrics: metricsRouter,
  secrets: secretsRouter,
  tokens: tokensRouter,
  teams: teamsRouter,
  members: membersRouter,
  audit: auditRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
