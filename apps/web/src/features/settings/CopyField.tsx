'use client';
import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/input';

/**
 * A value to copy (an invitation link, a token): a read-only field and a Copy button. Where the
 * browser refuses the clipboard (no HTTPS, no permission) the field's text is selected instead, so
 * Ctrl+C copies it, and the field says so.
 */
export function CopyField({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const t = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(t);
  }, [state]);

  function selectText() {
    input.current?.focus();
    input.current?.select();
  }

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-start gap-2">
        <Field label={label} hint={hint} className="min-w-0 flex-1">
          {(a) => (
            <Input
              {...a}
              ref={input}
              readOnly
              value={value}
              className="font-mono text-xs"
              spellCheck={false}
              onFocus={(e) => e.currentTarget.select()}
              data-testid={testId}
            />
          )}
        </Field>
        <Button
          aria-label={`Copy ${label.toLowerCase()}`}
          data-testid={`copy-${testId}`}
          className="mt-5"
          onClick={() => {
            if (!navigator.clipboard) {
              selectText();
              return setState('failed');
            }
            navigator.clipboard.writeText(value).then(
              () => setState('copied'),
              () => {
                selectText();
                setState('failed');
              },
            );
          }}
        >
          {state === 'copied' ? <Check aria-hidden size={14} /> : <Copy aria-hidden size={14} />}
          {state === 'copied' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <span role="status" className="text-xs text-muted">
        {state === 'failed'
          ? 'Could not reach the clipboard: the text is selected, press Ctrl+C (⌘C).'
          : ''}
      </span>
    </div>
  );
}
