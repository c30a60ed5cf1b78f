'use client';
import {
  ArrowDownToLine,
  ChevronDown,
  ChevronUp,
  Clock,
  Download,
  Search,
  TextWrap,
} from 'lucide-react';
import { useId, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Input, Select } from '@/components/ui/input';
import { statusLabel } from '@/components/ui/status';
import type { LogStreamStatus } from './useLogStream';

export interface AttemptOption {
  number: number;
  status: string;
}

/** "attempt 2 of 3 · failed". */
export function attemptLabel(attempt: AttemptOption, total: number): string {
  return `attempt ${attempt.number} of ${total} · ${statusLabel(attempt.status)}`;
}

const count = (n: number) => n.toLocaleString('en');

/** The viewer's controls: attempt, state of the stream, view toggles, download and search. */
export function LogToolbar({
  attempts,
  attempt,
  onAttempt,
  lineCount,
  status,
  live,
  following,
  onFollow,
  wrap,
  onWrap,
  showTime,
  onShowTime,
  onDownload,
  downloading,
  searchRef,
  query,
  onQuery,
  matches,
  capped,
  matchIndex,
  searching,
  onNext,
  onPrevious,
}: {
  attempts: readonly AttemptOption[];
  attempt: number | null;
  onAttempt: (attempt: number) => void;
  lineCount: number;
  status: LogStreamStatus;
  /** The attempt is running and its lines stream in. */
  live: boolean;
  following: boolean;
  onFollow: (on: boolean) => void;
  wrap: boolean;
  onWrap: (on: boolean) => void;
  showTime: boolean;
  onShowTime: (on: boolean) => void;
  onDownload: () => void;
  downloading: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (query: string) => void;
  matches: number;
  capped: boolean;
  matchIndex: number;
  /** The typed query is not searched yet (deferred). */
  searching: boolean;
  onNext: () => void;
  onPrevious: () => void;
}) {
  const selectId = useId();
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) onPrevious();
      else onNext();
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      // Only the search: a dialog or panel around the viewer keeps its own Escape otherwise.
      e.stopPropagation();
      onQuery('');
    }
  };

  return (
    <div className="flex flex-col gap-2 border-b border-border bg-panel px-2 py-2">
      <div className="flex items-center gap-2">
        <label htmlFor={selectId} className="sr-only">
          Attempt
        </label>
        <Select
          id={selectId}
          data-testid="log-attempt"
          className="h-7 w-auto max-w-[16rem] min-w-0 shrink text-xs"
          value={attempt ?? ''}
          disabled={attempts.length === 0}
          onChange={(e) => onAttempt(Number(e.target.value))}
        >
          {attempts.length === 0 ? <option value="">no attempts yet</option> : null}
          {attempts.map((a) => (
            <option key={a.number} value={a.number}>
              {attemptLabel(a, attempts.length)}
            </option>
          ))}
        </Select>
        <StreamState lineCount={lineCount} status={status} live={live} />
        <div className="ml-auto flex shrink-0 items-center gap-1">
          <Toggle
            pressed={following}
            onPressedChange={onFollow}
            label="Follow"
            title={following ? 'Following the end of the log' : 'Follow the end of the log'}
            testId="log-follow"
            icon={<ArrowDownToLine aria-hidden size={14} />}
            showLabel
          />
          <Toggle
            pressed={wrap}
            onPressedChange={onWrap}
            label="Wrap lines"
            testId="log-wrap"
            icon={<TextWrap aria-hidden size={14} />}
          />
          <Toggle
            pressed={showTime}
            onPressedChange={onShowTime}
            label="Show timestamps"
            testId="log-time"
            icon={<Clock aria-hidden size={14} />}
          />
          <Button
            size="sm"
            variant="ghost"
            className="w-7 px-0"
            aria-label="Download log"
            title={downloading ? 'Preparing the download…' : 'Download log'}
            disabled={attempt === null || downloading}
            onClick={onDownload}
            data-testid="log-download"
          >
            <Download aria-hidden size={14} className={downloading ? 'animate-pulse' : undefined} />
          </Button>
        </div>
      </div>
      <div className="flex items-center gap-1">
        <div className="relative min-w-0 flex-1">
          <Search
            aria-hidden
            size={14}
            className="pointer-events-none absolute top-1/2 left-2 -translate-y-1/2 text-muted"
          />
          <Input
            ref={searchRef}
            type="search"
            aria-label="Search the log"
            placeholder="Search log (Ctrl+F)"
            className="h-7 pl-7 text-xs"
            value={query}
            onChange={(e) => onQuery(e.target.value)}
            onKeyDown={onSearchKey}
            data-testid="log-search"
            spellCheck={false}
            autoComplete="off"
          />
        </div>
        <span
          aria-live="polite"
          className="min-w-[5.5rem] shrink-0 px-1 text-right text-xs text-muted tabular-nums"
          data-testid="log-search-count"
        >
          {searchCount({ query, searching, matches, capped, matchIndex })}
        </span>
        <Button
          size="sm"
          variant="ghost"
          className="w-7 px-0"
          aria-label="Previous match"
          title="Previous match (Shift+Enter)"
          disabled={matches === 0}
          onClick={onPrevious}
        >
          <ChevronUp aria-hidden size={14} />
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="w-7 px-0"
          aria-label="Next match"
          title="Next match (Enter)"
          disabled={matches === 0}
          onClick={onNext}
        >
          <ChevronDown aria-hidden size={14} />
        </Button>
      </div>
    </div>
  );
}

/** "3 of 120", "120 matches", "No matches". */
export function searchCount({
  query,
  searching,
  matches,
  capped,
  matchIndex,
}: {
  query: string;
  searching: boolean;
  matches: number;
  capped: boolean;
  matchIndex: number;
}): string {
  if (!query.trim()) return '';
  if (searching) return 'Searching…';
  if (matches === 0) return 'No matches';
  const total = `${count(matches)}${capped ? '+' : ''}`;
  return matchIndex >= 0 ? `${count(matchIndex + 1)} of ${total}` : `${total} matches`;
}

function StreamState({
  lineCount,
  status,
  live,
}: {
  lineCount: number;
  status: LogStreamStatus;
  live: boolean;
}) {
  return (
    <span className="flex min-w-0 items-center gap-1.5 truncate text-xs text-muted tabular-nums">
      <span className="truncate">
        {count(lineCount)} line{lineCount === 1 ? '' : 's'}
      </span>
      {status === 'reconnecting' ? (
        <span className="text-warn">· reconnecting…</span>
      ) : live && status === 'open' ? (
        <span className="flex items-center gap-1">
          ·
          <span aria-hidden className="h-1.5 w-1.5 animate-pulse rounded-full bg-ok" />
          live
        </span>
      ) : null}
    </span>
  );
}

function Toggle({
  pressed,
  onPressedChange,
  label,
  title,
  testId,
  icon,
  showLabel = false,
}: {
  pressed: boolean;
  onPressedChange: (pressed: boolean) => void;
  label: string;
  title?: string;
  testId: string;
  icon: ReactNode;
  showLabel?: boolean;
}) {
  return (
    <Button
      size="sm"
      variant="ghost"
      aria-pressed={pressed}
      aria-label={showLabel ? undefined : label}
      title={title ?? label}
      onClick={() => onPressedChange(!pressed)}
      data-testid={testId}
      className={cn(
        showLabel ? 'px-2' : 'w-7 px-0',
        pressed ? 'border-border bg-panel-2 text-fg' : 'text-muted',
      )}
    >
      {icon}
      {showLabel ? label : null}
    </Button>
  );
}
