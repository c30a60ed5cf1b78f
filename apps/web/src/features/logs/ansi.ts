// ANSI escape sequences in task output, parsed into styled text segments. Pure and DOM-free: the
// result is rendered as React text (never HTML), so a log can style itself but not inject markup.
//
// Understood: SGR (`ESC [ … m`) — bold, dim, italic, underline, inverse, strike, the 8 + 8 colours
// (30–37, 90–97, 40–47, 100–107), 256 colours (38;5;n) and true colour (38;2;r;g;b), also in the
// colon form (38:2::r:g:b). Dropped: every other CSI (cursor moves, erase), OSC (titles, OSC 8
// hyperlinks keep their text), other ESC sequences and C0/C1 control characters. A carriage return
// starts the line over, as a terminal shows a progress bar's last state.

/** An index into the 256-colour table (0–15 the terminal palette, 8–15 bright) or an exact colour. */
export type AnsiColor = number | { r: number; g: number; b: number };

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export const PLAIN: AnsiStyle = Object.freeze({});

const ESC = 0x1b;

/** A C0 or C1 control character other than tab: something this module removes or interprets. */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
}

// The same set as isControl, as a regex: V8 scans with it several times faster than a JS loop,
// and every arriving line is checked. Control characters are the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
/** A complete `ESC [` sequence (parameter, intermediate and final bytes). */
// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

function hasControl(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * The text a reader sees: escape sequences and control characters removed. The same text as
 * `parseAnsi`'s segments joined, without building them (this runs on every line that arrives).
 */
export function stripAnsi(text: string): string {
  // Most lines have no control characters at all: no parse, no copy.
  if (!hasControl(text)) return text;
  // Coloured lines usually hold nothing but complete CSI sequences: one regex pass removes them.
  const withoutCsi = text.replace(CSI, '');
  if (!hasControl(withoutCsi)) return withoutCsi;
  let out = '';
  let runStart = 0;
  let afterCr = false;
  const take = (end: number) => {
    if (end <= runStart) return;
    if (afterCr) out = '';
    afterCr = false;
    out += text.slice(runStart, end);
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isControl(c)) {
      i++;
      continue;
    }
    take(i);
    if (c === ESC || c === 0x9b) i = readEscape(text, i).end;
    else {
      if (c === 0x0d) afterCr = true;
      i++;
    }
    runStart = i;
  }
  take(text.length);
  return out;
}

/**
 * Styled segments of one line; adjacent text of the same style is one segment, and the segments'
 * texts joined are exactly `stripAnsi(text)` (search offsets rely on that).
 */
export function parseAnsi(text: string, initial: AnsiStyle = PLAIN): AnsiSegment[] {
  if (!hasControl(text)) return text ? [{ text, style: initial }] : [];
  const segments: AnsiSegment[] = [];
  let style = initial;
  let runStart = 0;
  let afterCr = false;

  const flushRun = (end: number) => {
    const run = text.slice(runStart, end);
    if (!run) return;
    if (afterCr) {
      segments.length = 0;
      afterCr = false;
    }
    const last = segments[segments.length - 1];
    if (last && sameStyle(last.style, style)) last.text += run;
    else segments.push({ text: run, style });
  };

  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === ESC || c === 0x9b) {
      flushRun(i);
      const seq = readEscape(text, i);
      if (seq.sgr !== undefined) style = applySgr(style, seq.sgr);
      i = seq.end;
      runStart = i;
    } else if (c === 0x0d) {
      // Carriage return: text after it replaces the line (a trailing one replaces nothing).
      flushRun(i);
      i++;
      runStart = i;
      afterCr = true;
    } else if (isControl(c)) {
      flushRun(i);
      i++;
      runStart = i;
    } else {
      i++;
    }
  }
  flushRun(text.length);
  return segments;
}

/** Where the escape sequence starting at `start` ends; for SGR, its parameters. */
function readEscape(text: string, start: number): { end: number; sgr?: string } {
  let i = start + 1;
  if (text.charCodeAt(start) === ESC) {
    const next = text.charCodeAt(i);
    if (Number.isNaN(next)) return { end: i };
    if (next === 0x5b /* [ */) {
      i++;
    } else if (STRING_INTRODUCERS.has(next)) {
      // OSC, DCS, SOS, PM, APC: a string up to BEL or ST (ESC \); unterminated, to the end.
      for (let j = i + 1; j < text.length; j++) {
        const k = text.charCodeAt(j);
        if (k === 0x07) return { end: j + 1 };
        if (k === ESC && text.charCodeAt(j + 1) === 0x5c) return { end: j + 2 };
      }
      return { end: text.length };
    } else {
      // nF (intermediates then a final, e.g. `ESC ( B`) or a two-character sequence (`ESC 7`).
      while (i < text.length && isIntermediate(text.charCodeAt(i))) i++;
      return { end: Math.min(i + 1, text.length) };
    }
  }
  // CSI (`ESC [` or the C1 byte): parameter bytes, intermediate bytes, one final byte.
  const paramStart = i;
  while (i < text.length && isParameter(text.charCodeAt(i))) i++;
  const paramEnd = i;
  while (i < text.length && isIntermediate(text.charCodeAt(i))) i++;
  if (i >= text.length) return { end: text.length };
  const final = text.charCodeAt(i);
  // Malformed: drop what was read and show the rest as text.
  if (final < 0x40 || final > 0x7e) return { end: i };
  const isSgr = final === 0x6d /* m */ && paramEnd === i;
  return { end: i + 1, sgr: isSgr ? text.slice(paramStart, paramEnd) : undefined };
}

// `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC.
const STRING_INTRODUCERS = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f]);
const isParameter = (c: number) => c >= 0x30 && c <= 0x3f;
const isIntermediate = (c: number) => c >= 0x20 && c <= 0x2f;

/** The style after one SGR sequence's parameters (`"1;31"`, `""` = reset). */
export function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  // Private or unknown forms (`ESC [ ? … m`, `ESC [ > … m`) are not SGR.
  if (/[<=>?]/.test(params)) return current;
  const style: AnsiStyle = { ...current };
  const parts = params === '' ? ['0'] : params.split(';');
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (part.includes(':')) {
      // Colon form: the whole extended colour is one parameter (38:5:n, 38:2::r:g:b, 38:2:r:g:b).
      const sub = part.split(':');
      const code = toInt(sub[0]);
      if (code === 38 || code === 48) {
        const color = extendedColor(
          sub.slice(1).map(toInt),
          sub.length === 6 ? /* with colour space id */ 1 : 0,
        );
        if (color !== undefined) setColor(style, code, color);
      } else if (code === 4) {
        style.underline = toInt(sub[1]) !== 0;
      }
      continue;
    }
    const code = toInt(part);
    if (code === 38 || code === 48) {
      const rest = parts.slice(p + 1).map(toInt);
      const color = extendedColor(rest, 0);
      // Skip the parameters the colour used, even when it was malformed.
      p += rest[0] === 5 ? 2 : rest[0] === 2 ? 4 : 0;
      if (color !== undefined) setColor(style, code, color);
      continue;
    }
    applyCode(style, code);
  }
  return normalise(style);
}

/** [5, n] or [2, r, g, b] (after `skip` ignored entries following the 2). */
function extendedColor(rest: number[], skip: number): AnsiColor | undefined {
  if (rest[0] === 5) {
    const n = rest[1];
    return n !== undefined && n >= 0 && n <= 255 ? n : undefined;
  }
  if (rest[0] === 2) {
    const [r, g, b] = rest.slice(1 + skip, 4 + skip);
    if ([r, g, b].every((v) => v !== undefined && v >= 0 && v <= 255)) {
      return { r: r!, g: g!, b: b! };
    }
  }
  return undefined;
}

function setColor(style: AnsiStyle, code: 38 | 48, color: AnsiColor): void {
  if (code === 38) style.fg = color;
  else style.bg = color;
}

function applyCode(style: AnsiStyle, code: number): void {
  if (code === 0) {
    for (const key of Object.keys(style) as (keyof AnsiStyle)[]) delete style[key];
  } else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4 || code === 21) style.underline = true;
  else if (code === 7) style.inverse = true;
  else if (code === 9) style.strike = true;
  else if (code === 22) {
    delete style.bold;
    delete style.dim;
  } else if (code === 23) delete style.italic;
  else if (code === 24) delete style.underline;
  else if (code === 27) delete style.inverse;
  else if (code === 29) delete style.strike;
  else if (code >= 30 && code <= 37) style.fg = code - 30;
  else if (code === 39) delete style.fg;
  else if (code >= 40 && code <= 47) style.bg = code - 40;
  else if (code === 49) delete style.bg;
  else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
  else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
  // Anything else (blink, fonts, overline, …) is ignored.
}

/** Drops false flags so equal styles compare equal and the plain style is `{}`. */
function normalise(style: AnsiStyle): AnsiStyle {
  for (const key of Object.keys(style) as (keyof AnsiStyle)[]) {
    if (style[key] === undefined || style[key] === false) delete style[key];
  }
  return Object.keys(style).length === 0 ? PLAIN : style;
}

function toInt(s: string | undefined): number {
  if (!s) return 0;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? -1 : n;
}

export function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  if (a === b) return true;
  return (
    sameColor(a.fg, b.fg) &&
    sameColor(a.bg, b.bg) &&
    !a.bold === !b.bold &&
    !a.dim === !b.dim &&
    !a.italic === !b.italic &&
    !a.underline === !b.underline &&
    !a.inverse === !b.inverse &&
    !a.strike === !b.strike
  );
}

function sameColor(a: AnsiColor | undefined, b: AnsiColor | undefined): boolean {
  if (a === undefined || b === undefined || typeof a === 'number' || typeof b === 'number') {
    return a === b;
  }
  return a.r === b.r && a.g === b.g && a.b === b.b;
}
