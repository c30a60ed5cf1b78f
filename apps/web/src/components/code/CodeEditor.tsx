'use client';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { yaml } from '@codemirror/lang-yaml';
import { StreamLanguage } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { EditorView } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useColorMode } from '@/components/shell/ThemeToggle';

export type CodeLanguage = 'shell' | 'javascript' | 'python' | 'yaml' | 'json';

const LANGUAGES = {
  shell: () => StreamLanguage.define(shell),
  javascript: () => javascript({ typescript: true }),
  python: () => python(),
  yaml: () => yaml(),
  json: () => javascript(),
};

function prefersDark(mode: 'light' | 'dark' | 'system'): boolean {
  if (mode !== 'system') return mode === 'dark';
  return typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** CodeMirror 6 with syntax highlighting; the value is plain text, never rendered as HTML. */
export default function CodeEditor({
  value,
  onChange,
  language,
  readOnly,
  label,
  minHeight = '120px',
  maxHeight,
  height,
  testId,
}: {
  value: string;
  onChange?: (value: string) => void;
  language: CodeLanguage;
  readOnly?: boolean;
  label: string;
  minHeight?: string;
  maxHeight?: string;
  height?: string;
  testId?: string;
}) {
  const mode = useColorMode();
  return (
    <div
      className="overflow-hidden rounded-md border border-border text-[13px]"
      data-testid={testId}
    >
      <CodeMirror
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        editable={!readOnly}
        theme={prefersDark(mode) ? 'dark' : 'light'}
        minHeight={minHeight}
        maxHeight={maxHeight}
        height={height}
        basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly }}
        extensions={[
          LANGUAGES[language](),
          EditorView.contentAttributes.of({ 'aria-label': label }),
        ]}
      />
    </div>
  );
}
