/** Generated workflows of the UI benchmark: layered DAGs of noop tasks, as YAML. */
export function layeredWorkflowYaml(
  name: string,
  tasks: number,
  layers: number,
  edgesPerTask = 2,
): string {
  const perLayer = Math.ceil(tasks / layers);
  const ids = Array.from({ length: tasks }, (_, i) => `t${String(i).padStart(4, '0')}`);
  const lines = [`name: ${name}`, 'tasks:'];
  ids.forEach((id, i) => {
    const layer = Math.floor(i / perLayer);
    lines.push(`  ${id}:`, '    kind: noop');
    if (layer === 0) return;
    // Deterministic upstream picks in the previous layer (about `edgesPerTask` each).
    const prevStart = (layer - 1) * perLayer;
    const needs = new Set<string>();
    for (let k = 0; k < edgesPerTask; k++)
      needs.add(ids[prevStart + ((i * 7 + k * 13) % perLayer)]!);
    lines.push(`    needs: [${[...needs].join(', ')}]`);
  });
  return `${lines.join('\n')}\n`;
}
