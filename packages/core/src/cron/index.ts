// Cron: parse expressions, match local times, compute fire instants in a time zone.
export {
  CRON_MACROS,
  parseCron,
  type CronFieldName,
  type CronParseError,
  type CronParseResult,
  type CronSpec,
} from './parse';
export { cronFiresBetween, isFixedTimeCron, nextCronFires } from './fires';
export { matchesLocalTime } from './match';
