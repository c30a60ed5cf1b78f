// Graph checks over `needs`: unknown and duplicate dependencies, self-dependencies, cycles,
// and trigger rules that cannot fire on a task without upstream.
import { Dag } from '../../dag/buildDag';
import { findCycles } from '../../dag/findCycles';
import { RULES_NEEDING_UPSTREAM, type TriggerRule } from '../../state/triggerRules';
import { didYouMean } from '../../util/suggest';
import type { Issue } from '../issue';

export interface DagCheckInput {
  /** Task id → its `needs` as written (null for entries that are not strings), in definition order. */
  needs: ReadonlyMap<string, ReadonlyArray<string | null>>;
  /** Task id → trigger rule, for tasks whose rule is known. */
  triggers: ReadonlyMap<string, TriggerRule>;
}

const LIST_KNOWN_TASKS_UP_TO = 12;

export function checkDag(input: DagCheckInput): { issues: Issue[]; dag: Dag } {
  const issues: Issue[] = [];
  const ids = [...input.needs.keys()];
  const known = new Set(ids);

  for (const [id, needs] of input.needs) {
    const firstIndex = new Map<string, number>();
    needs.forEach((need, i) => {
      if (need === null) return;
      const path = ['tasks', id, 'needs', i];
      if (need === id) {
        issues.push({ path, message: `task "${id}" cannot need itself` });
      } else if (!known.has(need)) {
        const others = ids.filter((other) => other !== id);
        const hint =
          didYouMean(need, others) ||
          (others.length === 0
            ? ' (the workflow has no other task)'
            : others.length <= LIST_KNOWN_TASKS_UP_TO
              ? ` (tasks: ${others.join(', ')})`
              : '');
        issues.push({ path, message: `unknown task "${need}"${hint}` });
      } else if (firstIndex.has(need)) {
        issues.push({
          path,
          message: `"${need}" is listed twice (also at needs[${firstIndex.get(need)}])`,
        });
      }
      if (!firstIndex.has(need)) firstIndex.set(need, i);
    });
  }

  const dag = new Dag({
    tasks: Object.fromEntries(
      [...input.needs].map(([id, needs]) => [
        id,
        { needs: needs.filter((n): n is string => n !== null) },
      ]),
    ),
  });
  for (const cycle of findCycles(dag)) {
    issues.push({
      path: ['tasks', cycle[0]!, 'needs'],
      message: `dependency cycle ${cycle.join(' → ')} (each task needs the one before it)`,
    });
  }

  for (const [id, rule] of input.triggers) {
    const hasUpstream = dag.upstream[dag.require(id)]!.length > 0;
    if (!hasUpstream && RULES_NEEDING_UPSTREAM.has(rule)) {
      issues.push({
        path: ['tasks', id, 'trigger'],
        message: `trigger "${rule}" waits for upstream tasks, but "${id}" has no needs, so it could never run`,
      });
    }
  }
  return { issues, dag };
}
