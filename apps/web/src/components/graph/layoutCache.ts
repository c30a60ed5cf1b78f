// Layouts by graph structure: in memory for the tab, and in localStorage across visits (the last
// few graphs), so reopening a large workflow never lays it out again. A stored entry is used only
// when it places exactly the graph's tasks, so a hash collision or an old entry cannot misplace one.
type Pos = { x: number; y: number };

const PREFIX = 'dtss-layout:';
const INDEX = 'dtss-layout-index';
const KEEP = 20;
const memory = new Map<string, Record<string, Pos>>();

export function cachedLayout(key: string, ids: readonly string[]): Record<string, Pos> | null {
  const hit = memory.get(key) ?? fromStorage(key);
  if (!hit || !ids.every((id) => hit[id])) return null;
  memory.set(key, hit);
  return hit;
}

export function rememberLayout(key: string, positions: Record<string, Pos>): void {
  memory.set(key, positions);
  try {
    const index = readIndex().filter((k) => k !== key);
    index.unshift(key);
    for (const old of index.splice(KEEP)) localStorage.removeItem(PREFIX + old);
    localStorage.setItem(PREFIX + key, JSON.stringify(positions));
    localStorage.setItem(INDEX, JSON.stringify(index));
  } catch {
    // storage full or disabled: the in-memory cache still serves this tab
  }
}

function fromStorage(key: string): Record<string, Pos> | null {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text ? (JSON.parse(text) as Record<string, Pos>) : null;
  } catch {
    return null;
  }
}

function readIndex(): string[] {
  const parsed: unknown = JSON.parse(localStorage.getItem(INDEX) ?? '[]');
  return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
}
