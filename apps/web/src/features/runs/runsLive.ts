// The runs list's rows kept current by the multi-run stream (/api/stream/runs?ids=…; events in
// src/server/live/runsStream.ts). Pure: which runs to follow, and each event as row patches.
import { RUN_STATUSES, type RunStatus } from '@dtss/core';

/** Runs one stream follows at most (the server's cap). */
export const MAX_FOLLOWED = 200;

export interface LiveRow {
  id: string;
  status: RunStatus;
  tasksTotal: number;
  tasksDone: number;
  tasksFailed: number;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface RowPatch {
  runId: string;
  status?: RunStatus;
  tasksTotal?: number;
  tasksDone?: number;
  tasksFailed?: number;
  startedAt?: Date | null;
  finishedAt?: Date | null;
}

export interface StreamEffect {
  /** Changes to make to the rows at once. */
  patches: RowPatch[];
  /** The event says something the rows cannot show by themselves (counts): read them again. */
  refetch: boolean;
  /** The stream is over (every run ended): do not reconnect. */
  end: boolean;
}

function isRunStatus(s: unknown): s is RunStatus {
  return typeof s === 'string' && (RUN_STATUSES as readonly string[]).includes(s);
}

const NOTHING: StreamEffect = { patches: [], refetch: false, end: false };

function dateOrNull(v: unknown): Date | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'string') return undefined;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function summaryPatch(raw: unknown): RowPatch | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.runId !== 'string' || !isRunStatus(r.status)) return null;
  const patch: RowPatch = { runId: r.runId, status: r.status };
  for (const key of ['tasksTotal', 'tasksDone', 'tasksFailed'] as const) {
    const n = count(r[key]);
    if (n !== undefined) patch[key] = n;
  }
  for (const key of ['startedAt', 'finishedAt'] as const) {
    const at = dateOrNull(r[key]);
    if (at !== undefined) patch[key] = at;
  }
  return patch;
}

/** What one stream event (its name and JSON data) does to the rows. Malformed data: nothing. */
export function streamEffect(event: string, json: unknown): StreamEffect {
  const d = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  switch (event) {
    case 'run':
      if (typeof d.runId !== 'string' || !isRunStatus(d.status)) return NOTHING;
      return { patches: [{ runId: d.runId, status: d.status }], refetch: true, end: false };
    case 'task':
      return typeof d.runId === 'string' ? { patches: [], refetch: true, end: false } : NOTHING;
    case 'snapshot':
    case 'summary': {
      const runs = Array.isArray(d.runs) ? d.runs : [];
      const patches = runs.map(summaryPatch).filter((p): p is RowPatch => p !== null);
      return { patches, refetch: false, end: false };
    }
    case 'end':
      return { patches: [], refetch: false, end: true };
    default:
      return NOTHING;
  }
}

/** The row with the patch applied (the same object when nothing changes). */
export function patchRow<T extends LiveRow>(row: T, patch: RowPatch): T {
  let changed = false;
  const next = { ...row };
  for (const [key, value] of Object.entries(patch) as [keyof RowPatch, unknown][]) {
    if (key === 'runId' || value === undefined) continue;
    const before = row[key];
    const same =
      before instanceof Date && value instanceof Date
        ? before.getTime() === value.getTime()
        : before === value;
    if (!same) {
      (next as Record<string, unknown>)[key] = value;
      changed = true;
    }
  }
  return changed ? next : row;
}

/** Pages of rows with the patches applied; unchanged pages (and data) keep their identity. */
export function patchPages<T extends LiveRow, P extends { items: T[] }>(
  pages: P[],
  patches: readonly RowPatch[],
): P[] {
  if (patches.length === 0) return pages;
  const byId = new Map<string, RowPatch>();
  for (const p of patches) byId.set(p.runId, { ...byId.get(p.runId), ...p });
  let changed = false;
  const next = pages.map((page) => {
    let pageChanged = false;
    const items = page.items.map((row) => {
      const patch = byId.get(row.id);
      const patched = patch ? patchRow(row, patch) : row;
      if (patched !== row) pageChanged = true;
      return patched;
    });
    if (!pageChanged) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? next : pages;
}

/** The runs to follow: the shown runs that can still change, newest first, MAX_FOLLOWED at most. */
export function runsToFollow(rows: readonly Pick<LiveRow, 'id' | 'status'>[]): string[] {
  return rows
    .filter((r) => r.status === 'queued' || r.status === 'running')
    .slice(0, MAX_FOLLOWED)
    .map((r) => r.id);
}

/**
 * Whether a stream following `open` must be replaced to follow `wanted`: only when a wanted run is
 * not followed yet. Runs that ended drop out of `wanted`, but the stream already stopped following
 * them itself, so that alone is no reason to reconnect.
 */
export function needsNewStream(open: readonly string[] | null, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return false;
  if (!open) return true;
  const followed = new Set(open);
  return wanted.some((id) => !followed.has(id));
}
