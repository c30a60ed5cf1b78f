'use client';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** How close to the bottom (px) still counts as "at the end". */
const END_SLACK = 8;

/**
 * Live follow: while following, the view stays at the last line as lines arrive. Scrolling up
 * pauses it; scrolling back to the bottom (or `resume`) follows again. Only a scroll that moved
 * the view up pauses, so growth below and our own scrolls to the end never do.
 */
export function useFollowTail({
  scrollRef,
  count,
  totalSize,
  resetKey,
}: {
  scrollRef: RefObject<HTMLElement | null>;
  count: number;
  /** The list's height: it also changes when wrapped rows are measured, without new lines. */
  totalSize: number;
  /** A new log (another attempt): follow again from its end. */
  resetKey: string;
}): {
  following: boolean;
  /** Lines that arrived since following paused. */
  newLines: number;
  pause: () => void;
  resume: () => void;
} {
  const [following, setFollowingState] = useState(true);
  const [pausedAt, setPausedAt] = useState(0);
  // The scroll handler and the scroll-to-end effect read this, not the state: a pause must win at
  // once over lines arriving in the same frame.
  const followingRef = useRef(true);
  const countRef = useRef(count);
  const lastTop = useRef(0);

  useEffect(() => {
    countRef.current = count;
  }, [count]);

  const pause = useCallback(() => {
    if (!followingRef.current) return;
    followingRef.current = false;
    setFollowingState(false);
    setPausedAt(countRef.current);
  }, []);

  const resume = useCallback(() => {
    followingRef.current = true;
    setFollowingState(true);
  }, []);

  useLayoutEffect(() => {
    resume();
    lastTop.current = 0;
  }, [resetKey, resume]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const top = el.scrollTop;
      const atEnd = el.scrollHeight - top - el.clientHeight <= END_SLACK;
      if (followingRef.current) {
        if (!atEnd && top < lastTop.current - 1) pause();
      } else if (atEnd && top > lastTop.current) {
        resume();
      }
      lastTop.current = top;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scrollRef, pause, resume]);

  // A plain scrollTop write, not the virtualiser's scrollToEnd: that one keeps steering towards
  // the end for a few frames and would pull back a user who scrolls up at once.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && following && followingRef.current && count > 0) {
      el.scrollTop = el.scrollHeight;
      lastTop.current = el.scrollTop;
    }
  }, [scrollRef, following, count, totalSize]);

  return { following, newLines: following ? 0 : Math.max(0, count - pausedAt), pause, resume };
}
