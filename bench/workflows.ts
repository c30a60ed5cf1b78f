/**
 * The benchmark's workflows, written as YAML the way users write them, parsed by @dtss/core and
 * saved as versions. Only `noop` (engine cost alone) and `shell: true` (plus a process) tasks.
 */
import { parseWorkflowText } from '@dtss/core';
import { saveWorkflowVersion, type PrismaClient } from '@dtss/db';

const pad = (i: number, width: number) => String(i).padStart(width, '0');

function task(key: string, kind: 'noop' | 'shell', needs: string[] = []): string {
  const lines = [`  ${key}:`, `    kind: ${kind}`];
  if (kind === 'shell') lines.push(`    command: "true"`);
  if (needs.length) lines.push(`    needs: [${needs.join(', ')}]`);
  return lines.join('\n');
}

function workflow(name: string, tasks: string[]): string {
  return [`name: ${name}`, 'description: DTSS benchmark workflow', 'tasks:', ...tasks, ''].join(
    '\n',
  );
}

export function chainYaml(name: string, steps: number, kind: 'noop' | 'shell'): string {
  const keys = Array.from({ length: steps }, (_, i) => `s${pad(i + 1, 3)}`);
  return workflow(
    name,
    keys.map((k, i) => task(k, kind, i > 0 ? [keys[i - 1]!] : [])),
  );
}

export function independentYaml(name: string, n: number): string {
  return workflow(
    name,
    Array.from({ length: n }, (_, i) => task(`t${pad(i + 1, 5)}`, 'noop')),
  );
}

export function fanoutYaml(name: string, width: number): string {
  const middle = Array.from({ length: width }, (_, i) => `f${pad(i + 1, 5)}`);
  return workflow(name, [
    task('root', 'noop'),
    ...middle.map((k) => task(k, 'noop', ['root'])),
    task('sink', 'noop', middle),
  ]);
}

export async function saveWorkflow(
  prisma: PrismaClient,
  teamId: string,
  yaml: string,
): Promise<void> {
  const parsed = parseWorkflowText(yaml, { format: 'yaml' });
  if (!parsed.ok) {
    const errors = parsed.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`);
    throw new Error(`benchmark workflow does not validate:\n  ${errors.join('\n  ')}`);
  }
  await saveWorkflowVersion(prisma, { teamId, definition: parsed.workflow });
}
