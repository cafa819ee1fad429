// Keeping a box clear of what a reference's master draws (its logo, its bars).
import type { Rect } from '../model/reference.js';

/**
 * Moves a box off the pictures and shapes it overlaps: for each, the box gives up the side that
 * keeps it largest (a logo at the top right pushes a wide box down, or a tall one left).
 */
export function clearOf(box: Rect, obstacles: readonly Rect[], gap = 12): Rect {
  let r = box;
  for (const o of obstacles) {
    const ox = o.x - gap;
    const oy = o.y - gap;
    const ow = o.w + 2 * gap;
    const oh = o.h + 2 * gap;
    if (!(ox < r.x + r.w && r.x < ox + ow && oy < r.y + r.h && r.y < oy + oh)) continue;
    const candidates: Rect[] = [
      { ...r, y: oy + oh, h: r.y + r.h - (oy + oh) },
      { ...r, h: oy - r.y },
      { ...r, x: ox + ow, w: r.x + r.w - (ox + ow) },
      { ...r, w: ox - r.x },
    ].filter((c) => c.w > 0 && c.h > 0);
    if (candidates.length === 0) return { ...r, h: 0 };
    r = candidates.reduce((a, b) => (b.w * b.h > a.w * a.h ? b : a));
  }
  return { x: round2(r.x), y: round2(r.y), w: round2(r.w), h: round2(r.h) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
