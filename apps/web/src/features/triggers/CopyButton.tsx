'use client';
import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * Copies a text to the clipboard and says so. Where the browser refuses (no clipboard outside
 * HTTPS), it says to select the text by hand; the text is always shown next to the button.
 */
export function CopyButton({
  text,
  what,
  testId,
}: {
  text: string;
  /** What is copied, for the accessible name: "Copy the signing secret". */
  what: string;
  testId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        aria-label={`Copy ${what}`}
        data-testid={testId}
        onClick={() => {
          if (!navigator.clipboard) return setState('failed');
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        {state === 'copied' ? <Check aria-hidden size={12} /> : <Copy aria-hidden size={12} />}
        {state === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <span role="status" className="text-xs text-muted">
        {state === 'failed' ? 'Could not copy: select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
