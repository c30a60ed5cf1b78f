/** Messages between the benchmark and its raw graphile-worker processes (IPC). */

export type ParentMessage =
  | { type: 'clock'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'resetStats'; id: number };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'clock'; id: number; t: number }
  | { type: 'stats'; id: number; count: number; firstStart: number; lastEnd: number }
  | { type: 'started'; seq: number; t: number }
  | { type: 'chainDone'; chain: number; t: number };
