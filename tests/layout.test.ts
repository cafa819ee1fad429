// layout: line breaking and size fitting on fake metrics (width = characters × size), and whole
// slides and pages on the real fonts against golden layout.json files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakLines, measureText } from '../src/layout/break-lines.js';
import { type BoxSpec, type FitContext, fitGroup } from '../src/layout/fit-box.js';
import { fakeFontBook } from '../src/layout/font-metrics.js';
import { layoutDeck } from '../src/layout/layout-deck.js';
import { layoutMemo } from '../src/layout/layout-memo.js';
import { loadTemplates } from '../src/load/load-templates.js';
import { parseDeck, parseMemo } from '../src/parse/parse-briefing.js';
import { fontsFor } from '../src/pipeline.js';
import { FIXTURES, golden } from './helpers.js';

const fake = fakeFontBook(0.5);
const run = (text: string, size = 10) => ({ text, chain: fake.styles.regular, size, letterSpacing: 0 });
const linesText = (r: ReturnType<typeof breakLines>) => r.lines.map((l) => l.fragments.map((f) => f.text).join(''));

describe('breakLines', () => {
  it('fills lines greedily at break opportunities', () => {
    // Each character is 5 pt wide at 10 pt, a space 2.5 pt: "aaaa bbbb" = 42.5 pt.
    expect(linesText(breakLines([run('aaaa bbbb cccc')], 45))).toEqual(['aaaa bbbb', 'cccc']);
    expect(linesText(breakLines([run('aaaa bbbb cccc')], 100))).toEqual(['aaaa bbbb cccc']);
  });

  it('breaks a word longer than the line between characters', () => {
    expect(linesText(breakLines([run('abcdefghij')], 26))).toEqual(['abcde', 'fghij']);
  });

  it('honours hard breaks and keeps runs apart', () => {
    const r = breakLines([run('one\ntwo '), { ...run('three'), chain: fake.styles.bold }], 1000);
    expect(linesText(r)).toEqual(['one', 'two three']);
    expect(r.lines[1]!.fragments.map((f) => f.run)).toEqual([0, 1]);
  });

  it('never starts a line with closing CJK punctuation (UAX #14)', () => {
    // Ten CJK characters of 10 pt each fit exactly; the comma must not begin the next line.
    const r = breakLines([run('一二三四五六七八九十，十一')], 100);
    for (const line of linesText(r).slice(1)) expect(line[0]).not.toBe('，');
  });

  it('reports characters the font has no glyph for', () => {
    const face = { ...fake.styles.regular.faces[0]!, advance: (cp: number) => (cp === 0x2603 ? null : 500) };
    expect(
      breakLines([{ text: 'a☃b', chain: { faces: [face], preferEa: false }, size: 10, letterSpacing: 0 }], 100).missing,
    ).toEqual([0x2603]);
  });

  it('measures with letter spacing', () => {
    expect(measureText('abc', fake.styles.regular, 10, 1)).toBeCloseTo(18);
  });
});

describe('fitGroup', () => {
  const ctx: FitContext = {
    fonts: fake,
    roles: { body: { max: 24, min: 12, lineHeight: 1.2 }, title: { max: 30, min: 20, lineHeight: 1.1 } },
    lang: 'en-US',
    bullet: { char: '•', indent: 20, color: '000000' },
    widthReserve: 0,
    spareLines: 0,
    lineHeightScale: 1,
  };
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

  it('chooses the largest size at which the text fits', () => {
    // 20 characters at size s are 10·s wide; in a 300 pt box one line holds up to s = 30.
    const fitted = fitGroup([box('aaaaaaaaaaaaaaaaaaaa', 300, 30)], ctx);
    expect(fitted.overflow).toBe(false);
    expect(fitted.boxes[0]!.fit.size).toBe(24); // capped by max, 24 × 1.2 = 28.8 ≤ 30
    const tight = fitGroup([box('aaaaaaaaaaaaaaaaaaaa', 150, 20)], ctx);
    expect(tight.boxes[0]!.fit.size).toBe(15); // 10·15 = 150 wide, 18 high
  });

  it('reports an overflow at the smallest size', () => {
    const fitted = fitGroup([box('a '.repeat(400), 100, 40)], ctx);
    expect(fitted.overflow).toBe(true);
    expect(fitted.boxes[0]!.fit.size).toBe(12);
    expect(fitted.boxes[0]!.fit.overflow).toBe(true);
  });

  it('keeps a spare line for PowerPoint only in a box whose lines wrap', () => {
    const spare = { ...ctx, spareLines: 1 };
    // Two lines of 'aaaa' end at a hard break: at 24 pt they are 57.6 pt high and break the same anywhere.
    expect(fitGroup([box('aaaa\naaaa', 300, 58)], spare).boxes[0]!.fit.size).toBe(24);
    // The same height, but the two lines come from wrapping: a spare line is kept, so the size falls.
    expect(fitGroup([box('aaaa aaaa', 80, 58)], spare).boxes[0]!.fit.size).toBeLessThan(24);
  });

  it('fits a group at one shared scale', () => {
    const fitted = fitGroup([box('aaaa', 300, 200), box('a '.repeat(60), 300, 200)], ctx);
    expect(fitted.boxes[0]!.fit.size).toBe(fitted.boxes[1]!.fit.size);
  });
});

/** Rounds every number to 0.01 so goldens do not churn on floating-point noise. */
function rounded(value: unknown): string {
  return `${JSON.stringify(value, (_, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v), 1)}\n`;
}

describe('layout goldens (real fonts)', () => {
  const { templates } = loadTemplates({ audience: 'policymaker', lang: 'en' });
  const t = templates!;

  it('lays out every deck layout', () => {
    const dir = join(FIXTURES, 'parse', 'deck-all-layouts');
    const { document } = parseDeck(readFileSync(join(dir, 'briefing.md'), 'utf8'), 'briefing.md');
    const laid = layoutDeck({
      document,
      theme: t.theme,
      fonts: fontsFor(t, 'en', 'deck'),
      lang: 'en',
      langTag: 'en-US',
      title: 'T',
      author: null,
      subject: null,
      date: '2025-01-15',
      quotes: { open: '“', close: '”' },
    });
    expect(laid.overflows).toEqual([]);
    golden(join(FIXTURES, 'layout', 'deck-all-layouts', 'layout.json'), rounded(laid.deck.slides));
    // Nothing is placed outside the slide.
    for (const s of laid.deck.slides)
      for (const sh of s.shapes) expect(sh.x + sh.w).toBeLessThanOrEqual(laid.deck.width);
  });

  it('lays out a memo on pages, with the text inside the margins', () => {
    const dir = join(FIXTURES, 'parse', 'memo-basic');
    const { document } = parseMemo(readFileSync(join(dir, 'briefing.md'), 'utf8'), 'briefing.md');
    const { memo, missing } = layoutMemo({
      document,
      theme: t.theme,
      fonts: fontsFor(t, 'en', 'memo'),
      page: 'a4',
      bodySize: 11,
      lang: 'en',
      langTag: 'en-US',
      title: 'T',
      author: null,
      subject: null,
      date: '2025-01-15',
      runningHead: 'T',
      pageLabel: 'Page {n} of {total}',
      marking: null,
    });
    expect(missing).toEqual([]); // the CJK test phrase is set in the East Asian fallback face
    const ea = memo.pages[0]!.items.filter((x) => x.type === 'text' && x.font.endsWith('-ea')).map((x) =>
      x.type === 'text' ? x.text : '',
    );
    expect(ea.join('')).toContain('重要：');
    expect(memo.pages).toHaveLength(1);
    golden(join(FIXTURES, 'layout', 'memo-basic', 'layout.json'), rounded(memo.pages));
    // Everything, text and rules, inside the margins (a rule once escaped to the page's corner).
    const m = t.theme.memo.margin;
    for (const it of memo.pages[0]!.items) {
      if (it.type !== 'line' && it.type !== 'text' && it.type !== 'rect' && it.type !== 'image') continue;
      const [x, y] = it.type === 'line' ? [Math.min(it.x1, it.x2), Math.min(it.y1, it.y2)] : [it.x, it.y];
      expect(x, JSON.stringify(it)).toBeGreaterThanOrEqual(m.left - 0.01);
      expect(y, JSON.stringify(it)).toBeGreaterThanOrEqual(m.top - 0.01);
    }
  });
});

describe('line breaking for copied text and links', () => {
  const chain = fakeFontBook().styles.regular;
  const broken = (text: string, chars: number) => breakLines([{ text, chain, size: 10, letterSpacing: 0 }], chars * 5);

  it('keeps a note mark with its sentence, after a no-break space', () => {
    const text = 'Harden research labs against espionage and intellectual-property theft\u00A0[1].';
    for (let chars = 12; chars <= 40; chars++) {
      const lines = broken(text, chars).lines.map((l) => l.fragments.map((f) => f.text).join(''));
      for (const line of lines) expect(line.startsWith('['), `${chars}: ${line}`).toBe(false);
    }
  });

  it('breaks a URL only after a slash of its path, never in its scheme or at a hyphen', () => {
    const url = 'https://www.foreignaffairs.com/united-states/china-real-artificial-intelligence-race-innovation';
    for (let chars = 20; chars <= 60; chars++) {
      const lines = broken(`Kahl and Mitre, 2025. ${url}`, chars).lines;
      const text = lines.map((l) => l.fragments.map((f) => f.text).join(''));
      for (const line of text.slice(0, -1)) {
        const inUrl = line.includes('/') || line.includes('.com');
        // A URL's part that fits is cut after a slash; only a piece longer than the line is cut anywhere.
        if (inUrl && !line.endsWith('/')) expect(line.length, `${chars}: ${line}`).toBeGreaterThanOrEqual(chars - 1);
        expect(line.endsWith('https://'), `${chars}: ${line}`).toBe(false);
      }
    }
  });

  it('marks lines broken at a space, so a PDF keeps the space after the last word', () => {
    const { lines } = broken('one two three four five six', 10);
    expect(lines.slice(0, -1).every((l) => l.spaceAfter)).toBe(true);
    expect(lines.at(-1)!.spaceAfter).toBe(false);
    expect(breakLines([{ text: 'lead \nis', chain, size: 10, letterSpacing: 0 }], 100).lines[0]!.spaceAfter).toBe(true);
    expect(breakLines([{ text: '夠\n用', chain, size: 10, letterSpacing: 0 }], 100).lines[0]!.spaceAfter).toBe(false);
  });
});
