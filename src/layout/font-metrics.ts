// Font metrics: what the measuring engine needs to know about a face. Real metrics come from
// font files (fontkit); tests inject fake ones (every character one unit wide).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import * as fontkit from 'fontkit';
import type { FontStyle } from '../model/layout.js';
import type { FontFiles } from '../model/theme.js';

export interface FontMetrics {
  /** The file this face was read from (the PDF renderer embeds it). */
  file: string;
  unitsPerEm: number;
  ascender: number;
  descender: number;
  capHeight: number;
  /** Advance width in font units, or null when the font has no glyph for the code point. */
  advance(codePoint: number): number | null;
}

/** The four styles of one family, and the typeface name to write into a PPTX. */
export interface FontBook {
  face: string;
  styles: Record<FontStyle, FontMetrics>;
}

const cache = new Map<string, FontMetrics>();
const requireFromHere = createRequire(import.meta.url);

/** A font spec is a path relative to the theme's folder, an absolute path, or an npm package path. */
export function resolveFontFile(spec: string, themeDir: string): string {
  if (isAbsolute(spec)) return spec;
  const local = join(themeDir, spec);
  if (existsSync(local)) return local;
  return requireFromHere.resolve(spec);
}

export function loadFontMetrics(file: string): FontMetrics {
  const hit = cache.get(file);
  if (hit) return hit;
  const font = fontkit.openSync(file) as fontkit.Font;
  const widths = new Map<number, number | null>();
  const metrics: FontMetrics = {
    file,
    unitsPerEm: font.unitsPerEm,
    ascender: font.ascent,
    descender: font.descent,
    capHeight: font.capHeight,
    advance(cp) {
      let w = widths.get(cp);
      if (w === undefined) {
        const glyph = font.hasGlyphForCodePoint(cp) ? font.glyphForCodePoint(cp) : null;
        w = glyph && glyph.id !== 0 ? glyph.advanceWidth : null;
        widths.set(cp, w);
      }
      return w;
    },
  };
  cache.set(file, metrics);
  return metrics;
}

export function loadFontBook(files: FontFiles, themeDir: string): FontBook {
  const load = (spec: string) => loadFontMetrics(resolveFontFile(spec, themeDir));
  return {
    face: files.face,
    styles: { regular: load(files.regular), bold: load(files.bold), italic: load(files.italic), boldItalic: load(files.boldItalic) },
  };
}

/** Metrics for tests: every character is `width` em wide, as in pdfmake's fake font provider. */
export function fakeFontBook(width = 0.5, face = 'Fake'): FontBook {
  const m = (w: number): FontMetrics => ({
    file: `fake-${w}`,
    unitsPerEm: 1000,
    ascender: 800,
    descender: -200,
    capHeight: 700,
    advance: (cp) => (cp === 0x20 ? 250 : cp >= 0x2e80 ? 1000 : w * 1000),
  });
  return { face, styles: { regular: m(width), bold: m(width * 1.1), italic: m(width), boldItalic: m(width * 1.1) } };
}
