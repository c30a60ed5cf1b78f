// The task graph as integer adjacency lists: built once, then every DAG algorithm runs on indexes.

/** Anything with tasks that name their upstream in `needs`: a normalized workflow or a test fixture. */
export interface DagInput {
  tasks: Readonly<Record<string, { needs?: readonly string[] }>>;
}

export class Dag {
  /** Task ids in definition order; a task's index is its position here. */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** upstream[i]: indexes of the tasks task i needs (unknown ids and duplicates dropped). */
  readonly upstream: readonly (readonly number[])[];
  /** downstream[i]: indexes of the tasks that need task i, ascending. */
  readonly downstream: readonly (readonly number[])[];

  constructor(input: DagInput) {
    const ids = Object.keys(input.tasks);
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const upstream: number[][] = ids.map(() => []);
    const downstream: number[][] = ids.map(() => []);
    ids.forEach((id, i) => {
      const seen = new Set<number>();
      for (const need of input.tasks[id]!.needs ?? []) {
        const j = indexOf.get(need);
        if (j === undefined || seen.has(j)) continue;
        seen.add(j);
        upstream[i]!.push(j);
        downstream[j]!.push(i);
      }
    });
    this.ids = ids;
    this.indexOf = indexOf;
    this.upstream = upstream;
    this.downstream = downstream;
  }

  /** Index of a task id; throws for ids that are not in the graph (a caller bug, not bad input). */
  require(id: string): number {
    const index = this.indexOf.get(id);
    if (index === undefined) throw new Error(`unknown task "${id}"`);
    return index;
  }
}

export type DagSource = Dag | DagInput;

export function buildDag(input: DagInput): Dag {
  return new Dag(input);
}

/** Reuses a Dag when given one; builds it from a workflow otherwise. */
export function asDag(source: DagSource): Dag {
  return source instanceof Dag ? source : new Dag(source);
}
