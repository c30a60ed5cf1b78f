// How an ANSI style looks in our two themes. Terminal colours assume a black background; ours may
// be white. Each colour is mixed with the theme's text colour (`--fg`), which darkens it on the
// light theme and lightens it on the dark one, so red stays red and stays readable on both. Black
// and white, which one theme would make invisible, map to the theme's muted and text colours.
import type { CSSProperties } from 'react';
import type { AnsiColor, AnsiStyle } from './ansi';

/** Mid-tone bases for the 16 palette colours; `null`: a theme colour instead (see below). */
const PALETTE: (string | null)[] = [
  null, // black
  '#d13b34', // red
  '#2f9e44', // green
  '#c09000', // yellow
  '#3b6fd6', // blue
  '#b5479e', // magenta
  '#1f9bab', // cyan
  null, // white
  null, // bright black (grey)
  '#f0554d',
  '#45b95a',
  '#d8a800',
  '#5b8cf0',
  '#d060bd',
  '#2cb5c5',
  null, // bright white
];

const THEMED: Record<number, string> = {
  0: 'var(--muted)',
  7: 'color-mix(in srgb, var(--fg) 75%, var(--bg))',
  8: 'var(--muted)',
  15: 'var(--fg)',
};

/** The colour as CSS: `hex` for the 256-colour table and exact colours. */
export function baseColor(color: AnsiColor): string {
  if (typeof color !== 'number') return rgbHex(color.r, color.g, color.b);
  if (color < 16) return PALETTE[color] ?? '#808080';
  if (color < 232) {
    // The 6×6×6 cube.
    const n = color - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return rgbHex(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
  }
  const grey = 8 + (color - 232) * 10;
  return rgbHex(grey, grey, grey);
}

/** A foreground colour legible on the current theme. */
export function foreground(color: AnsiColor): string {
  if (typeof color === 'number' && THEMED[color]) return THEMED[color];
  return `color-mix(in srgb, ${baseColor(color)} 60%, var(--fg))`;
}

/** A background tint: translucent, so the theme's own background shows through. */
export function background(color: AnsiColor): string {
  if (typeof color === 'number' && (color === 0 || color === 8)) {
    return 'color-mix(in srgb, var(--fg) 12%, transparent)';
  }
  if (typeof color === 'number' && (color === 7 || color === 15)) {
    return 'color-mix(in srgb, var(--fg) 20%, transparent)';
  }
  return `color-mix(in srgb, ${baseColor(color)} 28%, transparent)`;
}

/** Inline style for a segment; `undefined` for plain text (most of a log), so no object per span. */
export function ansiCss(style: AnsiStyle): CSSProperties | undefined {
  if (Object.keys(style).length === 0) return undefined;
  const css: CSSProperties = {};
  if (style.inverse) {
    // Swapped: the text takes the background's colour on a solid foreground.
    css.color = style.bg !== undefined ? foreground(style.bg) : 'var(--bg)';
    css.backgroundColor = style.fg !== undefined ? foreground(style.fg) : 'var(--fg)';
  } else {
    if (style.fg !== undefined) css.color = foreground(style.fg);
    if (style.bg !== undefined) css.backgroundColor = background(style.bg);
  }
  if (style.bold) css.fontWeight = 600;
  if (style.dim) css.opacity = 0.7;
  if (style.italic) css.fontStyle = 'italic';
  const lines = [style.underline && 'underline', style.strike && 'line-through'].filter(Boolean);
  if (lines.length) css.textDecorationLine = lines.join(' ');
  return css;
}

function rgbHex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
