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
  head: { macStyle: { italic: unknown }; indexToLocFormat?: number };
  getGlyph(id: number): { advanceWidth: number };
  numGlyphs?: number;
  directory?: { tables: Record<string, { offset: number; length: number } | undefined> };
}

export function probeFontForPdf(font: ProbedFont): void {
  void [
    font.postscriptName,
    font.ascent,
    font.descent,
    font.xHeight,
    font.capHeight,
    font.lineGap,
    font.bbox,
    font.italicAngle,
    font.post.isFixedPitch,
    font.head.macStyle.italic,
  ];
  if (!(font.unitsPerEm > 0)) throw new Error('no units per em');
  if (!Number.isFinite(font.getGlyph(0).advanceWidth)) throw new Error('no advance for the blank glyph');
  checkGlyphIndex(font);
}

/**
 * A TrueType font's glyph index (`loca`) read against its glyph table (`glyf`): as many entries
 * as glyphs, in the size `head` names, none past the table's end, none going backwards. A damaged
 * index (its size flag flipped, say) would send the subsetter outside the font's data, and only
 * for some characters; checking the index itself is linear and needs no glyph decoded.
 */
function checkGlyphIndex(font: ProbedFont): void {
  const tables = font.directory?.tables;
  const loca = tables?.loca;
  const glyf = tables?.glyf;
  if (!loca || !glyf || typeof font.numGlyphs !== 'number') return;
  const long = font.head.indexToLocFormat === 1;
  if (font.head.indexToLocFormat !== 0 && !long)
    throw new Error(`the glyph index format is ${font.head.indexToLocFormat}`);
  const entry = long ? 4 : 2;
  if (loca.length < (font.numGlyphs + 1) * entry)
    throw new Error(
      `the glyph index has room for ${Math.floor(loca.length / entry) - 1} glyphs, not ${font.numGlyphs}`,
    );
  const data = (font as unknown as { stream?: { buffer?: Uint8Array } }).stream?.buffer;
  if (!data || loca.offset + loca.length > data.length) return;
  const view = new DataView(data.buffer, data.byteOffset + loca.offset, loca.length);
  let last = 0;
  for (let i = 0; i <= font.numGlyphs; i++) {
    const at = long ? view.getUint32(i * 4) : view.getUint16(i * 2) * 2;
    if (at < last || at > glyf.length) throw new Error(`the glyph index is damaged at glyph ${i}`);
    last = at;
  }
}
