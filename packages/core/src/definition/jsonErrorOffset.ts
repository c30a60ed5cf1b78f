// Where a JSON text stops being JSON. V8's JSON.parse says so in some messages ("… in JSON at
// position 12") and not in others ("Unexpected token '#', "# comment"… is not valid JSON"); this
// scanner finds the offset itself, so every JSON syntax error gets a line and column.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/**
 * The offset of the first character at which `text` is not valid JSON (its length when it ends
 * too early), or null when it is valid. Iterative: nesting depth costs no stack.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  /** Open containers: '{' or '['. */
  const open: string[] = [];
  const skipSpace = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };

  /** Reads one scalar at `i`, or opens a container; false on an error at `i`. */
  const value = (): boolean => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        open.pop();
        i++;
        return true;
      }
      return c === '{' ? key() : value();
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return true;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return true;
    }
    return false;
  };

  /** An object member's key and colon, then its value; false on an error at `i`. */
  const key = (): boolean => {
    skipSpace();
    if (text[i] !== '"' || !string()) return false;
    skipSpace();
    if (text[i] !== ':') return false;
    i++;
    return value();
  };

  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        STRING_ESCAPE.lastIndex = i + 1;
        if (!STRING_ESCAPE.test(text)) return false;
        i = STRING_ESCAPE.lastIndex;
      } else i++;
    }
    return false;
  };

  if (!value()) return i;
  // After each value: close containers, or go on to the next member or item.
  while (open.length > 0) {
    skipSpace();
    const container = open[open.length - 1]!;
    const c = text[i];
    if (c === (container === '{' ? '}' : ']')) {
      open.pop();
      i++;
    } else if (c === ',') {
      i++;
      if (!(container === '{' ? key() : value())) return i;
    } else return i;
  }
  skipSpace();
  return i === text.length ? null : i;
}
