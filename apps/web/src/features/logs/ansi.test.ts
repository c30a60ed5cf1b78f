import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySgr, parseAnsi, PLAIN, stripAnsi, type AnsiSegment } from './ansi';
import { ansiCss, background, baseColor, foreground } from './ansiStyle';

const E = '\x1b';

/** The segments as [text, style] pairs, for compact expectations. */
const pairs = (segments: AnsiSegment[]) => segments.map((s) => [s.text, s.style]);

describe('parseAnsi', () => {
  it('returns plain text as one unstyled segment, and nothing for an empty line', () => {
    expect(pairs(parseAnsi('hello world'))).toEqual([['hello world', {}]]);
    expect(parseAnsi('')).toEqual([]);
  });

  it('styles text with the basic foreground and background colours', () => {
    expect(pairs(parseAnsi(`a${E}[31mred${E}[0m b${E}[42mon green${E}[49m c`))).toEqual([
      ['a', {}],
      ['red', { fg: 1 }],
      [' b', {}],
      ['on green', { bg: 2 }],
      [' c', {}],
    ]);
  });

  it('maps bright colours to palette entries 8–15', () => {
    expect(pairs(parseAnsi(`${E}[91mx${E}[103my`))).toEqual([
      ['x', { fg: 9 }],
      ['y', { fg: 9, bg: 11 }],
    ]);
  });

  it('combines attributes and turns each off on its own code', () => {
    expect(
      pairs(parseAnsi(`${E}[1;3;4mA${E}[22mB${E}[23mC${E}[24mD${E}[2;9mE${E}[22;29mF`)),
    ).toEqual([
      ['A', { bold: true, italic: true, underline: true }],
      ['B', { italic: true, underline: true }],
      ['C', { underline: true }],
      ['D', {}],
      ['E', { dim: true, strike: true }],
      ['F', {}],
    ]);
  });

  it('treats ESC[m and an empty parameter as reset', () => {
    expect(pairs(parseAnsi(`${E}[1;31mA${E}[mB`))).toEqual([
      ['A', { bold: true, fg: 1 }],
      ['B', {}],
    ]);
    expect(pairs(parseAnsi(`${E}[31mA${E}[;1mB`))).toEqual([
      ['A', { fg: 1 }],
      ['B', { bold: true }],
    ]);
  });

  it('reads 256-colour and true-colour sequences, in the semicolon and colon forms', () => {
    expect(pairs(parseAnsi(`${E}[38;5;208mA${E}[48;2;10;20;30mB`))).toEqual([
      ['A', { fg: 208 }],
      ['B', { fg: 208, bg: { r: 10, g: 20, b: 30 } }],
    ]);
    expect(pairs(parseAnsi(`${E}[38:2::1:2:3mA${E}[38:2:4:5:6mB${E}[38:5:9mC`))).toEqual([
      ['A', { fg: { r: 1, g: 2, b: 3 } }],
      ['B', { fg: { r: 4, g: 5, b: 6 } }],
      ['C', { fg: 9 }],
    ]);
  });

  it('keeps the parameters after an extended colour', () => {
    expect(pairs(parseAnsi(`${E}[38;5;1;1mA`))).toEqual([['A', { fg: 1, bold: true }]]);
    expect(pairs(parseAnsi(`${E}[38;2;1;2;3;4mA`))).toEqual([
      ['A', { fg: { r: 1, g: 2, b: 3 }, underline: true }],
    ]);
  });

  it('ignores malformed extended colours and unknown codes', () => {
    expect(pairs(parseAnsi(`${E}[38;5;300mA${E}[38;2;1mB${E}[5;53mC`))).toEqual([['ABC', {}]]);
  });

  it('merges adjacent text of the same style', () => {
    expect(pairs(parseAnsi(`${E}[32mab${E}[32mcd${E}[1m${E}[22mef`))).toEqual([
      ['abcdef', { fg: 2 }],
    ]);
  });

  it('drops other CSI sequences (cursor, erase) and private modes', () => {
    expect(stripAnsi(`${E}[2K${E}[1Gdone${E}[?25h ${E}[10;20H!`)).toBe('done !');
    expect(pairs(parseAnsi(`${E}[?1;2mA`))).toEqual([['A', {}]]);
  });

  it('drops OSC sequences but keeps a hyperlink’s text', () => {
    const link = `${E}]8;;https://example.com${E}\\docs${E}]8;;${E}\\`;
    expect(stripAnsi(`see ${link} and ${E}]0;title\x07end`)).toBe('see docs and end');
  });

  it('drops charset and two-character escapes, C0/C1 controls, but keeps tabs', () => {
    expect(stripAnsi(`${E}(Ba${E}7b${E}8\tc\x07\x08d`)).toBe('ab\tcd');
    expect(stripAnsi('a\x00b\x7fc\u0085d')).toBe('abcd');
  });

  it('reads the one-character C1 CSI like ESC [', () => {
    expect(pairs(parseAnsi('\x9b31mred\x9b0m.'))).toEqual([
      ['red', { fg: 1 }],
      ['.', {}],
    ]);
  });

  it('survives a sequence cut off at the end of the line', () => {
    expect(stripAnsi(`ok${E}`)).toBe('ok');
    expect(stripAnsi(`ok${E}[31`)).toBe('ok');
    expect(stripAnsi(`ok${E}]0;never terminated`)).toBe('ok');
  });

  it('shows what follows a carriage return, as a terminal shows a progress bar', () => {
    expect(stripAnsi('10%\r50%\r100% done')).toBe('100% done');
    expect(stripAnsi('kept\r')).toBe('kept');
    expect(stripAnsi(`kept\r${E}[0m`)).toBe('kept');
    expect(pairs(parseAnsi(`${E}[31m10%\r${E}[32m100%`))).toEqual([['100%', { fg: 2 }]]);
  });

  it('never produces markup: text with < and & stays text', () => {
    const text = `<img src=x onerror=alert(1)> ${E}[31m&amp;</b>`;
    expect(parseAnsi(text).map((s) => s.text)).toEqual([
      '<img src=x onerror=alert(1)> ',
      '&amp;</b>',
    ]);
  });

  it('joins its segments into exactly the stripped text', () => {
    const samples = [
      `${E}[1m${E}[31mERROR${E}[0m: ${E}[4mfile.py${E}[24m:12`,
      `a\rb${E}[Kc`,
      'plain',
      `${E}[38;5;82m✔${E}[39m passed`,
    ];
    for (const s of samples) {
      expect(
        parseAnsi(s)
          .map((x) => x.text)
          .join(''),
      ).toBe(stripAnsi(s));
    }
  });

  it('agrees with stripAnsi on any mix of escapes, controls and text', () => {
    const alphabet = [
      '\x1b',
      '[',
      ']',
      '3',
      '1',
      ';',
      ':',
      'm',
      'K',
      '?',
      '\r',
      '\x07',
      '\\',
      'a',
      ' ',
      '\x9b',
      '\t',
      '\x00',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        expect(
          parseAnsi(s)
            .map((x) => x.text)
            .join(''),
        ).toBe(stripAnsi(s));
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns the same string for plain lines (no copy per line)', () => {
    const line = 'just text';
    expect(stripAnsi(line)).toBe(line);
  });
});

describe('applySgr', () => {
  it('returns the shared plain style after a reset', () => {
    expect(applySgr({ fg: 1, bold: true }, '0')).toBe(PLAIN);
    expect(applySgr({ fg: 1 }, '39')).toBe(PLAIN);
  });

  it('does not change the style it is given', () => {
    const style = { fg: 1 };
    applySgr(style, '1;42');
    expect(style).toEqual({ fg: 1 });
  });
});

describe('ansiStyle', () => {
  it('gives plain text no inline style', () => {
    expect(ansiCss({})).toBeUndefined();
  });

  it('mixes colours with the theme text colour so both themes can read them', () => {
    expect(foreground(1)).toBe('color-mix(in srgb, #d13b34 60%, var(--fg))');
    expect(foreground(0)).toBe('var(--muted)');
    expect(foreground(15)).toBe('var(--fg)');
    expect(background(2)).toBe('color-mix(in srgb, #2f9e44 28%, transparent)');
  });

  it('computes the 256-colour cube, the greys and exact colours', () => {
    expect(baseColor(16)).toBe('#000000');
    expect(baseColor(196)).toBe('#ff0000');
    expect(baseColor(231)).toBe('#ffffff');
    expect(baseColor(232)).toBe('#080808');
    expect(baseColor(255)).toBe('#eeeeee');
    expect(baseColor({ r: 1, g: 171, b: 255 })).toBe('#01abff');
  });

  it('maps attributes to CSS', () => {
    expect(ansiCss({ bold: true, italic: true, underline: true, strike: true, dim: true })).toEqual(
      {
        fontWeight: 600,
        fontStyle: 'italic',
        textDecorationLine: 'underline line-through',
        opacity: 0.7,
      },
    );
    expect(ansiCss({ inverse: true })).toEqual({
      color: 'var(--bg)',
      backgroundColor: 'var(--fg)',
    });
  });
});
