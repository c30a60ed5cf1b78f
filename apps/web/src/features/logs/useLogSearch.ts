'use client';
import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { NO_SEARCH, searchLines, type LogLines, type SearchResult } from './logLines';

/**
 * Matches of `query` over every loaded line. The query is deferred, so typing stays responsive
 * while 100k lines are scanned; new lines extend the previous result instead of scanning again.
 */
export function useLogSearch(
  lines: LogLines,
  query: string,
): { result: SearchResult; stale: boolean } {
  const deferred = useDeferredValue(query.trim() ? query : '');
  const previous = useRef<SearchResult>(NO_SEARCH);
  // `lines` is mutable (the same object as it grows): its length is what changes between renders.
  const length = lines.length;
  const result = useMemo(
    () => searchLines(lines, deferred, previous.current, length),
    [lines, deferred, length],
  );
  useEffect(() => {
    previous.current = result;
  }, [result]);
  return { result, stale: deferred !== (query.trim() ? query : '') };
}
