// layout: a chart in a frame → where its plot sits, the marks it draws, and its labels as text
// boxes. Pure. Every label is ordinary slide text, measured to fit like the rest; the chart itself
// carries no text. PowerPoint draws the native chart inside the plot rectangle given here (a
// manual layout, fixed axis ends and bar gaps), so its marks land where `marks` says, and a PDF
// draws `marks` directly: the two outputs show the same chart.
import { type ChartSpec, formatChartValue } from '../model/chart.js';
import type { ChartMark } from '../model/layout.js';
import type { Theme } from '../model/theme.js';

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
}

export type Decor = { type: 'rect'; name: string; x: number; y: number; w: number; h: number; color: string } | { type: 'line'; name: string; x: number; y: number; w: number; h: number; color: string; width: number };

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
}

/** The theme's chart colours, or ones made from its palette. */
export function chartColors(theme: Theme): string[] {
  const c = theme.colors;
  return c.chart && c.chart.length > 0 ? c.chart : [c.accent, 'A9B6C2', c.primary, '7FB7B6', c.muted, c.rule];
}

const GAP_WIDTH = 60;

export function layoutChart(spec: ChartSpec, frame: Rect, style: ChartStyle): ChartLayout {
  if (spec.kind === 'pie') return pie(spec, frame, style);
  if (spec.kind === 'bar') return bars(spec, frame, style);
  return columns(spec, frame, style);
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
    if (sweep > 0) marks.push({ type: 'wedge', cx: plot.x + d / 2, cy: plot.y + d / 2, r: d / 2, start: angle, end: angle + sweep, color: color(style, i) });
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
    decor.push({ type: 'rect', name: `Chart key ${i + 1} swatch`, x: keyX, y: top + i * rowH + style.size * 0.45, w: swatch, h: swatch, color: color(style, i) });
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
  return { plot, axis: null, gapWidth: GAP_WIDTH, marks, decor, labels };
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
  const plot: Rect = { x: frame.x + nameW, y: frame.y + (frame.h - band * n) / 2, w: frame.w - nameW - valueW, h: band * n };
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
    labels.push({ name: `Chart category ${i + 1}`, rect: { x: frame.x, y: plot.y + i * band, w: nameW - 10, h: band }, align: 'right', valign: 'middle', paragraphs: [{ text: spec.categories[i]!, role: 'chartLabel', color: style.ink }] });
    labels.push({ name: `Chart value ${i + 1}`, rect: { x: x1 + 6, y: plot.y + i * band, w: valueW, h: band }, align: 'left', valign: 'middle', paragraphs: [{ text: valueTexts[i]!, role: 'chartValue', color: style.ink }] });
  });
  if (spec.max !== null) {
    // The scale's end, so that a bar reads against its whole: a faint track behind each bar.
    spec.values.forEach((_, i) => {
      const y = plot.y + i * band + (band - thick) / 2;
      decor.push({ type: 'rect', name: `Chart track ${i + 1}`, x: xOf(Math.max(0, axis.min)), y, w: xOf(axis.max) - xOf(Math.max(0, axis.min)), h: thick, color: style.track });
    });
  }
  return { plot, axis, gapWidth: GAP_WIDTH, marks, decor, labels };
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
      marks.push({ type: 'rect', x: cx - thick / 2, y: top, w: thick, h: Math.max(0, bottom - top), color: color(style, 0) });
    } else {
      points.push({ x: cx, y: yOf(v) });
    }
    const labelY = spec.kind === 'column' ? top : yOf(v) - style.size * 0.6;
    labels.push({ name: `Chart value ${i + 1}`, rect: { x: cx - band / 2, y: labelY - valueH, w: band, h: valueH }, align: 'center', valign: 'bottom', paragraphs: [{ text: formatChartValue(v, spec.unit), role: 'chartValue', color: style.ink }] });
    labels.push({ name: `Chart category ${i + 1}`, rect: { x: cx - band / 2, y: plot.y + plot.h + 4, w: band, h: nameH - 4 }, align: 'center', valign: 'top', paragraphs: [{ text: spec.categories[i]!, role: 'chartLabel', color: style.ink }] });
  });
  if (spec.kind === 'line') {
    marks.push({ type: 'polyline', points, color: color(style, 0), width: 2.5 });
    for (const p of points) marks.push({ type: 'dot', cx: p.x, cy: p.y, r: 4, color: color(style, 0) });
  }
  decor.push({ type: 'line', name: 'Chart baseline', x: plot.x, y: yOf(0), w: plot.w, h: 0, color: style.track, width: 0.75 });
  return { plot, axis, gapWidth: GAP_WIDTH, marks, decor, labels };
}
