// Choosing font sizes: the largest sizes at which every paragraph of a group of text boxes fits
// its box, measured line by line. Boxes in one group share a scale, so columns and cards match.
import { cjkSpacing } from '../localize/spacing.js';
import type { BoxFit, FontStyle, SlideParagraph, SlideTextBox, TextRun } from '../model/layout.js';
import type { RoleStyle } from '../model/theme.js';
import { breakLines, breakOpportunities, measureText } from './break-lines.js';
import type { FontBook } from './font-metrics.js';

export interface RunSpec {
  text: string;
  style: FontStyle;
  color: string;
  href: string | null;
}

export interface ParaSpec {
  runs: RunSpec[];
  role: string;
  bullet: null | { type: 'char' } | { type: 'number'; start: number };
  align: 'left' | 'center' | 'right';
  /** Space before, in units of the paragraph's font size (ignored for a box's first paragraph). */
  spaceBefore: number;
}

/** A text box before fitting: the slide box's geometry, with paragraphs not yet sized. */
export type BoxSpec = Omit<SlideTextBox, 'type' | 'paragraphs' | 'fit'> & {
  paragraphs: ParaSpec[];
  /** Shrink the box to its text (plus half a line) after fitting, e.g. for a panel sized to content. */
  shrinkToContent?: boolean;
  /** After shrinking, take the height of the tallest box of the group that says so too (panels side by side). */
  sameHeight?: boolean;
};

export interface FitContext {
  fonts: FontBook;
  /** Fonts for roles marked `heading` in the theme; the body fonts when absent. */
  headingFonts?: FontBook;
  roles: Record<string, RoleStyle>;
  lang: string;
  bullet: { char: string; indent: number; color: string };
  widthReserve: number;
  spareLines: number;
  /** Multiplies every role's line height (Chinese needs more leading than Latin text). */
  lineHeightScale: number;
}

/**
 * A size for every role at scale `t` (0 = largest, 1 = smallest): a step of the theme's type scale
 * when the role has steps, else on a half-point grid.
 */
function sizeAt(role: RoleStyle, t: number): number {
  if (Array.isArray(role.steps) && role.steps.length > 0) return role.steps[Math.round(t * (role.steps.length - 1))]!;
  return Math.round((role.max - t * (role.max - role.min)) * 2) / 2;
}

/** How many sizes apart a role's largest and smallest are: its steps, or half points. */
function gridOf(role: RoleStyle): number {
  if (Array.isArray(role.steps) && role.steps.length > 0) return role.steps.length - 1;
  return Math.ceil((role.max - role.min) / 0.5);
}

function bookOf(ctx: FitContext, role: RoleStyle): FontBook {
  return role.heading && ctx.headingFonts ? ctx.headingFonts : ctx.fonts;
}

function roleOf(ctx: FitContext, name: string): RoleStyle {
  const r = Object.hasOwn(ctx.roles, name) ? ctx.roles[name] : undefined;
  if (!r) throw new Error(`theme has no text role \`${name}\``);
  // Chinese has no italic: a slanted CJK face is a fake oblique. An italic role is set upright.
  return r.italic && ctx.lang.startsWith('zh') ? { ...r, italic: false } : r;
}

export function indentOf(p: ParaSpec, ctx: FitContext, size: number): number {
  if (!p.bullet) return 0;
  return p.bullet.type === 'char' ? ctx.bullet.indent : Math.max(ctx.bullet.indent, size * 1.35);
}

interface Measured {
  height: number;
  /** Whether any line was broken for width (not at a hard break): only then can PowerPoint break differently. */
  wraps: boolean;
  lines: number[];
  sizes: number[];
  missing: number[];
  pitch: number;
}

function measureBox(box: BoxSpec, ctx: FitContext, t: number): Measured {
  let height = 0;
  const lines: number[] = [];
  const sizes: number[] = [];
  const missing: number[] = [];
  let pitch = 0;
  let wraps = false;
  box.paragraphs.forEach((p, i) => {
    const role = roleOf(ctx, p.role);
    const size = sizeAt(role, t);
    const indent = indentOf(p, ctx, size);
    const width = (box.w - box.insets.l - box.insets.r - indent) * (1 - ctx.widthReserve);
    const broken = breakLines(
      p.runs.map((r) => ({
        text: role.caps ? r.text.toUpperCase() : r.text,
        chain: bookOf(ctx, role).styles[styleFor(r.style, role)],
        size,
        letterSpacing: role.letterSpacing ?? 0,
      })),
      width,
    );
    const count = broken.lines.length;
    const hardLines = 1 + p.runs.reduce((n, r) => n + (r.text.match(/\n/g)?.length ?? 0), 0);
    if (count > hardLines) wraps = true;
    const linePitch = size * role.lineHeight * ctx.lineHeightScale;
    pitch = Math.max(pitch, linePitch);
    height += (i > 0 ? p.spaceBefore * size : 0) + count * linePitch;
    lines.push(count);
    sizes.push(size);
    // Not push(...): a spread of a long list overflows the stack.
    for (const cp of broken.missing) missing.push(cp);
  });
  return { height, lines, sizes, missing, pitch, wraps };
}

export function styleFor(style: FontStyle, role: RoleStyle): FontStyle {
  const bold = role.bold || style === 'bold' || style === 'boldItalic';
  const italic = role.italic || style === 'italic' || style === 'boldItalic';
  return bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';
}

/**
 * The height text may take: the box less the spare lines kept for PowerPoint's own line breaking,
 * which only a box with a wrapped line needs (lines that end at hard breaks break the same anywhere).
 */
function available(box: BoxSpec, m: Pick<Measured, 'pitch' | 'wraps'>, ctx: FitContext): number {
  const inner = box.h - box.insets.t - box.insets.b;
  return m.wraps ? inner - Math.min(ctx.spareLines * m.pitch, 0.15 * inner) : inner;
}

/** 2048 pt of range on the half-point grid: far more than any sane role spans. */
const MAX_STEPS = 4096;

export interface FittedGroup {
  boxes: SlideTextBox[];
  overflow: boolean;
  missing: number[];
}

/**
 * Fits a group of boxes at one shared scale: the largest sizes at which all fit, or the smallest
 * sizes (marked overflow) when nothing fits.
 */
export function fitGroup(boxes: readonly BoxSpec[], ctx: FitContext): FittedGroup {
  // Half-point steps, but never so many that an absurd range (1e-6 to 1e9 pt) makes the search
  // long: past MAX_STEPS the grid is coarser. Not Math.max(...): a spread of a long list overflows
  // the stack.
  let steps = 1;
  for (const b of boxes) {
    for (const p of b.paragraphs) {
      const r = roleOf(ctx, p.role);
      steps = Math.max(steps, Math.min(MAX_STEPS, gridOf(r)));
    }
  }
  const fitsAt = (k: number) => {
    const t = k / steps;
    const measured = boxes.map((b) => measureBox(b, ctx, t));
    return { ok: measured.every((m, i) => m.height <= available(boxes[i]!, m, ctx) + 1e-6), measured };
  };
  // Sizes shrink monotonically with k, so the first k that fits is found by bisection.
  let best = fitsAt(steps);
  if (best.ok) {
    let lo = 0;
    let hi = steps;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2); // `(lo + hi) >> 1` wraps past 2^31
      if (fitsAt(mid).ok) hi = mid;
      else lo = mid + 1;
    }
    best = fitsAt(lo);
  }
  const overflow = !best.ok;
  const laid = boxes.map((b, i) => toSlideBox(b, best.measured[i]!, ctx, overflow));
  return { boxes: laid, overflow, missing: [...new Set(best.measured.flatMap((m) => m.missing))] };
}

function toSlideBox(box: BoxSpec, m: Measured, ctx: FitContext, overflow: boolean): SlideTextBox {
  const paragraphs: SlideParagraph[] = box.paragraphs.map((p, i) => {
    const role = roleOf(ctx, p.role);
    const size = m.sizes[i]!;
    const book = bookOf(ctx, role);
    const chinese = book.styles.regular.preferEa;
    const runs: TextRun[] = p.runs.map((r) => {
      const text = role.caps ? r.text.toUpperCase() : r.text;
      return {
        text: chinese ? withoutAutospace(text) : text,
        style: styleFor(r.style, role),
        size,
        color: r.color,
        face: book.face,
        // A run with no CJK (a figure such as `2030`) names the Latin face in both slots, so every
        // viewer sets it in the same face whichever slot it picks for digits.
        eaFace: chinese && !/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(text) ? book.face : book.eaFace,
        lang: ctx.lang,
        href: r.href,
        charSpacing: role.letterSpacing ?? 0,
      };
    });
    const indent = indentOf(p, ctx, size);
    return {
      runs,
      role: p.role,
      align: p.align,
      bullet: !p.bullet
        ? null
        : p.bullet.type === 'char'
          ? { type: 'char', char: ctx.bullet.char, color: ctx.bullet.color, indent }
          : { type: 'number', start: p.bullet.start, color: ctx.bullet.color, indent },
      spaceBefore: i > 0 ? round(p.spaceBefore * size) : 0,
      spaceAfter: 0,
      lineHeight: round(size * role.lineHeight * ctx.lineHeightScale),
      lines: m.lines[i]!,
    };
  });
  const avail = available(box, m, ctx);
  const first = box.paragraphs[0];
  const role = first ? roleOf(ctx, first.role) : { max: 0, min: 0, lineHeight: 1 };
  const fit: BoxFit = {
    box: box.name,
    size: m.sizes[0] ?? 0,
    minSize: role.min,
    maxSize: role.max,
    linesUsed: m.lines.reduce((a, b) => a + b, 0),
    linesAvailable: m.pitch > 0 ? Math.floor(avail / m.pitch) : 0,
    slack: round(avail - m.height),
    overflow,
  };
  const h = box.shrinkToContent
    ? Math.min(box.h, round(m.height + box.insets.t + box.insets.b + m.pitch * 0.5))
    : box.h;
  return {
    type: 'text',
    name: box.name,
    role: box.role,
    placeholder: box.placeholder,
    x: box.x,
    y: box.y,
    w: box.w,
    h,
    insets: box.insets,
    valign: box.valign,
    paragraphs,
    fit,
  };
}

/**
 * Re-breaks a fitted two-line title so that it reads well: lines of similar length, preferably
 * broken after punctuation or a space, never leaving a lone word or character on the last line.
 * The chosen breaks are made explicit; size and line count stay as fitted.
 */
export function balanceLines(box: SlideTextBox, ctx: FitContext): SlideTextBox {
  const p = box.paragraphs[0];
  if (box.paragraphs.length !== 1 || !p || p.lines !== 2) return box;
  const first = p.runs[0]!;
  if (p.runs.some((r) => r.text.includes('\n') || r.style !== first.style || r.size !== first.size)) return box;
  const text = p.runs.map((r) => r.text).join('');
  const full = (box.w - box.insets.l - box.insets.r - (p.bullet?.indent ?? 0)) * (1 - ctx.widthReserve);
  const chain = bookOf(ctx, roleOf(ctx, box.role)).styles[first.style];
  const width = (s: string) => measureText(s.trim(), chain, first.size, first.charSpacing);
  let best: { at: number; score: number } | null = null;
  const opportunities = breakOpportunities(text);
  // Both halves are measured at every opportunity, which is quadratic; only hostile input makes a
  // two-line title this long, and it keeps the breaks it was fitted with.
  if (opportunities.length * text.length > 1_000_000) return box;
  for (const at of opportunities) {
    const a = width(text.slice(0, at));
    const b = width(text.slice(at));
    if (a > full || b > full) continue;
    const before = text[at - 1] ?? '';
    // Chinese reads best broken after a comma; mid-phrase breaks cost half a line.
    const natural = /[\s，、；：。！？,;:]/.test(before) || /[A-Za-z0-9]/.test(before);
    const score = Math.abs(a - b) + (natural ? 0 : full * 0.5);
    if (!best || score < best.score) best = { at, score };
  }
  if (!best) return box;
  // A space the break replaced stays before it: unseen, but copied text keeps its words apart.
  const head = text.slice(0, best.at).replace(/\s+$/, ' ');
  const tail = text.slice(best.at).replace(/^\s+/, '');
  // Keep each run's own properties: split the run that holds the break.
  const runs: TextRun[] = [];
  let pos = 0;
  for (const r of p.runs) {
    const start = pos;
    pos += r.text.length;
    if (best.at <= start || best.at >= pos) runs.push({ ...r });
    else
      runs.push({
        ...r,
        text: `${r.text.slice(0, best.at - start).replace(/\s+$/, ' ')}\n${r.text.slice(best.at - start).replace(/^\s+/, '')}`,
      });
  }
  if (runs.length === 1 || !runs.some((r) => r.text.includes('\n')))
    runs.splice(0, runs.length, { ...first, text: `${head}\n${tail}` });
  return { ...box, paragraphs: [{ ...p, runs }] };
}

/**
 * PowerPoint and LibreOffice put their own space between Chinese and Latin text; a space written
 * in the text would double it. Measurement keeps the space, so the box still has room.
 */
export function withoutAutospace(text: string): string {
  return cjkSpacing(text);
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Height the paragraphs of a fitted box take, in points. */
export function contentHeight(box: SlideTextBox): number {
  return box.paragraphs.reduce((h, p) => h + p.spaceBefore + p.lines * p.lineHeight, 0);
}
