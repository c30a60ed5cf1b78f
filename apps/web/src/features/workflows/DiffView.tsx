'use client';
import { parsePatch } from 'diff';
import { useMemo, useState } from 'react';
import { cn } from '@/components/ui/cn';

type Row = {
  left?: { n: number; text: string; kind: ' ' | '-' };
  right?: { n: number; text: string; kind: ' ' | '+' };
  hunk?: string;
};

/** A unified diff shown as is or side by side; lines are text, never HTML. */
export function DiffView({ patch }: { patch: string }) {
  const [mode, setMode] = useState<'unified' | 'split'>('unified');
  const parsed = useMemo(() => parsePatch(patch)[0], [patch]);
  const split = useMemo(() => (parsed ? toSplit(parsed.hunks) : []), [parsed]);
  if (!parsed) return null;
  return (
    <div className="flex flex-col gap-2" data-testid="version-diff">
      <div className="flex gap-1 text-xs" role="group" aria-label="Diff layout">
        {(['unified', 'split'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
            className={cn(
              'rounded border px-2 py-0.5',
              mode === m ? 'border-accent text-fg' : 'border-border text-muted',
            )}
          >
            {m === 'unified' ? 'Unified' : 'Side by side'}
          </button>
        ))}
      </div>
      {/* Focusable, so the keyboard can scroll a long diff. */}
      <div
        tabIndex={0}
        role="region"
        aria-label="Changes between the versions"
        className="max-h-96 overflow-auto rounded-md border border-border font-mono text-[11px] leading-5"
      >
        {mode === 'unified' ? (
          parsed.hunks.map((h, i) => (
            <div key={i}>
              <div className="bg-panel-2 px-2 text-muted">
                @@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
              </div>
              {h.lines.map((l, j) => (
                <div
                  key={j}
                  data-diff={l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'ctx'}
                  className={cn(
                    'px-2 whitespace-pre',
                    l[0] === '+' && 'bg-ok/15',
                    l[0] === '-' && 'bg-bad/15',
                  )}
                >
                  {l}
                </div>
              ))}
            </div>
          ))
        ) : (
          <table className="w-full table-fixed border-collapse">
            <tbody>
              {split.map((r, i) =>
                r.hunk ? (
                  <tr key={i}>
                    <td colSpan={2} className="bg-panel-2 px-2 text-muted">
                      {r.hunk}
                    </td>
                  </tr>
                ) : (
                  <tr key={i}>
                    <td
                      className={cn(
                        'overflow-hidden px-2 align-top whitespace-pre',
                        r.left?.kind === '-' && 'bg-bad/15',
                      )}
                    >
                      {r.left ? r.left.text : ''}
                    </td>
                    <td
                      className={cn(
                        'overflow-hidden border-l border-border px-2 align-top whitespace-pre',
                        r.right?.kind === '+' && 'bg-ok/15',
                      )}
                    >
                      {r.right ? r.right.text : ''}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

/** Pairs removed and added lines of each change block side by side. */
function toSplit(
  hunks: {
    oldStart: number;
    newStart: number;
    oldLines: number;
    newLines: number;
    lines: string[];
  }[],
): Row[] {
  const rows: Row[] = [];
  for (const h of hunks) {
    rows.push({ hunk: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
    let o = h.oldStart;
    let n = h.newStart;
    let dels: Row['left'][] = [];
    let adds: Row['right'][] = [];
    const flush = () => {
      for (let i = 0; i < Math.max(dels.length, adds.length); i++)
        rows.push({ left: dels[i], right: adds[i] });
      dels = [];
      adds = [];
    };
    for (const l of h.lines) {
      const text = l.slice(1);
      if (l[0] === '-') dels.push({ n: o++, text, kind: '-' });
      else if (l[0] === '+') adds.push({ n: n++, text, kind: '+' });
      else if (l[0] === ' ') {
        flush();
        rows.push({ left: { n: o++, text, kind: ' ' }, right: { n: n++, text, kind: ' ' } });
      }
    }
    flush();
  }
  return rows;
}
