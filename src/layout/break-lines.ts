// Line breaking on real font metrics: UAX #14 break opportunities (the `linebreak` package),
// filled greedily; a word longer than the line is broken between grapheme clusters.
import LineBreaker from 'linebreak';
import type { FontMetrics } from './font-metrics.js';

export interface MeasureRun {
  text: string;
  font: FontMetrics;
  size: number;
  /** Extra advance after every character, in points. */
  letterSpacing: number;
}

export interface LineFragment {
  run: number;
  text: string;
  /** Offset from the start of the line, in points. */
  x: number;
  width: number;
}

export interface Line {
  fragments: LineFragment[];
  width: number;
}

export interface BrokenText {
  lines: Line[];
  /** Code points no font had a glyph for. */
  missing: number[];
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const SPACE = /\s/;

/** Width of `text` in points, as the breaker measures it. */
export function measureText(text: string, font: FontMetrics, size: number, letterSpacing = 0): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!, font, size) + letterSpacing;
  return w;
}

function charWidth(cp: number, font: FontMetrics, size: number): number {
  const a = font.advance(cp);
  // No glyph: count it as a full em so that a fallback face cannot overflow the line.
  return ((a ?? font.unitsPerEm) / font.unitsPerEm) * size;
}

export function breakLines(runs: readonly MeasureRun[], maxWidth: number): BrokenText {
  const text = runs.map((r) => r.text).join('');
  const n = text.length;
  const runOf = new Int32Array(n);
  const width = new Float64Array(n);
  const missing = new Set<number>();
  let pos = 0;
  runs.forEach((run, r) => {
    for (let i = 0; i < run.text.length; ) {
      const cp = run.text.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      for (let k = 0; k < units; k++) runOf[pos + i + k] = r;
      if (cp === 0x0a) width[pos + i] = 0;
      else {
        if (run.font.advance(cp) === null && !SPACE.test(String.fromCodePoint(cp)) && !isInvisible(cp)) missing.add(cp);
        width[pos + i] = isInvisible(cp) ? 0 : charWidth(cp, run.font, run.size) + run.letterSpacing;
      }
      i += units;
    }
    pos += run.text.length;
  });
  const sum = (a: number, b: number) => {
    let w = 0;
    for (let i = a; i < b; i++) w += width[i]!;
    return w;
  };
  const trimEnd = (a: number, b: number) => {
    while (b > a && SPACE.test(text[b - 1]!)) b--;
    return b;
  };

  const ranges: [number, number][] = [];
  let lineStart = 0;
  let lineWidth = 0;
  const breaker = new LineBreaker(text);
  let prev = 0;
  for (let brk = breaker.nextBreak(); brk; brk = breaker.nextBreak()) {
    const end = brk.position;
    const segTrimmed = trimEnd(prev, end);
    const segFull = sum(prev, end);
    const segVisible = sum(prev, segTrimmed);
    if (lineWidth > 0 && lineWidth + segVisible > maxWidth + 1e-6) {
      ranges.push([lineStart, trimEnd(lineStart, prev)]);
      lineStart = prev;
      lineWidth = 0;
    }
    if (segVisible > maxWidth + 1e-6) {
      // One unbreakable piece wider than the line: cut it between grapheme clusters.
      let chunkStart = lineStart;
      let w = lineWidth;
      for (const { index } of graphemes.segment(text.slice(prev, segTrimmed))) {
        const at = prev + index;
        const next = nextGrapheme(text, at, segTrimmed);
        const gw = sum(at, next);
        if (w > 0 && w + gw > maxWidth + 1e-6) {
          ranges.push([chunkStart, at]);
          chunkStart = at;
          w = 0;
        }
        w += gw;
      }
      lineStart = chunkStart;
      lineWidth = w + sum(segTrimmed, end);
    } else {
      lineWidth += segFull;
    }
    if (brk.required) {
      let stop = end;
      while (stop > lineStart && /[\n\r\u2028\u2029\u000b\u000c\u0085]/.test(text[stop - 1]!)) stop--;
      ranges.push([lineStart, trimEnd(lineStart, stop)]);
      lineStart = end;
      lineWidth = 0;
    }
    prev = end;
  }
  if (lineStart < n || ranges.length === 0) ranges.push([lineStart, trimEnd(lineStart, n)]);

  const lines = ranges.map(([a, b]): Line => {
    const fragments: LineFragment[] = [];
    let x = 0;
    let i = a;
    while (i < b) {
      const r = runOf[i]!;
      let j = i;
      while (j < b && runOf[j] === r) j++;
      const w = sum(i, j);
      fragments.push({ run: r, text: text.slice(i, j), x, width: w });
      x += w;
      i = j;
    }
    return { fragments, width: x };
  });
  return { lines, missing: [...missing] };
}

function nextGrapheme(text: string, at: number, limit: number): number {
  for (const { index } of graphemes.segment(text.slice(at, limit))) if (index > 0) return at + index;
  return limit;
}

/** Zero-width characters that no font needs a glyph for. */
function isInvisible(cp: number): boolean {
  return cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}
