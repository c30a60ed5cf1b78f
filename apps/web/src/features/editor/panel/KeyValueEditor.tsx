'use client';
import { Plus, X } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldErrors, Input, Select } from '@/components/ui/input';

/**
 * A map edited as rows (env, headers, query, secrets). A row being typed keeps its place even while
 * its key is empty or duplicated; the map written back drops empty keys.
 */
export function KeyValueEditor({
  label,
  value,
  onChange,
  readOnly,
  keyPlaceholder = 'NAME',
  valuePlaceholder = 'value',
  valueOptions,
  errors,
}: {
  label: string;
  value: Record<string, unknown> | undefined;
  onChange: (next: Record<string, string> | undefined) => void;
  readOnly?: boolean;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  /** When set, values are picked from these (secret names). */
  valueOptions?: readonly string[];
  errors?: ReadonlyMap<string, readonly string[]>;
}) {
  const fromValue = () =>
    Object.entries(value ?? {}).map(
      ([k, v]) => [k, v == null ? '' : String(v)] as [string, string],
    );
  const [rows, setRows] = useState<[string, string][]>(fromValue);
  const emit = (next: [string, string][]) => {
    setRows(next);
    const out: Record<string, string> = {};
    for (const [k, v] of next) if (k.trim()) out[k.trim()] = v;
    onChange(Object.keys(out).length ? out : undefined);
  };
  return (
    <fieldset className="flex flex-col gap-1.5" aria-label={label}>
      <legend className="mb-1 text-xs font-medium text-muted">{label}</legend>
      {rows.map(([k, v], i) => {
        const rowErrors = errors?.get(k.trim()) ?? [];
        return (
          <div key={i} className="flex flex-col gap-0.5">
            <div className="flex gap-1.5">
              <Input
                aria-label={`${label} name ${i + 1}`}
                placeholder={keyPlaceholder}
                value={k}
                disabled={readOnly}
                className="w-2/5 font-mono text-xs"
                aria-invalid={rowErrors.length > 0}
                onChange={(e) => emit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
              />
              {valueOptions ? (
                <Select
                  aria-label={`${label} value ${i + 1}`}
                  value={v}
                  disabled={readOnly}
                  className="flex-1 text-xs"
                  onChange={(e) => emit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
                >
                  <option value="">choose a secret…</option>
                  {[...new Set([...valueOptions, ...(v ? [v] : [])])].map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  aria-label={`${label} value ${i + 1}`}
                  placeholder={valuePlaceholder}
                  value={v}
                  disabled={readOnly}
                  className="flex-1 font-mono text-xs"
                  onChange={(e) => emit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
                />
              )}
              {!readOnly ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove ${label} row ${i + 1}`}
                  onClick={() => emit(rows.filter((_, j) => j !== i))}
                >
                  <X aria-hidden size={14} />
                </Button>
              ) : null}
            </div>
            <FieldErrors errors={rowErrors} />
          </div>
        );
      })}
      {!readOnly ? (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => setRows([...rows, ['', '']])}
        >
          <Plus aria-hidden size={14} /> Add
        </Button>
      ) : null}
    </fieldset>
  );
}
