'use client';
import { Monitor, Moon, Sun } from 'lucide-react';
import { useEffect, useState } from 'react';
import { parseTheme, THEME_COOKIE, type ThemeChoice } from './theme';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const ICON = { system: Monitor, light: Sun, dark: Moon };

function readCookie(): ThemeChoice {
  const m = document.cookie.match(new RegExp(`(?:^|; )${THEME_COOKIE}=([^;]*)`));
  return parseTheme(m?.[1]);
}

/** Cycles system → light → dark; the choice is a cookie so the server renders it next time. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<ThemeChoice>('system');
  useEffect(() => setTheme(readCookie()), []);
  const Icon = ICON[theme];
  return (
    <button
      type="button"
      className="rounded-md p-1.5 text-muted hover:bg-panel-2 hover:text-fg"
      aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`}
      title={`Theme: ${theme}`}
      data-testid="theme-toggle"
      onClick={() => {
        const next = NEXT[theme];
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
        const root = document.documentElement;
        root.classList.remove('light', 'dark');
        if (next !== 'system') root.classList.add(next);
        setTheme(next);
      }}
    >
      <Icon aria-hidden size={16} />
    </button>
  );
}

/** The theme React Flow should use, following the same choice. */
export function useColorMode(): 'light' | 'dark' | 'system' {
  const [mode, setMode] = useState<'light' | 'dark' | 'system'>('system');
  useEffect(() => {
    const read = () => {
      const c = document.documentElement.classList;
      setMode(c.contains('dark') ? 'dark' : c.contains('light') ? 'light' : 'system');
    };
    read();
    const obs = new MutationObserver(read);
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => obs.disconnect();
  }, []);
  return mode;
}
