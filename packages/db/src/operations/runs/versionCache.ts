/**
 * Workflow versions are immutable, so each process keeps the parsed definitions it has used and
 * never reloads them: a run's hot path (create, claim) does not re-read a 1,000-task definition.
 */
import type { NormalizedWorkflow } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';

export interface CachedVersion {
  id: string;
  workflowId: string;
  workflowName: string;
  version: number;
  definition: NormalizedWorkflow;
  /** Every secret name any task references. */
  secretNames: string[];
}

const MAX_ENTRIES = 200;
// Promises, not values: concurrent first uses of a version share one load.
const cache = new Map<string, Promise<CachedVersion>>();

export function loadVersion(db: Pool | PoolClient, versionId: string): Promise<CachedVersion> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const loading = readVersion(db, versionId);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(versionId, loading);
  loading.catch(() => cache.delete(versionId));
  return loading;
}

async function readVersion(db: Pool | PoolClient, versionId: string): Promise<CachedVersion> {
  const { rows } = await db.query<{
    workflow_id: string;
    name: string;
    version: number;
    definition: NormalizedWorkflow;
  }>(
    `SELECT v.workflow_id, w.name, v.version, v.definition
       FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = $1`,
    [versionId],
  );
  const row = rows[0];
  if (!row) throw new Error(`workflow version ${versionId} not found`);
  const secretNames = new Set<string>();
  for (const task of Object.values(row.definition.tasks)) {
    for (const name of Object.values(task.secrets)) secretNames.add(name);
  }
  const entry: CachedVersion = {
    id: versionId,
    workflowId: row.workflow_id,
    workflowName: row.name,
    version: row.version,
    definition: row.definition,
    secretNames: [...secretNames],
  };
  return entry;
}
