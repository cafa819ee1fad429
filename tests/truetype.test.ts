// The PDF renderer's own TrueType reader (src/layout/truetype.ts) against fontkit, which pdfkit
// used before: the same description of each face, the same glyphs and advances, and a subset of
// the same bytes as fontkit's TTFSubset, for the fonts briefing ships.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeTable,
  encodeTable,
  loadFontMetrics,
  resolveFontFile,
  tableFromFont,
  tableFromFontkit,
} from '../src/layout/font-metrics.js';
import { pdfFontOf, withPlainLayout } from '../src/render/pdf/render-pdf.js';
import { characterMap, openTrueType } from '../src/layout/truetype.js';
import { ROOT, tempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as typeof import('fontkit');
type KitFont = Omit<import('fontkit').Font, 'createSubset'> & {
  head: { macStyle: { italic: boolean } };
  post: { isFixedPitch: number };
  createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array };
};

const font = (spec: string) => resolveFontFile(`@expo-google-fonts/${spec}`, ROOT);
const CARLITO = font('carlito/400Regular/Carlito_400Regular.ttf');
const CARLITO_BOLD_ITALIC = font('carlito/700Bold_Italic/Carlito_700Bold_Italic.ttf');
const NOTO_TC = font('noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf');
const NOTO_SC_BOLD = font('noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

/** Latin with accents (composite glyphs in Carlito), punctuation, Chinese, and characters none has. */
const TEXT =
  'Office fine flow, “AI” — 2025: 10.5% of ﬁles; Ångström, façade, Ŵ ǻ. 美國與中國的人工智慧競賽，（年）。\u00a0\u3000☃';

describe('TrueType fonts for the PDF', () => {
  it('give the metrics table fontkit gives, from the cmap and metrics read directly', () => {
    for (const file of [CARLITO, CARLITO_BOLD_ITALIC, NOTO_TC, NOTO_SC_BOLD]) {
      // Read directly, not through fontkit (which tableFromFont falls back to).
      expect(characterMap(file)?.codePoints.length).toBeGreaterThan(2000);
      const direct = tableFromFont(file);
      const kit = tableFromFontkit(file);
      expect(direct.unitsPerEm).toBe(kit.unitsPerEm);
      expect([direct.ascender, direct.descender, direct.capHeight]).toEqual([
        kit.ascender,
        kit.descender,
        kit.capHeight,
      ]);
      expect(Buffer.compare(Buffer.from(direct.bmp.buffer), Buffer.from(kit.bmp.buffer))).toBe(0);
      expect(Buffer.compare(Buffer.from(direct.bmpGlyphs.buffer), Buffer.from(kit.bmpGlyphs.buffer))).toBe(0);
      expect([...direct.astral.codePoints]).toEqual([...kit.astral.codePoints]);
      expect([...direct.astral.advances]).toEqual([...kit.astral.advances]);
      expect([...direct.astral.glyphs]).toEqual([...kit.astral.glyphs]);
      // The encoded table, as the disk cache keeps it, is the same bytes.
      expect(Buffer.compare(encodeTable(direct), encodeTable(kit))).toBe(0);
    }
  });

  it('describe each face as fontkit does', () => {
    for (const file of [CARLITO, CARLITO_BOLD_ITALIC, NOTO_TC, NOTO_SC_BOLD]) {
      const kit = fontkit.openSync(file) as unknown as KitFont;
      const ours = openTrueType(file)!;
      expect(ours, file).not.toBeNull();
      const bbox = kit.bbox;
      expect(ours.info).toMatchObject({
        postscriptName: kit.postscriptName,
        unitsPerEm: kit.unitsPerEm,
        ascent: kit.ascent,
        descent: kit.descent,
        lineGap: kit.lineGap,
        capHeight: kit.capHeight,
        xHeight: kit.xHeight,
        italicAngle: kit.italicAngle,
        bbox: { minX: bbox.minX, minY: bbox.minY, maxX: bbox.maxX, maxY: bbox.maxY },
        familyClass: (kit as unknown as { 'OS/2': { sFamilyClass: number } })['OS/2'].sFamilyClass,
        fixedPitch: Boolean(kit.post.isFixedPitch),
        italic: Boolean(kit.head.macStyle.italic),
      });
      expect(ours.numGlyphs).toBe(kit.numGlyphs);
    }
  });

  it('draw the glyphs and advances of the metrics table, as the fontkit path draws them', () => {
    for (const file of [CARLITO, NOTO_TC]) {
      const kit = fontkit.openSync(file) as unknown as KitFont;
      const table = decodeTable(encodeTable(tableFromFont(file)))!;
      for (const ch of TEXT) {
        const cp = ch.codePointAt(0)!;
        expect(table.bmpGlyphs[cp], `${file} U+${cp.toString(16)}`).toBe(kit.glyphForCodePoint(cp).id);
      }
      type Layout = {
        layout(t: string): { glyphs: { id: number; codePoints: number[] }[]; positions: { xAdvance: number }[] };
      };
      const ours = (pdfFontOf(openTrueType(file)!, loadFontMetrics(file)) as Layout).layout(TEXT);
      const before = (withPlainLayout(kit as never) as Layout).layout(TEXT);
      const nbsp = [...TEXT].indexOf('\u00a0');
      // The one difference: Carlito's U+00A0, which fontkit could not embed, is no longer drawn
      // with the space's glyph (of the same advance), but with its own.
      expect(ours.glyphs[nbsp]!.id).toBe(kit.glyphForCodePoint(0xa0).id);
      before.glyphs[nbsp] = ours.glyphs[nbsp]!;
      expect(ours.glyphs.map((g) => g.id)).toEqual(before.glyphs.map((g) => g.id));
      expect(ours.positions.map((p) => p.xAdvance)).toEqual(before.positions.map((p) => p.xAdvance));
      expect(ours.glyphs.map((g) => String.fromCodePoint(...g.codePoints)).join('')).toBe(TEXT);
    }
  });

  it('find characters beyond U+FFFF in the table as in the font', () => {
    const kit = fontkit.openSync(NOTO_TC) as unknown as KitFont;
    const table = decodeTable(encodeTable(tableFromFont(NOTO_TC)))!;
    const astral = kit.characterSet.filter((cp) => cp > 0xffff);
    expect(astral.length).toBeGreaterThan(1000);
    const metrics = loadFontMetrics(NOTO_TC);
    for (const cp of [...astral.slice(0, 5), ...astral.slice(-5), 0x2000b, 0x10ffff, 0x1f600]) {
      const glyph = kit.glyphForCodePoint(cp).id;
      expect(metrics.glyph(cp), `U+${cp.toString(16)}`).toBe(glyph);
      expect(metrics.advance(cp)).toBe(glyph ? kit.getGlyph(glyph).advanceWidth : null);
    }
    expect(table.astral.codePoints.length).toBe(astral.length);
  });

  it('write the subset fontkit writes, composite glyphs and their parts included', () => {
    for (const file of [CARLITO, CARLITO_BOLD_ITALIC, NOTO_TC]) {
      const kit = fontkit.openSync(file) as unknown as KitFont;
      const theirs = kit.createSubset();
      const ours = openTrueType(file)!.createSubset();
      // Glyph 0 is always first. Left out: the last glyph of Carlito (U+00A0), which fontkit cannot
      // subset (it fails on its empty outline's advance).
      const ids = [...new Set([...TEXT].map((ch) => kit.glyphForCodePoint(ch.codePointAt(0)!).id))].filter(
        (id) => id < kit.numGlyphs - 1,
      );
      for (const id of ids) expect(ours.includeGlyph(id)).toBe(theirs.includeGlyph(id));
      const mine = Buffer.from(ours.encode());
      expect(mine.equals(Buffer.from(theirs.encode())), file).toBe(true);
      // The subset is a font fontkit reads, with the glyphs drawn.
      expect((fontkit.create(mine) as unknown as KitFont).numGlyphs).toBeGreaterThanOrEqual(ids.length);
    }
    // A composite glyph alone (Carlito's È: E and a grave accent) brings its parts, renumbered.
    const kit = fontkit.openSync(CARLITO) as unknown as KitFont;
    const grave = kit.glyphForCodePoint(0xc8);
    expect((grave as unknown as { _decode(): { numberOfContours: number } })._decode().numberOfContours).toBeLessThan(
      0,
    );
    const theirs = kit.createSubset();
    const ours = openTrueType(CARLITO)!.createSubset();
    theirs.includeGlyph(grave.id);
    ours.includeGlyph(grave.id);
    const bytes = Buffer.from(ours.encode());
    expect(bytes.equals(Buffer.from(theirs.encode()))).toBe(true);
    expect((fontkit.create(bytes) as unknown as KitFont).numGlyphs).toBeGreaterThan(2);
  });

  it('leave other fonts to fontkit, and refuse damaged tables naming them', () => {
    const dir = tempDir();
    const real = readFileSync(CARLITO);
    const cff = Buffer.from(real);
    cff.write('OTTO', 0, 'latin1');
    for (let i = 0; i < cff.readUInt16BE(4); i++)
      if (cff.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'glyf') cff.write('CFF ', 12 + 16 * i, 'latin1');
    writeFileSync(join(dir, 'cff.otf'), cff);
    expect(openTrueType(join(dir, 'cff.otf'))).toBeNull();
    const damage = (tag: string, at: number, value: number) => {
      const copy = Buffer.from(real);
      for (let i = 0; i < copy.readUInt16BE(4); i++)
        if (copy.toString('latin1', 12 + 16 * i, 16 + 16 * i) === tag)
          copy.writeUInt16BE(value, copy.readUInt32BE(12 + 16 * i + 8) + at);
      const path = join(dir, `${tag.trim().replace('/', '')}.ttf`);
      writeFileSync(path, copy);
      return path;
    };
    expect(() => openTrueType(damage('head', 50, 7))).toThrow(/glyph index format is 7/);
    expect(() => openTrueType(damage('loca', 20, 0xffff))).toThrow(/glyph index is damaged/);
    expect(() => openTrueType(damage('post', 0, 9))).toThrow(/`post` table has an unknown version/);
    expect(() => openTrueType(damage('OS/2', 0, 9))).toThrow(/`OS\/2` table has an unknown version/);
    expect(() => openTrueType(damage('hhea', 34, 0))).toThrow(/`hmtx` table is too short/);
    const cut = join(dir, 'cut.ttf');
    writeFileSync(cut, real.subarray(0, 4000));
    expect(() => openTrueType(cut)).toThrow(/outside the file/);
  });
});
