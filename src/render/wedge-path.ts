// A pie slice as an SVG path, which the PDF renderer (pdfkit's `path`) and the SVG renderer both draw.

/** An SVG path for a pie slice, angles in degrees clockwise from 12 o'clock; a whole circle when it spans 360°. */
export function wedgePath(cx: number, cy: number, r: number, start: number, end: number): string {
  const at = (deg: number) => {
    const a = ((deg - 90) * Math.PI) / 180;
    return `${(cx + r * Math.cos(a)).toFixed(3)} ${(cy + r * Math.sin(a)).toFixed(3)}`;
  };
  if (end - start >= 359.999) return `M ${at(0)} A ${r} ${r} 0 1 1 ${at(180)} A ${r} ${r} 0 1 1 ${at(360)} Z`;
  const large = end - start > 180 ? 1 : 0;
  return `M ${cx.toFixed(3)} ${cy.toFixed(3)} L ${at(start)} A ${r} ${r} 0 ${large} 1 ${at(end)} Z`;
}
