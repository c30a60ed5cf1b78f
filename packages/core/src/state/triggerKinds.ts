// How a run was started (the database enum TriggerKind uses exactly these names). Not to be
// confused with a definition's `triggers:` (what a Trigger listens to): `workflow` is a run started
// by another workflow's run ending, `rerun` one copied from an earlier run.
export const TRIGGER_KINDS = [
  'manual',
  'schedule',
  'event',
  'webhook',
  'workflow',
  'backfill',
  'rerun',
  'api',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
