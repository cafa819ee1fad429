// Moving and scaling placed pieces (memo lines onto pages, a slide onto a notes page).
import type { ChartMark, Placed } from '../model/layout.js';
import type { Decor } from './layout-chart.js';

/** `it` moved by (dx, dy). */
export function offsetPlaced(it: Placed, dx: number, dy: number): Placed {
  return transformPlaced(it, 1, dx, dy);
}

/** `it` scaled by `s` about the origin, then moved by (dx, dy); text sizes and line widths scale too. */
export function transformPlaced(it: Placed, s: number, dx: number, dy: number): Placed {
  const x = (v: number) => v * s + dx;
  const y = (v: number) => v * s + dy;
  switch (it.type) {
    case 'text':
      return { ...it, x: x(it.x), y: y(it.y), size: it.size * s, charSpacing: it.charSpacing * s };
    case 'rect':
    case 'image':
      return { ...it, x: x(it.x), y: y(it.y), w: it.w * s, h: it.h * s };
    case 'line':
      return { ...it, x1: x(it.x1), y1: y(it.y1), x2: x(it.x2), y2: y(it.y2), width: it.width * s };
    case 'wedge':
    case 'dot':
      return { ...it, cx: x(it.cx), cy: y(it.cy), r: it.r * s };
    case 'polyline':
      return { ...it, points: it.points.map((p) => ({ x: x(p.x), y: y(p.y) })), width: it.width * s };
  }
}

/** A chart's marks as pieces a PDF draws. */
export function chartMarkPieces(marks: readonly ChartMark[]): Placed[] {
  return marks.map((m): Placed => {
    if (m.type === 'wedge')
      return { type: 'wedge', cx: m.cx, cy: m.cy, r: m.r, start: m.start, end: m.end, fill: m.color };
    if (m.type === 'rect') return { type: 'rect', x: m.x, y: m.y, w: m.w, h: m.h, fill: m.color };
    if (m.type === 'dot') return { type: 'dot', cx: m.cx, cy: m.cy, r: m.r, fill: m.color };
    return { type: 'polyline', points: m.points, color: m.color, width: m.width };
  });
}

/** A chart's decoration (keys' swatches, tracks, a baseline) as pieces a PDF draws. */
export function decorPieces(decor: readonly Decor[]): Placed[] {
  return decor.map(
    (d): Placed =>
      d.type === 'rect'
        ? { type: 'rect', x: d.x, y: d.y, w: d.w, h: d.h, fill: d.color }
        : { type: 'line', x1: d.x, y1: d.y, x2: d.x + d.w, y2: d.y + d.h, color: d.color, width: d.width },
  );
}
