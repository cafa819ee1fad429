// What the PDF renderer (pdfkit) reads from a font to embed it, read once up front: a damaged
// table then fails where the file can be named (`briefing check`, or when the renderer opens the
// font), not halfway through writing a PDF. Throws fontkit's own error on a damaged font.
export interface ProbedFont {
  postscriptName: unknown;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  xHeight: number;
  capHeight: number;
  lineGap: number;
  bbox: unknown;
  italicAngle: number;
  post: { isFixedPitch: unknown };
  head: { macStyle: { italic: unknown } };
  getGlyph(id: number): { advanceWidth: number };
}

export function probeFontForPdf(font: ProbedFont): void {
  void [font.postscriptName, font.ascent, font.descent, font.xHeight, font.capHeight, font.lineGap, font.bbox, font.italicAngle, font.post.isFixedPitch, font.head.macStyle.italic];
  if (!(font.unitsPerEm > 0)) throw new Error('no units per em');
  if (!Number.isFinite(font.getGlyph(0).advanceWidth)) throw new Error('no advance for the blank glyph');
}
