// Font metrics: what the measuring engine needs to know about a face. Real metrics come from
// font files (fontkit); tests inject fake ones (every character one unit wide).
// A style is a chain of faces: the Latin face first, then the East Asian face for what the
// first lacks (or, for Chinese output, for CJK characters and ambiguous punctuation).
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

/** The faces of one style, in the order they are tried. */
export interface FaceChain {
  faces: FontMetrics[];
  /** Try the last (East Asian) face first for CJK characters and ambiguous punctuation. */
  preferEa: boolean;
  /**
   * Measure digits, spaces and ASCII punctuation at the widest of the faces. Viewers disagree on
   * which face sets these "weak" characters inside Chinese text (PowerPoint: the Latin face;
   * LibreOffice: the East Asian one), so a deck must fit either way.
   */
  widestWeak?: boolean;
}

/** The four styles of one family, and the typeface names to write into a PPTX. */
export interface FontBook {
  face: string;
  eaFace: string;
  styles: Record<FontStyle, FaceChain>;
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

const fonts = new Map<string, fontkit.Font>();

/**
 * The parsed font of a file, read once per process: the measuring engine and the PDF renderer
 * share it, so a batch of memos does not parse a 7 MB Chinese font per document.
 */
export function openFont(file: string): fontkit.Font {
  let font = fonts.get(file);
  if (!font) {
    font = fontkit.openSync(file) as fontkit.Font;
    fonts.set(file, font);
  }
  return font;
}

export function loadFontMetrics(file: string): FontMetrics {
  const hit = cache.get(file);
  if (hit) return hit;
  const font = openFont(file);
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

export function loadFontBook(files: FontFiles, themeDir: string, options: { widestWeak?: boolean } = {}): FontBook {
  const load = (spec: string) => loadFontMetrics(resolveFontFile(spec, themeDir));
  const ea = files.ea ? { regular: load(files.ea.regular), bold: load(files.ea.bold) } : null;
  const preferEa = Boolean(files.preferEa && ea);
  const chain = (spec: string, eaStyle: 'regular' | 'bold'): FaceChain => ({
    faces: ea ? [load(spec), ea[eaStyle]] : [load(spec)],
    preferEa,
    widestWeak: Boolean(options.widestWeak && preferEa),
  });
  return {
    face: files.face,
    eaFace: files.eaFace ?? files.face,
    // Chinese has no italics: italic styles fall back to the upright East Asian face.
    styles: { regular: chain(files.regular, 'regular'), bold: chain(files.bold, 'bold'), italic: chain(files.italic, 'regular'), boldItalic: chain(files.boldItalic, 'bold') },
  };
}

/** CJK ideographs, kana, Hangul, CJK symbols and full-width forms. */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}

/** Punctuation shared by Latin and CJK fonts that Chinese text sets full-width: “ ” ‘ ’ — … · */
function isAmbiguous(cp: number): boolean {
  return (cp >= 0x2018 && cp <= 0x201f) || cp === 0x2014 || cp === 0x2026 || cp === 0x00b7 || cp === 0x2027;
}

/** Digits, spaces and ASCII punctuation: characters without a script of their own. */
export function isWeak(cp: number): boolean {
  return cp <= 0x7f && !((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a));
}

/** Index of the face that sets `cp`, or -1 when no face has it. */
export function faceFor(chain: FaceChain, cp: number): number {
  const last = chain.faces.length - 1;
  if (chain.preferEa && last > 0 && (isCjk(cp) || isAmbiguous(cp)) && chain.faces[last]!.advance(cp) !== null) return last;
  for (let i = 0; i <= last; i++) if (chain.faces[i]!.advance(cp) !== null) return i;
  return -1;
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
  const one = (w: number): FaceChain => ({ faces: [m(w)], preferEa: false });
  return { face, eaFace: face, styles: { regular: one(width), bold: one(width * 1.1), italic: one(width), boldItalic: one(width * 1.1) } };
}
