// layout: a chart in a frame → where its plot sits, the marks it draws, and its labels as text
// boxes. Pure. Every label is ordinary slide text, measured to fit like the rest; the chart itself
// carries no text. PowerPoint draws the native chart inside the plot rectangle given here (a
// manual layout, fixed axis ends and bar gaps), so its marks land where `marks` says, and a PDF
// draws `marks` directly: the two outputs show the same chart.
import { type ChartSpec, formatChartValue } from '../model/chart.js';
import type { ChartMark } from '../model/layout.js';
import type { Theme } from '../model/theme.js';
import { breakOpportunities } from './break-lines.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A label to set as a text box: one or two paragraphs in the chart's label roles. */
export interface ChartLabel {
  name: string;
  rect: Rect;
  align: 'left' | 'center' | 'right';
  valign: 'top' | 'middle' | 'bottom';
  paragraphs: { text: string; role: 'chartValue' | 'chartLabel'; color: string }[];
}

export interface ChartLayout {
  /** The plot rectangle (the pie's square, or the bars' extent). */
  plot: Rect;
  /** The value axis's ends (bar, column, line). */
  axis: { min: number; max: number } | null;
  /** Gap between bars, as a percentage of a bar's thickness (PowerPoint's gap width). */
  gapWidth: number;
  /** What the chart itself draws (PowerPoint natively; a PDF as vector graphics). */
  marks: ChartMark[];
  /** Rectangles and lines beside the chart (keys' swatches, tracks, a baseline): ordinary shapes. */
  decor: Decor[];
  labels: ChartLabel[];
  /**
   * Why the chart cannot be drawn legibly in this frame, or null: its labels would overlap, or
   * not fit their places at the smallest size allowed (`style.minScale`), or its data cannot be
   * drawn. A short phrase such as `its keys need more room than the chart has`. Callers refuse
   * such a chart (a memo leaves it out, a deck reports an error) instead of drawing it.
   */
  problem: string | null;
}

export type Decor =
  | { type: 'rect'; name: string; x: number; y: number; w: number; h: number; color: string }
  | { type: 'line'; name: string; x: number; y: number; w: number; h: number; color: string; width: number };

export interface ChartStyle {
  colors: string[];
  ink: string;
  muted: string;
  /** Tracks and baselines. */
  track: string;
  /** Label text size (for the room labels need; the fitting may make them smaller). */
  size: number;
  /** The width of a label's text at its role's largest size, for reserving room beside bars. */
  measure: (text: string, role: 'chartValue' | 'chartLabel') => number;
  /**
   * How far the caller's fitting may shrink each role below `size` and `measure`, as a fraction
   * (the theme's smallest size over its largest); 1 (the default) when labels are set as
   * measured. Readability is judged at these smallest sizes.
   */
  minScale?: { chartValue: number; chartLabel: number };
}

/** The theme's chart colours, or ones made from its palette. */
export function chartColors(theme: Theme): string[] {
  const c = theme.colors;
  return c.chart && c.chart.length > 0 ? c.chart : [c.accent, 'A9B6C2', c.primary, '7FB7B6', c.muted, c.rule];
}

const GAP_WIDTH = 60;

/**
 * No chart is laid out with more categories than this. A content pack allows at most 12 (a pie 6:
 * see `chartProblems` in src/load/load-pack.ts); a chart block written by a template is not
 * checked there, and thousands of labels must not be measured only to be refused.
 */
const MOST_CATEGORIES = 24;

export function layoutChart(spec: ChartSpec, frame: Rect, style: ChartStyle): ChartLayout {
  const refused = (problem: string): ChartLayout => ({
    plot: { ...frame },
    axis: null,
    gapWidth: GAP_WIDTH,
    marks: [],
    decor: [],
    labels: [],
    problem,
  });
  const n = spec.categories.length;
  if (n === 0 || spec.values.length !== n || !spec.values.every((v) => Number.isFinite(v)))
    return refused('its values are not one finite number per category');
  if (n > MOST_CATEGORIES) return refused(`its ${n} categories are too many to label`);
  if (spec.max !== null && !(Number.isFinite(spec.max) && spec.max > 0))
    return refused('its axis maximum is not a number above 0');
  if (spec.kind === 'pie') {
    if (spec.values.some((v) => v < 0)) return refused('a pie cannot show values below zero');
    const total = spec.values.reduce((s, v) => s + v, 0);
    if (!(total > 0 && Number.isFinite(total))) return refused('a pie needs parts above zero, and a finite total');
    // Each part's colour is its key: two parts of one colour could not be told apart.
    if (n > style.colors.length)
      return refused(`its ${n} parts need ${n} colours, and the theme has ${style.colors.length}`);
  }
  const laid =
    spec.kind === 'pie'
      ? pie(spec, frame, style)
      : spec.kind === 'bar'
        ? bars(spec, frame, style)
        : columns(spec, frame, style);
  return { ...laid, problem: laid.problem ?? overlapping(laid.labels) };
}

/** The height of one line of label text at its smallest size: a place lower than this cannot be read. */
function lineOf(style: ChartStyle): number {
  return style.size * (style.minScale?.chartLabel ?? 1) * 1.15;
}

/**
 * The width a paragraph needs at its smallest size: a value whole (a number must not wrap), a
 * name its widest piece that no line break can split (a word; a Chinese character breaks anywhere).
 */
function widthNeeded(text: string, role: 'chartValue' | 'chartLabel', style: ChartStyle): number {
  const scale = style.minScale?.[role] ?? 1;
  if (role === 'chartValue') return style.measure(text, role) * scale;
  const cuts = [0, ...breakOpportunities(text), text.length];
  let widest = 0;
  for (let i = 1; i < cuts.length; i++) {
    const word = text.slice(cuts[i - 1], cuts[i]).trim();
    if (word) widest = Math.max(widest, style.measure(word, role));
  }
  return widest * scale;
}

/** Whether a label's place is lower than a line per paragraph, or narrower than a word, at the smallest sizes. */
function tooSmall(labels: readonly ChartLabel[], style: ChartStyle): boolean {
  const line = lineOf(style);
  return labels.some(
    (l) =>
      l.rect.h + 1e-6 < l.paragraphs.length * line ||
      l.paragraphs.some((p) => widthNeeded(p.text, p.role, style) > l.rect.w + 1e-6),
  );
}

/** `its labels would overlap` when two label rectangles share any area, or one has none. */
function overlapping(labels: readonly ChartLabel[]): string | null {
  const eps = 1e-6;
  for (const [i, a] of labels.entries()) {
    if (!(a.rect.w > 0 && a.rect.h > 0)) return 'there is no room for its labels';
    for (const b of labels.slice(i + 1)) {
      if (
        a.rect.x + a.rect.w > b.rect.x + eps &&
        b.rect.x + b.rect.w > a.rect.x + eps &&
        a.rect.y + a.rect.h > b.rect.y + eps &&
        b.rect.y + b.rect.h > a.rect.y + eps
      )
        return 'its labels would overlap';
    }
  }
  return null;
}

function color(style: ChartStyle, i: number): string {
  return style.colors[i % style.colors.length]!;
}

/** The value axis: from 0 (or the lowest value) to `max`, or to the highest value. */
function axisOf(spec: ChartSpec): { min: number; max: number } {
  const min = Math.min(0, ...spec.values);
  const top = Math.max(...spec.values);
  const max = spec.max ?? (top > min ? top : min + 1);
  return { min, max };
}

/** A pie on the left, and beside it one key per part: a swatch, the value, the category. */
function pie(spec: ChartSpec, frame: Rect, style: ChartStyle): ChartLayout {
  const d = Math.min(frame.h, frame.w * 0.5);
  const plot: Rect = { x: frame.x, y: frame.y + (frame.h - d) / 2, w: d, h: d };
  const total = spec.values.reduce((s, v) => s + v, 0) || 1;
  const marks: ChartMark[] = [];
  let angle = 0;
  spec.values.forEach((v, i) => {
    const sweep = (v / total) * 360;
    if (sweep > 0)
      marks.push({
        type: 'wedge',
        cx: plot.x + d / 2,
        cy: plot.y + d / 2,
        r: d / 2,
        start: angle,
        end: angle + sweep,
        color: color(style, i),
      });
    angle += sweep;
  });
  // The keys, stacked and centred beside the pie.
  const keyX = plot.x + d + 24;
  const keyW = frame.x + frame.w - keyX;
  const n = spec.categories.length;
  const rowH = Math.min(style.size * 5, frame.h / n);
  const top = frame.y + (frame.h - rowH * n) / 2;
  const swatch = style.size * 0.9;
  const decor: Decor[] = [];
  const labels: ChartLabel[] = spec.categories.map((c, i) => {
    decor.push({
      type: 'rect',
      name: `Chart key ${i + 1} swatch`,
      x: keyX,
      y: top + i * rowH + style.size * 0.45,
      w: swatch,
      h: swatch,
      color: color(style, i),
    });
    return {
      name: `Chart key ${i + 1}`,
      rect: { x: keyX + swatch + 8, y: top + i * rowH, w: keyW - swatch - 8, h: rowH },
      align: 'left',
      valign: 'top',
      paragraphs: [
        { text: formatChartValue(spec.values[i]!, spec.unit), role: 'chartValue', color: style.ink },
        { text: c, role: 'chartLabel', color: style.muted },
      ],
    };
  });
  const problem =
    d < lineOf(style) * 2 || tooSmall(labels, style) ? 'its keys need more room than the chart has' : null;
  return { plot, axis: null, gapWidth: GAP_WIDTH, marks, decor, labels, problem };
}

/** Horizontal bars, the first category on top: names on the left, values at the bars' ends. */
function bars(spec: ChartSpec, frame: Rect, style: ChartStyle): ChartLayout {
  const axis = axisOf(spec);
  const n = spec.categories.length;
  const valueTexts = spec.values.map((v) => formatChartValue(v, spec.unit));
  const valueW = Math.max(...valueTexts.map((t) => style.measure(t, 'chartValue'))) + 10;
  const nameW = Math.min(frame.w * 0.34, Math.max(...spec.categories.map((c) => style.measure(c, 'chartLabel'))) + 12);
  // Bars no thicker than a comfortable band, centred in the frame when there are few.
  const band = Math.min(frame.h / n, style.size * 5.5);
  const plot: Rect = {
    x: frame.x + nameW,
    y: frame.y + (frame.h - band * n) / 2,
    w: frame.w - nameW - valueW,
    h: band * n,
  };
  const thick = band / (1 + GAP_WIDTH / 100);
  const xOf = (v: number) => plot.x + ((v - axis.min) / (axis.max - axis.min)) * plot.w;
  const marks: ChartMark[] = [];
  const decor: Decor[] = [];
  const labels: ChartLabel[] = [];
  spec.values.forEach((v, i) => {
    const y = plot.y + i * band + (band - thick) / 2;
    const x0 = xOf(Math.max(axis.min, Math.min(0, v)));
    const x1 = xOf(Math.max(0, v));
    marks.push({ type: 'rect', x: x0, y, w: Math.max(0, x1 - x0), h: thick, color: color(style, 0) });
    labels.push({
      name: `Chart category ${i + 1}`,
      rect: { x: frame.x, y: plot.y + i * band, w: nameW - 10, h: band },
      align: 'right',
      valign: 'middle',
      paragraphs: [{ text: spec.categories[i]!, role: 'chartLabel', color: style.ink }],
    });
    labels.push({
      name: `Chart value ${i + 1}`,
      rect: { x: x1 + 6, y: plot.y + i * band, w: valueW, h: band },
      align: 'left',
      valign: 'middle',
      paragraphs: [{ text: valueTexts[i]!, role: 'chartValue', color: style.ink }],
    });
  });
  if (spec.max !== null) {
    // The scale's end, so that a bar reads against its whole: a faint track behind each bar.
    spec.values.forEach((_, i) => {
      const y = plot.y + i * band + (band - thick) / 2;
      decor.push({
        type: 'rect',
        name: `Chart track ${i + 1}`,
        x: xOf(Math.max(0, axis.min)),
        y,
        w: xOf(axis.max) - xOf(Math.max(0, axis.min)),
        h: thick,
        color: style.track,
      });
    });
  }
  const problem =
    plot.w < lineOf(style) * 2
      ? 'there is no room for its bars beside their names'
      : tooSmall(labels, style)
        ? 'its names or values need more room than the chart has'
        : null;
  return { plot, axis, gapWidth: GAP_WIDTH, marks, decor, labels, problem };
}

/** Columns or a line: values above, category names below. */
function columns(spec: ChartSpec, frame: Rect, style: ChartStyle): ChartLayout {
  const axis = axisOf(spec);
  const n = spec.categories.length;
  const valueH = style.size * 2;
  const nameH = style.size * 3;
  const plot: Rect = { x: frame.x, y: frame.y + valueH, w: frame.w, h: frame.h - valueH - nameH };
  const band = plot.w / n;
  const thick = band / (1 + GAP_WIDTH / 100);
  // Labels keep a tenth of their band free, so that neighbours' names never run together.
  const labelW = band * 0.9;
  const yOf = (v: number) => plot.y + plot.h - ((v - axis.min) / (axis.max - axis.min)) * plot.h;
  const marks: ChartMark[] = [];
  const decor: Decor[] = [];
  const labels: ChartLabel[] = [];
  const points: { x: number; y: number }[] = [];
  spec.values.forEach((v, i) => {
    const cx = plot.x + i * band + band / 2;
    const top = yOf(Math.max(0, v));
    if (spec.kind === 'column') {
      const bottom = yOf(Math.max(axis.min, Math.min(0, v)));
      marks.push({
        type: 'rect',
        x: cx - thick / 2,
        y: top,
        w: thick,
        h: Math.max(0, bottom - top),
        color: color(style, 0),
      });
    } else {
      points.push({ x: cx, y: yOf(v) });
    }
    const labelY = spec.kind === 'column' ? top : yOf(v) - style.size * 0.6;
    labels.push({
      name: `Chart value ${i + 1}`,
      rect: { x: cx - labelW / 2, y: labelY - valueH, w: labelW, h: valueH },
      align: 'center',
      valign: 'bottom',
      paragraphs: [{ text: formatChartValue(v, spec.unit), role: 'chartValue', color: style.ink }],
    });
    labels.push({
      name: `Chart category ${i + 1}`,
      rect: { x: cx - labelW / 2, y: plot.y + plot.h + 4, w: labelW, h: nameH - 4 },
      align: 'center',
      valign: 'top',
      paragraphs: [{ text: spec.categories[i]!, role: 'chartLabel', color: style.ink }],
    });
  });
  if (spec.kind === 'line') {
    marks.push({ type: 'polyline', points, color: color(style, 0), width: 2.5 });
    for (const p of points) marks.push({ type: 'dot', cx: p.x, cy: p.y, r: 4, color: color(style, 0) });
  }
  decor.push({
    type: 'line',
    name: 'Chart baseline',
    x: plot.x,
    y: yOf(0),
    w: plot.w,
    h: 0,
    color: style.track,
    width: 0.75,
  });
  const problem =
    plot.h < lineOf(style) * 2
      ? 'there is no room for its columns between their values and names'
      : tooSmall(labels, style)
        ? 'its names or values are too wide for its columns'
        : null;
  return { plot, axis, gapWidth: GAP_WIDTH, marks, decor, labels, problem };
}
