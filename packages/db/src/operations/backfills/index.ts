export * from './types';
export { createBackfill } from './createBackfill';
export { cancelBackfill, type CancelBackfillResult } from './cancelBackfill';
export { getBackfill, listBackfills } from './readBackfills';
export { advanceBackfills, backfillRunKey, type BackfillProgress } from './advanceBackfills';
