// Layout on hostile input: a paragraph of one enormous word, thousands of URLs, a run of invisible
// characters, a theme whose size range spans 1e-6 to 1e9 points. Each must finish with the right
// result; where the work could grow with the square of the length, it is counted (never timed).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BrokenText, breakLines, noLoneLastCharacter, withSpace } from '../src/layout/break-lines.js';
import { type BoxSpec, balanceLines, type FitContext, fitGroup } from '../src/layout/fit-box.js';
import { type FaceChain, type FontBook, fakeFontBook } from '../src/layout/font-metrics.js';

// Fake metrics: a character is half its size wide (5 pt at 10 pt), a space a quarter.
const fake = fakeFontBook(0.5);
const run = (text: string, size = 10) => ({ text, chain: fake.styles.regular, size, letterSpacing: 0 });
const lineTexts = (r: BrokenText) => r.lines.map((l) => l.fragments.map((f, k) => withSpace(f.text, l, k)).join(''));
const widest = (r: BrokenText) => r.lines.reduce((w, l) => Math.max(w, l.width), 0);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('breaking a word longer than any line', () => {
  for (const n of [100_000, 1_000_000]) {
    it(`keeps all ${n} characters of one word, 20 to a line`, () => {
      const word = 'a'.repeat(n);
      const broken = breakLines([run(word)], 100);
      expect(broken.lines).toHaveLength(n / 20);
      // Not toBe: a failure would print two strings of a million characters.
      expect(lineTexts(broken).join('') === word).toBe(true);
      expect(widest(broken)).toBeLessThanOrEqual(100);
      expect(broken.lines.every((l) => l.width === 100)).toBe(true);
    });
  }

  it('cuts a long word only between grapheme clusters', () => {
    // `e` + combining acute: one cluster of two characters, 10 pt wide, so 10 to a line.
    const word = 'e\u0301'.repeat(100_000);
    const broken = breakLines([run(word)], 100);
    const lines = lineTexts(broken);
    expect(lines).toHaveLength(10_000);
    expect(lines.join('') === word).toBe(true);
    expect(lines.some((l) => l.startsWith('\u0301'))).toBe(false);
  });

  it('segments a long word into clusters once, not once per cluster', () => {
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    // Not ASCII, so every cluster goes through the segmenter.
    const word = 'é'.repeat(20_000);
    const broken = breakLines([run(word)], 100);
    const segmented = segment.mock.calls.reduce((n, [text]) => n + text.length, 0);
    // Segmenting the rest of the word at every cluster would be about 2 × 10^8 characters.
    expect(segmented).toBeLessThanOrEqual(2 * word.length);
    expect(lineTexts(broken).join('') === word).toBe(true);
  });
});

describe('breaking other long input', () => {
  it('breaks 100,000 URLs only after whole URLs', () => {
    const text = 'a://b '.repeat(100_000);
    const broken = breakLines([run(text)], 100);
    const lines = lineTexts(broken);
    expect(lines.join('') === text.trimEnd()).toBe(true);
    expect(
      lines.every((l) =>
        l
          .trimEnd()
          .split(' ')
          .every((u) => u === 'a://b'),
      ),
    ).toBe(true);
    expect(widest(broken)).toBeLessThanOrEqual(100);
  });

  it('breaks a URL followed by a 100,000-letter word', () => {
    const text = `x://y ${'a'.repeat(100_000)}`;
    const lines = lineTexts(breakLines([run(text)], 100));
    expect(lines[0]).toBe('x://y ');
    expect(lines.join('') === text).toBe(true);
  });

  it('keeps a last line of 100,000 invisible characters whole', () => {
    // U+FEFF is white space to a regular expression, but no break and no width.
    const text = `aaaa aaaa aaaa aaaa aaaa x${'\ufeff'.repeat(100_000)}y`;
    const broken = noLoneLastCharacter((w) => breakLines([run(text)], w), 100, 10);
    const lines = lineTexts(broken);
    expect(lines).toHaveLength(2);
    expect(lines[1] === `aaaa x${'\ufeff'.repeat(100_000)}y`).toBe(true);
  });
});

describe('fitting with an absurd size range', () => {
  const ctx = (max: number, min: number, fonts: FontBook = fake): FitContext => ({
    fonts,
    roles: { body: { max, min, lineHeight: 1.2 } },
    lang: 'en-US',
    bullet: { char: '•', indent: 20, color: '000000' },
    widthReserve: 0,
    spareLines: 0,
    lineHeightScale: 1,
  });
  const box = (text: string, w: number, h: number): BoxSpec => ({
    name: 'Body',
    role: 'body',
    placeholder: null,
    x: 0,
    y: 0,
    w,
    h,
    insets: { l: 0, r: 0, t: 0, b: 0 },
    valign: 'top',
    paragraphs: [
      {
        runs: [{ text, style: 'regular', color: '000000', href: null }],
        role: 'body',
        bullet: null,
        align: 'left',
        spaceBefore: 0,
      },
    ],
  });

  // `aaaa bbbb cccc` is 6.5 × size wide, so one line of 300 pt holds it up to 46 pt (46.15).
  it('still finds the half-point size in a wide but sane range', () => {
    const fitted = fitGroup([box('aaaa bbbb cccc', 300, 100)], ctx(400, 4));
    expect(fitted.overflow).toBe(false);
    expect(fitted.boxes[0]!.fit.size).toBe(46);
  });

  for (const [max, min] of [
    [1e9, 1e-6],
    [1e300, 0],
  ] as const) {
    it(`returns finite sizes that fit for a role from ${min} to ${max} pt`, () => {
      const fitted = fitGroup([box('aaaa bbbb cccc', 300, 100)], ctx(max, min));
      const fit = fitted.boxes[0]!.fit;
      expect(fitted.overflow).toBe(false);
      expect(Number.isFinite(fit.size)).toBe(true);
      expect(fit.size).toBeGreaterThanOrEqual(0);
      expect(fit.size).toBeLessThanOrEqual(46);
      expect(fit.slack).toBeGreaterThanOrEqual(0);
      expect(fitted.boxes[0]!.paragraphs[0]!.runs[0]!.size).toBe(fit.size);
    });
  }

  it('does not measure a hostile two-line title at every break opportunity', () => {
    // Counts glyph lookups. Zero-width spaces, each followed by an invisible variation selector,
    // give 10,000 break opportunities in a title that still fits on two lines.
    let lookups = 0;
    const counted = (chain: FaceChain): FaceChain => ({
      ...chain,
      faces: chain.faces.map((f) => ({
        ...f,
        advance: (cp: number) => {
          lookups++;
          return f.advance(cp);
        },
      })),
    });
    const book = fakeFontBook(0.5);
    const fonts: FontBook = {
      ...book,
      styles: {
        regular: counted(book.styles.regular),
        bold: counted(book.styles.bold),
        italic: counted(book.styles.italic),
        boldItalic: counted(book.styles.boldItalic),
      },
    };
    const text = `aaaa bbbb cccc dddd ${'\u200b\ufe0f'.repeat(10_000)}eeee ffff gggg hhhh`;
    const c = { ...ctx(20, 10, fonts), roles: { body: { max: 20, min: 10, lineHeight: 1.2 } } };
    const fitted = fitGroup([box(text, 250, 60)], c).boxes[0]!;
    expect(fitted.paragraphs[0]!.lines).toBe(2);
    lookups = 0;
    balanceLines(fitted, c);
    // Measuring both halves at every opportunity would be 10,000 × 20,000 lookups or more.
    expect(lookups).toBeLessThanOrEqual(20 * text.length);
  });
});
