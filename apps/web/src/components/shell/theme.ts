/** The theme choice: `system` follows the OS; the cookie keeps an explicit choice. */
export const THEME_COOKIE = 'dtss-theme';
export type ThemeChoice = 'system' | 'light' | 'dark';

export function parseTheme(value: string | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function themeClass(value: string | undefined): string {
  const t = parseTheme(value);
  return t === 'system' ? '' : t;
}
