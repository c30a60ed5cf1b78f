'use client';
import { TASK_KIND_NAMES } from '@dtss/core';
import { Braces, Circle, FileCode2, Globe, TerminalSquare } from 'lucide-react';

const KINDS: Record<string, { label: string; hint: string; icon: typeof Circle }> = {
  shell: { label: 'Shell', hint: 'a command in sh', icon: TerminalSquare },
  node: { label: 'Node.js', hint: 'an inline ES module', icon: Braces },
  python: { label: 'Python', hint: 'an inline script', icon: FileCode2 },
  http: { label: 'HTTP', hint: 'one request', icon: Globe },
  noop: { label: 'No-op', hint: 'a join or a constant', icon: Circle },
};

/** Task kinds to drag onto the canvas, or to add with Enter (placed right of the graph). */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  return (
    <aside
      aria-label="Task kinds"
      className="flex w-40 shrink-0 flex-col gap-1.5 border-r border-border bg-panel p-2"
    >
      <div className="px-1 text-xs font-medium text-muted">Drag a task onto the canvas</div>
      {TASK_KIND_NAMES.map((kind) => {
        const k = KINDS[kind] ?? { label: kind, hint: '', icon: Circle };
        const Icon = k.icon;
        return (
          <button
            key={kind}
            type="button"
            draggable
            data-testid={`palette-${kind}`}
            aria-label={`Add a ${k.label} task`}
            onDragStart={(e) => {
              e.dataTransfer.setData('application/dtss-kind', kind);
              e.dataTransfer.effectAllowed = 'copy';
            }}
            onClick={() => onAdd(kind)}
            className="flex cursor-grab items-center gap-2 rounded-md border border-border bg-bg px-2 py-1.5 text-left text-sm hover:border-accent"
          >
            <Icon aria-hidden size={15} className="text-muted" />
            <span>
              <span className="block font-medium">{k.label}</span>
              <span className="block text-[11px] text-muted">{k.hint}</span>
            </span>
          </button>
        );
      })}
    </aside>
  );
}
