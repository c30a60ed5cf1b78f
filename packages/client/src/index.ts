// @dtss/client: the typed API client and helpers for the live streams.
export {
  createDtssClient,
  type AppRouter,
  type DtssClient,
  type DtssClientOptions,
} from './client';
export { CLIENT_VERSION } from './version';
export { waitForRun, type WaitForRunOptions } from './waitForRun';
export { tailLogs, type TailLogsOptions } from './tailLogs';
export { DtssHttpError } from './errors';
// Errors of procedure calls: `error.data` holds { code, httpStatus, issues }.
export { TRPCClientError } from '@trpc/client';
export {
  openEventStream,
  followEventStream,
  type SseMessage,
  type OpenStreamOptions,
  type FollowStreamOptions,
} from './sse';
export {
  reviveRunView,
  type LogChunkEvent,
  type LogLineEvent,
  type RunChangeEvent,
  type RunStatus,
  type RunView,
  type RunViewJson,
  type StreamEnd,
  type TaskAttemptView,
  type TaskRunView,
  type TaskStatus,
} from './events';
