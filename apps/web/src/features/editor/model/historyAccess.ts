// Kept for callers importing './model/historyAccess'; the accessor lives in history.ts (and index.ts).
export { currentOf } from './history';
