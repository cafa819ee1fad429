// Moving and scaling placed pieces (memo lines onto pages, a slide onto a notes page).
import type { Placed } from '../model/layout.js';

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
