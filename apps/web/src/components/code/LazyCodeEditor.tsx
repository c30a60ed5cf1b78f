'use client';
import dynamic from 'next/dynamic';

/** CodeMirror loads with the first code field shown, not with the page. */
export const LazyCodeEditor = dynamic(() => import('./CodeEditor'), {
  ssr: false,
  loading: () => (
    <div className="h-[120px] animate-pulse rounded-md border border-border bg-panel-2" />
  ),
});
