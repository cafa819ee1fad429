// Line breaking on real font metrics: UAX #14 break opportunities (the `linebreak` package,
// which already keeps closing punctuation such as ，。、」 off a line start and opening
// punctuation such as 「（ off a line end), tailored so that a number stays with its unit
// (`5 GW`, `2030 年`). Lines are filled greedily; a word longer than the line is broken between
// grapheme clusters.
import LineBreaker from 'linebreak';
import { UNIT_AFTER_SPACE } from '../localize/spacing.js';
import { type FaceChain, faceFor, isCjk, isWeak } from './font-metrics.js';

export interface MeasureRun {
  text: string;
  chain: FaceChain;
  size: number;
  /** Extra advance after every character, in points. */
  letterSpacing: number;
}

export interface LineFragment {
  run: number;
  /** Index of the face in the run's chain that sets this fragment. */
  face: number;
  text: string;
  /** Offset from the start of the line, in points. */
  x: number;
  width: number;
}

export interface Line {
  fragments: LineFragment[];
  width: number;
  /** The last line of the paragraph, or a line ended by a hard break (never justified). */
  last: boolean;
  /**
   * The line was broken at a space, which is not drawn. A PDF keeps it at the line's end, unseen,
   * so that copied text and screen readers do not run the last word into the next line's first.
   */
  spaceAfter: boolean;
}

export interface BrokenText {
  lines: Line[];
  /** Code points no face had a glyph for. */
  missing: number[];
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const SPACE = /\s/;
const LETTER = /[A-Za-z]/;
const SCHEME = /[A-Za-z0-9+.-]/;

/** Width of `text` in points, as the breaker measures it. */
export function measureText(text: string, chain: FaceChain, size: number, letterSpacing = 0): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!, chain, size).width + letterSpacing;
  return w;
}

function charWidth(cp: number, chain: FaceChain, size: number): { width: number; face: number } {
  const face = faceFor(chain, cp);
  const font = chain.faces[Math.max(0, face)]!;
  // No glyph anywhere: count a full em so the fallback a viewer picks cannot overflow the line.
  let width = ((face < 0 ? font.unitsPerEm : font.advance(cp)!) / font.unitsPerEm) * size;
  if (chain.widestWeak && isWeak(cp)) {
    for (const f of chain.faces) width = Math.max(width, ((f.advance(cp) ?? 0) / f.unitsPerEm) * size);
  }
  return { width, face: Math.max(0, face) };
}

/** Break opportunities UAX #14 allows but a reader would not: between a number and its unit. */
function keepsTogether(text: string, position: number, urls: readonly Url[]): boolean {
  const before = text[position - 1] ?? '';
  // A URL breaks only after a slash of its path: never inside `https://`, and never at a hyphen,
  // which would read as one added by hyphenation.
  const u = urlAround(urls, position);
  if (u) return position <= u.pathStart || before !== '/';
  const beforeThat = text[position - 2] ?? '';
  const after = text.codePointAt(position) ?? 0;
  if (/\d/.test(before) && isCjk(after) && !isPunctuation(after)) return true; // 2030年
  if (before === ' ' && /\d/.test(beforeThat)) {
    if (isCjk(after) && !isPunctuation(after)) return true; // 2030 年
    if (UNIT_AFTER_SPACE.test(text.slice(position, position + 6))) return true; // 5 GW, 24 h
  }
  return false;
}

interface Url {
  start: number;
  end: number;
  /** Just after `://`: no break before it. */
  pathStart: number;
}

/**
 * Where the text's URLs are (`scheme://…` up to the next space), computed once per text: what
 * /[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+/g matches, found from each `://` instead, because that
 * expression backtracks over a long run of letters from every letter in it (quadratic).
 */
function urlsIn(text: string): Url[] {
  const urls: Url[] = [];
  for (let from = 0, sep = text.indexOf('://'); sep >= 0; sep = text.indexOf('://', from)) {
    let start = sep;
    while (start > from && SCHEME.test(text[start - 1]!)) start--;
    while (start < sep && !LETTER.test(text[start]!)) start++;
    if (start === sep || sep + 3 >= text.length || SPACE.test(text[sep + 3]!)) {
      from = sep + 1;
      continue;
    }
    let end = sep + 4;
    while (end < text.length && !SPACE.test(text[end]!)) end++;
    urls.push({ start, end, pathStart: sep + 3 });
    from = end;
  }
  return urls;
}

/** The URL `position` is inside, if any. URLs are in order and apart, so a bisection finds it. */
function urlAround(urls: readonly Url[], position: number): Url | undefined {
  let lo = 0;
  let hi = urls.length;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (urls[mid]!.start < position) lo = mid + 1;
    else hi = mid;
  }
  const u = urls[lo - 1];
  return u && position < u.end ? u : undefined;
}

function isPunctuation(cp: number): boolean {
  return (
    (cp >= 0x3000 && cp <= 0x303f) ||
    (cp >= 0xff00 && cp <= 0xff0f) ||
    (cp >= 0xff1a && cp <= 0xff20) ||
    (cp >= 0xff3b && cp <= 0xff40) ||
    (cp >= 0xff5b && cp <= 0xff65)
  );
}

/** Positions where a line may break (UAX #14 with the number-and-unit tailoring). */
export function breakOpportunities(text: string): number[] {
  const breaks = breaksIn(text);
  // breaksIn keeps a hard break even where the tailoring would join; here it does not.
  const urls = breaks.some((b) => b.required && b.position < text.length) ? urlsIn(text) : [];
  return breaks
    .filter((b) => b.position < text.length && !(b.required && keepsTogether(text, b.position, urls)))
    .map((b) => b.position);
}

/**
 * Where a text may and must break (UAX #14 with the number-and-unit tailoring), in order. The
 * same text is broken at many widths and sizes while fitting; its opportunities are found once.
 */
const opportunitiesOf = new Map<string, readonly { position: number; required: boolean }[]>();
let opportunityChars = 0;
function breaksIn(text: string): readonly { position: number; required: boolean }[] {
  let out = opportunitiesOf.get(text);
  if (out) return out;
  const found: { position: number; required: boolean }[] = [];
  const breaker = new LineBreaker(text);
  const urls = urlsIn(text);
  for (let brk = breaker.nextBreak(); brk; brk = breaker.nextBreak()) {
    if (!brk.required && brk.position < text.length && keepsTogether(text, brk.position, urls)) continue;
    found.push({ position: brk.position, required: brk.required });
  }
  if (opportunitiesOf.size >= REMEMBER_AT_MOST || opportunityChars + text.length > REMEMBER_AT_MOST_CHARS) {
    opportunitiesOf.clear();
    opportunityChars = 0;
  }
  out = found;
  opportunitiesOf.set(text, out);
  opportunityChars += text.length;
  return out;
}

/**
 * Fitting measures the same paragraph many times (every size step, every drop round, every memo
 * attempt). Breaking is a pure function of its inputs, so results are remembered, keyed by the
 * faces' files, sizes, spacing, text and width. Bounded: cleared when full.
 */
const remembered = new Map<string, BrokenText>();
const REMEMBER_AT_MOST = 5_000;
// Counted in characters too: a few huge paragraphs, each measured at many sizes, would otherwise
// hold gigabytes of keys and lines.
const REMEMBER_AT_MOST_CHARS = 5_000_000;
let rememberedChars = 0;
const chainIds = new WeakMap<FaceChain, number>();
let nextChainId = 1;

function chainId(chain: FaceChain): number {
  let id = chainIds.get(chain);
  if (id === undefined) {
    id = nextChainId++;
    chainIds.set(chain, id);
  }
  return id;
}

/** Characters of text asked to be broken into lines, and how many of them were not remembered. */
export const breakWork = { asked: 0, broken: 0 };

/** Forgets every remembered break (tests that count the work of one build start from nothing). */
export function forgetLineBreaks(): void {
  remembered.clear();
  rememberedChars = 0;
}

export function breakLines(runs: readonly MeasureRun[], maxWidth: number): BrokenText {
  let key = `${maxWidth.toFixed(3)}`;
  let chars = 0;
  for (const r of runs) {
    key += `\u0001${chainId(r.chain)}\u0002${r.size}\u0002${r.letterSpacing}\u0002${r.text}`;
    chars += r.text.length;
  }
  breakWork.asked += chars;
  const hit = remembered.get(key);
  if (hit) return hit;
  breakWork.broken += chars;
  const broken = breakLinesNow(runs, maxWidth);
  if (remembered.size >= REMEMBER_AT_MOST || rememberedChars + key.length > REMEMBER_AT_MOST_CHARS) {
    remembered.clear();
    rememberedChars = 0;
  }
  remembered.set(key, broken);
  rememberedChars += key.length;
  return broken;
}

function breakLinesNow(runs: readonly MeasureRun[], maxWidth: number): BrokenText {
  const text = runs.map((r) => r.text).join('');
  const n = text.length;
  const runOf = new Int32Array(n);
  const faceOf = new Int8Array(n);
  const width = new Float64Array(n);
  const missing = new Set<number>();
  let pos = 0;
  runs.forEach((run, r) => {
    for (let i = 0; i < run.text.length; ) {
      const cp = run.text.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      const at = pos + i;
      for (let k = 0; k < units; k++) runOf[at + k] = r;
      if (cp === 0x0a || isInvisible(cp)) {
        width[at] = 0;
        faceOf[at] = at > 0 ? faceOf[at - 1]! : 0;
      } else {
        if (faceFor(run.chain, cp) < 0 && !SPACE.test(String.fromCodePoint(cp))) missing.add(cp);
        const { width: w, face } = charWidth(cp, run.chain, run.size);
        width[at] = w + run.letterSpacing;
        faceOf[at] = face;
      }
      if (units === 2) faceOf[at + 1] = faceOf[at]!;
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

  // Each line: start, end, whether it ends the paragraph or at a hard break, whether it ended at a space.
  const ranges: [number, number, boolean, boolean][] = [];
  let lineStart = 0;
  let lineWidth = 0;
  let prev = 0;
  for (const brk of breaksIn(text)) {
    const end = brk.position;
    const segTrimmed = trimEnd(prev, end);
    const segFull = sum(prev, end);
    const segVisible = sum(prev, segTrimmed);
    if (lineWidth > 0 && lineWidth + segVisible > maxWidth + 1e-6) {
      const b = trimEnd(lineStart, prev);
      ranges.push([lineStart, b, false, b < prev]);
      lineStart = prev;
      lineWidth = 0;
    }
    if (segVisible > maxWidth + 1e-6) {
      // One unbreakable piece wider than the line: cut it between grapheme clusters.
      let chunkStart = lineStart;
      let w = lineWidth;
      // One pass over the clusters, looking one ahead: segmenting the rest of the piece again at
      // every cluster would be quadratic in the piece's length.
      const clusters = clusterStarts(text, prev, segTrimmed);
      for (let c = clusters.next(); !c.done; ) {
        const at = c.value;
        c = clusters.next();
        const next = c.done ? segTrimmed : c.value;
        const gw = sum(at, next);
        if (w > 0 && w + gw > maxWidth + 1e-6) {
          ranges.push([chunkStart, at, false, false]);
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
      const b = trimEnd(lineStart, stop);
      // A space before a hard break (as a balanced title keeps) was a space between words.
      ranges.push([lineStart, b, true, b < stop]);
      lineStart = end;
      lineWidth = 0;
    }
    prev = end;
  }
  if (lineStart < n || ranges.length === 0) ranges.push([lineStart, trimEnd(lineStart, n), true, false]);
  if (ranges.length > 0) {
    ranges[ranges.length - 1]![2] = true;
    ranges[ranges.length - 1]![3] = false;
  }

  const lines = ranges.map(([a, b, last, spaceAfter]): Line => {
    const fragments: LineFragment[] = [];
    let x = 0;
    let i = a;
    while (i < b) {
      const r = runOf[i]!;
      const f = faceOf[i]!;
      let j = i;
      while (j < b && runOf[j] === r && faceOf[j] === f) j++;
      const w = sum(i, j);
      fragments.push({ run: r, face: f, text: text.slice(i, j), x, width: w });
      x += w;
      i = j;
    }
    return { fragments, width: x, last, spaceAfter };
  });
  return { lines, missing: [...missing] };
}

/** A fragment's text, with the space its line was broken at when it is the line's last (see Line.spaceAfter). */
export function withSpace(text: string, line: Line, k: number): string {
  return line.spaceAfter && k === line.fragments.length - 1 ? `${text} ` : text;
}

/**
 * A paragraph broken at `width`, or a little narrower when that leaves a character or two alone on
 * its last line (`出。`) and the narrower break has as many lines with a fuller last one.
 */
export function noLoneLastCharacter(breakAt: (width: number) => BrokenText, width: number, size: number): BrokenText {
  const broken = breakAt(width);
  // A note mark such as `[1]` does not count: `益[1]` is still one character alone.
  // The spaces before the mark are trimmed apart: a leading `\s*` in the expression would be tried
  // from every space of a long run of them (quadratic).
  const lastChars = (b: BrokenText) => {
    const text = b.lines
      .at(-1)!
      .fragments.map((f) => f.text)
      .join('');
    const mark = /\[\d+\][。．.]?$/.exec(text);
    return [...(mark ? text.slice(0, mark.index).trimEnd() : text)].length;
  };
  if (broken.lines.length < 2 || lastChars(broken) > 2) return broken;
  const tighter = breakAt(width - size * 1.5);
  return tighter.lines.length === broken.lines.length && lastChars(tighter) > lastChars(broken) ? tighter : broken;
}

/**
 * Where the grapheme clusters of text[start, end) start. V8's segmenter spends time in proportion
 * to the length of the string it segments on every cluster it yields, so a long piece is fed to it
 * a window at a time. No rule for a break before a code point looks past that code point, so every
 * start in a window is a true start; only the window's last cluster may be cut short, and the next
 * window begins with it.
 */
function* clusterStarts(text: string, start: number, end: number): Generator<number> {
  const WINDOW = 128;
  let from = start;
  let span = WINDOW;
  while (from < end) {
    // Two ASCII characters always have a cluster break between them, except CR LF; asking the
    // segmenter costs far more.
    const c = text.charCodeAt(from);
    const d = text.charCodeAt(from + 1);
    if (from + 1 < end && c < 0x80 && d < 0x80 && !(c === 0x0d && d === 0x0a)) {
      yield from++;
      continue;
    }
    let to = Math.min(end, from + span);
    // A window that cut a surrogate pair would see a lone surrogate, which always breaks.
    if (to < end && /[\ud800-\udbff]/.test(text[to - 1]!) && /[\udc00-\udfff]/.test(text[to]!)) to++;
    const starts: number[] = [];
    for (const { index } of graphemes.segment(text.slice(from, to))) starts.push(from + index);
    if (to === end) {
      yield* starts;
      return;
    }
    if (starts.length === 1) {
      span *= 2; // one cluster fills the window: it may go on past it
      continue;
    }
    const last = starts.pop()!;
    yield* starts;
    from = last;
    span = WINDOW;
  }
}

/** Zero-width characters that no font needs a glyph for. */
function isInvisible(cp: number): boolean {
  return (
    cp === 0x200b ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x2060 ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}
