// @dtss/core: the rules of DTSS without I/O. Definition format and validation, the task graph,
// templates, cron parsing, retry policy, state machines and trigger rules.

// Definition: parse, validate, normalize.
export {
  parseWorkflowText,
  type ParseWorkflowTextOptions,
  type WorkflowFormat,
} from './definition/parseWorkflowText';
export { validateWorkflow, type WorkflowValidationResult } from './definition/validateWorkflow';
export { workflowToYaml } from './definition/workflowToYaml';
export { findDeepNesting } from './definition/textNesting';
export { compactWorkflow } from './definition/compactWorkflow';
export { workflowDefinitionSchema } from './definition/workflowDefinitionSchema';
export {
  formatPath,
  formatValidationError,
  type Path,
  type PathSegment,
  type ValidationError,
} from './definition/issue';
export { formatSummary, summarize } from './definition/summary';
export {
  SCHEMA_VERSION,
  type NormalizedTask,
  type NormalizedWorkflow,
  type TaskOfKind,
  type WorkflowSummary,
} from './definition/types';
export type { TaskInput, WorkflowInput } from './definition/workflowSchema';
export type { OutputSpec, TaskCommon, TaskDefaults } from './definition/taskSchema';
export { SYSTEM_TASK_DEFAULTS } from './definition/taskSchema';
export type { CatchupMode, OverlapMode, Schedule } from './definition/scheduleSchema';
export type { FilterCondition, Trigger } from './definition/triggerSchema';
export { LIMITS } from './definition/limits';
export {
  ENV_NAME_PATTERN,
  SECRET_NAME_PATTERN,
  PARAM_NAME_PATTERN,
  RESERVED_ENV_PREFIX,
  TASK_ID_PATTERN,
  WORKFLOW_NAME_PATTERN,
  type JsonValue,
} from './definition/fields';
export { getTaskKind, TASK_KIND_NAMES, TASK_KINDS, type TaskKindName } from './definition/kinds';
export { defineKind, type TaskKind } from './definition/kinds/types';
export { DEFAULT_RETRY_POLICY, type RetryOn, type RetryPolicy } from './definition/retryPolicy';

// Params: the JSON Schema subset for run params and task outputs.
export {
  validateParams,
  type ParamsResult,
  type ValidateParamsOptions,
} from './definition/params/validateParams';
export type {
  ParamsSpec,
  ValueSchema,
  ValueSchemaInput,
  ValueType,
} from './definition/params/valueSchema';

// Durations.
export {
  formatDuration,
  MAX_DURATION_MS,
  parseDuration,
  type DurationResult,
} from './duration/parseDuration';

// The task graph.
export { buildDag, Dag, type DagInput, type DagSource } from './dag/buildDag';
export { topologicalLayers } from './dag/topologicalLayers';
export {
  ancestorsOf,
  descendantsOf,
  downstreamOf,
  leaves,
  roots,
  upstreamOf,
} from './dag/traverse';
export { findCycles } from './dag/findCycles';

// Templates.
export {
  parseTemplate,
  TemplateError,
  type ParsedTemplate,
  type TemplateParseResult,
  type TemplatePart,
} from './template/parseTemplate';
export { collectTemplateRefs, type TemplateRef } from './template/collectTemplateRefs';
export {
  renderTemplate,
  renderTemplateValue,
  type TemplateContext,
} from './template/renderTemplate';
export { TEMPLATE_ROOTS } from './template/templateRoots';

// Cron and time zones.
export {
  CRON_MACROS,
  parseCron,
  type CronFieldName,
  type CronParseResult,
  type CronSpec,
} from './cron/parse';
export { cronFiresBetween, isFixedTimeCron, nextCronFires } from './cron/fires';
export { matchesLocalTime } from './cron/match';
export {
  isValidTimeZone,
  normalizeTimeZone,
  type TimeZoneResult,
} from './timezone/normalizeTimeZone';

// Retries.
export { retryDelayMs } from './retry/retryDelay';
export { shouldRetry, type AttemptFailure } from './retry/shouldRetry';
export { matchesStatus, type StatusPattern } from './retry/statusPattern';

// State machines and trigger rules.
export {
  allowedEvents,
  assertTransition,
  IllegalTransitionError,
  isTerminal,
  transition,
  type Guard,
  type StateMachine,
  type Transition,
  type TransitionFacts,
  type TransitionResult,
} from './state/machine';
export {
  RUN_EVENTS,
  RUN_STATUSES,
  runMachine,
  type RunEvent,
  type RunStatus,
} from './state/runMachine';
export {
  TASK_RUN_EVENTS,
  TASK_RUN_STATUSES,
  taskRunMachine,
  type TaskRunEvent,
  type TaskRunStatus,
} from './state/taskRunMachine';
export {
  ATTEMPT_EVENTS,
  ATTEMPT_STATUSES,
  attemptMachine,
  type AttemptEvent,
  type AttemptStatus,
} from './state/attemptMachine';
export { TRIGGER_KINDS, type TriggerKind } from './state/triggerKinds';
export {
  evaluateTriggerRule,
  TRIGGER_RULES,
  type TriggerDecision,
  type TriggerRule,
  type UpstreamCounts,
} from './state/triggerRules';

// Utilities other packages need.
export { canonicalJson } from './util/canonicalJson';
export { closestMatch, editDistance } from './util/suggest';
export { findUnstorable, textProblem, type StorableProblem } from './util/storable';
export { EARLIEST_STORABLE_DATE, storableDate } from './util/storableDate';
export { renderTask } from './template/renderTask';
export { triggerRuleSql, type TriggerRuleSqlInputs } from './state/triggerRuleSql';

// Schedules, events, webhooks: what the scheduler decides, without I/O.
export { nextFireAfter, type ScheduleBounds } from './schedules/nextFire';
export {
  DEFAULT_CATCHUP_WINDOW_MS,
  MAX_FIRES_PER_PASS,
  ON_TIME_MS,
  planCatchup,
  type CatchupPlan,
  type DueInput,
} from './schedules/planCatchup';
export { jitterDelayMs } from './schedules/jitter';
export { matchFilter } from './events/matchFilter';
export { renderTriggerParams } from './events/renderTriggerParams';
export {
  UPSTREAM_RUN_FIELDS,
  upstreamRunContext,
  type UpstreamRunFacts,
} from './events/upstreamRunContext';
export { EVENT_NAME_PATTERN } from './definition/fields';
export {
  UPSTREAM_RUN_STATUSES,
  type AfterRun,
  type Scalar,
  type UpstreamRunStatus,
} from './definition/triggerSchema';
export {
  signWebhook,
  verifyWebhookSignature,
  webhookHeaders,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_TOLERANCE_MS,
  type VerifyWebhookInput,
  type WebhookBody,
  type WebhookVerifyResult,
} from './webhooks/signature';

// Alerts: the `alerts:` section and team rules, SLA deadlines, incident keys, message text.
export {
  ALERT_CHANNEL_NAME_PATTERN,
  ALERT_FAILED_STATUSES,
  ALERT_RULE_KINDS,
  alertRuleSchema,
  DEADLINE_BASES,
  DEFAULT_POOL_WAIT_MS,
  MAX_ALERT_RULES,
  normalizeAlertRule,
  type AlertFailedStatus,
  type AlertRuleInput,
  type AlertRuleKind,
  type AlertRuleSpec,
  type DeadlineBasis,
  type DeadlineSpec,
} from './alerts/ruleSchema';
export {
  averageDuration,
  computeDeadline,
  missedDeadline,
  type DeadlineRunTimes,
} from './alerts/deadline';
export {
  incidentKeys,
  RUN_SCOPED_KINDS,
  type IncidentKeys,
  type IncidentSubject,
} from './alerts/incidentKey';
export {
  renderAlertMessage,
  slackText,
  type AlertEvent,
  type AlertMessage,
  type AlertMessageInput,
} from './alerts/message';

// Runs as people watch them: timeline segments, forecast and critical path.
export {
  attemptSegments,
  segmentTotals,
  type Segment,
  type SegmentAttempt,
  type SegmentTask,
} from './runs/attemptSegments';
export {
  forecastRun,
  type ForecastTask,
  type ProjectedTask,
  type RunForecast,
  type TaskHistory,
} from './runs/forecastRun';
export { DATABASE_UNAVAILABLE_DIGEST } from './util/serviceErrors';
