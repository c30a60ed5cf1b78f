export * from './types';
export { publishEvent } from './publishEvent';
export { fanOutEvent } from './fanOutEvent';
export { listEvents } from './listEvents';
export { retryUnprocessedEvents } from './retryUnprocessedEvents';
