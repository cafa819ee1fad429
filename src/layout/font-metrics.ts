// Font metrics: what the measuring engine needs to know about a face. Real metrics come from
// font files (fontkit, or a table of them kept in the disk cache); tests inject fake ones.
// A style is a chain of faces: the Latin face first, then the East Asian face for what the
// first lacks (or, for Chinese output, for CJK characters and ambiguous punctuation).
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { AssetError } from '../asset-error.js';
import { cacheAvailable, cacheKey, codeIdentity, readCache, writeCache } from '../disk-cache.js';
import type { FontStyle } from '../model/layout.js';
import type { FontFiles } from '../model/theme.js';
import { characterMap, openTrueType } from './truetype.js';

export interface FontMetrics {
  /** The file this face was read from (the PDF renderer embeds it). */
  file: string;
  unitsPerEm: number;
  ascender: number;
  descender: number;
  capHeight: number;
  /** Advance width in font units, or null when the font has no glyph for the code point. */
  advance(codePoint: number): number | null;
  /** The font's glyph for the code point (0 when it has none): the PDF renderer draws the glyph measured. */
  glyph(codePoint: number): number;
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

/**
 * A face's metrics, read once per process. They come from a table in the disk cache
 * (src/disk-cache.ts) when one was made from the same file; otherwise the font is parsed
 * with fontkit, every advance the font maps is read into a table, and the table is kept. With
 * no disk cache, advances are read from the font one character at a time, as they are needed.
 * All three ways give the same advances (`FontReader.advance`).
 */
export function loadFontMetrics(file: string): FontMetrics {
  const hit = cache.get(file);
  if (hit) return hit;
  try {
    const metrics = readFontMetrics(file);
    cache.set(file, metrics);
    return metrics;
  } catch (cause) {
    // fontkit fails in its own words on a damaged font; the file is the user's to fix.
    if (cause instanceof AssetError) throw cause;
    throw new AssetError(
      file,
      `cannot be read as a font (${String((cause as Error)?.message ?? cause).slice(0, 80)})`,
      { cause },
    );
  }
}

function readFontMetrics(file: string): FontMetrics {
  let metrics: FontMetrics;
  if (cacheAvailable()) {
    const key = tableKey(file);
    const stored = readCache(key);
    let table = stored ? decodeTable(stored) : null;
    if (!table) {
      table = tableFromFont(file);
      writeCache(key, encodeTable(table));
    }
    metrics = metricsFrom(file, table);
  } else {
    // Without a cache, a TrueType font's whole table is still quicker to read directly than
    // fontkit is to load; other fonts are read through fontkit as characters come.
    const direct = directReader(file);
    if (direct) return metricsFrom(file, tableFrom(direct));
    const reader = openReader(file);
    const glyphs = new Map<number, { id: number; advance: number | null }>();
    const glyphOf = (cp: number) => {
      let g = glyphs.get(cp);
      if (g === undefined) {
        // A glyph a damaged font cannot give counts as missing (and is reported as such).
        try {
          const id = reader.glyph(cp);
          g = id ? { id, advance: reader.advance(id) } : { id: 0, advance: null };
        } catch {
          g = { id: 0, advance: null };
        }
        glyphs.set(cp, g);
      }
      return g;
    };
    metrics = {
      file,
      ...reader.vertical,
      advance: (cp) => glyphOf(cp).advance,
      glyph: (cp) => glyphOf(cp).id,
    };
  }
  return metrics;
}

/**
 * Everything measuring needs from a face: its vertical metrics and one advance per code point;
 * and the glyph of each code point, which the PDF renderer draws without opening the font's cmap.
 */
export interface MetricsTable {
  unitsPerEm: number;
  ascender: number;
  descender: number;
  capHeight: number;
  /** Advances of U+0000–U+FFFF, NO_GLYPH where the font has none. */
  bmp: Uint16Array;
  /** Glyph ids of U+0000–U+FFFF, 0 where the font has none. */
  bmpGlyphs: Uint16Array;
  /** Code points above U+FFFF the font maps, ascending, with their advances and glyph ids. */
  astral: { codePoints: Uint32Array; advances: Uint16Array; glyphs: Uint16Array };
}

const NO_GLYPH = 0xffff;
const MAGIC = 0x324d4642; // "BFM2"
const BMP_BYTES = 0x10000 * 2;
const HEADER = 24;

function tableKey(file: string): string {
  const s = statSync(file);
  return `metrics-${cacheKey(codeIdentity(), file, s.size, s.mtimeMs)}.bin`;
}

interface FontReader {
  vertical: { unitsPerEm: number; ascender: number; descender: number; capHeight: number };
  /** Every code point the cmap covers, with its glyph (0 where none), in the cmap's order. */
  mapped(): Iterable<readonly [number, number]>;
  /** A glyph's advance. */
  advance(id: number): number;
}

/** A TrueType font's reader without fontkit, or null for a font it does not read. */
function directReader(file: string): FontReader | null {
  const font = openTrueType(file);
  const map = font ? characterMap(file) : null;
  if (!font || !map) return null;
  return {
    vertical: {
      unitsPerEm: font.info.unitsPerEm,
      ascender: font.info.ascent,
      descender: font.info.descent,
      // As fontkit: OS/2's cap height (none before its version 2), or the ascent without OS/2.
      capHeight: Math.round(font.info.capHeight as number),
    },
    *mapped() {
      for (let i = 0; i < map.codePoints.length; i++) yield [map.codePoints[i]!, map.glyphs[i]!] as const;
    },
    advance: (id) => Math.min(font.metrics(id).advance, NO_GLYPH - 1),
  };
}

type KitFont = import('fontkit').Font & {
  hmtx?: { metrics: { length: number; get(i: number): { advance: number } } };
  _cmapProcessor?: { lookup?(cp: number): number };
};

/**
 * A font read with fontkit, which is loaded only here (synchronously: measuring is synchronous),
 * so a run that finds its tables in the cache never loads it. Glyph ids come from the cmap (through
 * fontkit's cmap reader where it has one: making a glyph object per character, as
 * `glyphForCodePoint` does, makes a table of a Chinese font take ten times as long); advances come
 * from the hmtx table by glyph id, since fontkit's `glyph.advanceWidth` also computes the glyph's
 * bounding box, which throws on a few glyphs of real fonts (Carlito's U+00A0 in fontkit 2.0.4).
 */
function openReader(file: string): FontReader & { glyph(cp: number): number } {
  const fontkit = requireFromHere('fontkit') as typeof import('fontkit');
  const font = fontkit.openSync(file) as KitFont;
  const cmap = font._cmapProcessor;
  const glyphId =
    typeof cmap?.lookup === 'function'
      ? (cp: number) => cmap.lookup!(cp)
      : (cp: number) => font.glyphForCodePoint(cp).id;
  const hmtx = font.hmtx;
  return {
    vertical: {
      unitsPerEm: font.unitsPerEm,
      ascender: font.ascent,
      descender: font.descent,
      capHeight: Math.round(font.capHeight),
    },
    *mapped() {
      for (const cp of font.characterSet) yield [cp, glyphId(cp) || 0] as const;
    },
    glyph: (cp) => glyphId(cp) || 0,
    advance(id) {
      const advance =
        hmtx && hmtx.metrics.length > 0
          ? hmtx.metrics.get(Math.min(id, hmtx.metrics.length - 1)).advance
          : font.getGlyph(id).advanceWidth;
      return Math.min(advance, NO_GLYPH - 1);
    },
  };
}

/**
 * Every advance and glyph a font maps, as a table. A TrueType font's cmap and metrics are read
 * directly (src/layout/truetype.ts), which takes a few milliseconds where fontkit took some
 * 250 for a Chinese font: a first run, which builds the tables, is then no slower than a run
 * without the disk cache. Other fonts go through fontkit; both give the same table (tested).
 */
export function tableFromFont(file: string): MetricsTable {
  return tableFrom(directReader(file) ?? openReader(file));
}

/** The table as fontkit reads it (tests compare it with the direct one). */
export function tableFromFontkit(file: string): MetricsTable {
  return tableFrom(openReader(file));
}

function tableFrom(reader: FontReader): MetricsTable {
  const bmp = new Uint16Array(0x10000).fill(NO_GLYPH);
  const bmpGlyphs = new Uint16Array(0x10000);
  const astral: [number, number, number][] = [];
  for (const [cp, glyph] of reader.mapped()) {
    if (!glyph) continue;
    const advance = reader.advance(glyph);
    if (cp <= 0xffff) {
      bmp[cp] = advance;
      bmpGlyphs[cp] = glyph;
    } else astral.push([cp, advance, glyph]);
  }
  astral.sort((a, b) => a[0] - b[0]);
  return {
    ...reader.vertical,
    bmp,
    bmpGlyphs,
    astral: {
      codePoints: Uint32Array.from(astral, (a) => a[0]),
      advances: Uint16Array.from(astral, (a) => a[1]),
      glyphs: Uint16Array.from(astral, (a) => a[2]),
    },
  };
}

/** Where `cp` is in the ascending `codePoints`, or -1. */
function indexOf(codePoints: Uint32Array, cp: number): number {
  let lo = 0;
  let hi = codePoints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = codePoints[mid]!;
    if (at === cp) return mid;
    if (at < cp) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function metricsFrom(file: string, t: MetricsTable): FontMetrics {
  return {
    file,
    unitsPerEm: t.unitsPerEm,
    ascender: t.ascender,
    descender: t.descender,
    capHeight: t.capHeight,
    advance(cp) {
      if (cp <= 0xffff) {
        const w = t.bmp[cp]!;
        return w === NO_GLYPH ? null : w;
      }
      const i = indexOf(t.astral.codePoints, cp);
      return i < 0 ? null : t.astral.advances[i]!;
    },
    glyph(cp) {
      if (cp <= 0xffff) return t.bmpGlyphs[cp]!;
      const i = indexOf(t.astral.codePoints, cp);
      return i < 0 ? 0 : t.astral.glyphs[i]!;
    },
  };
}

/**
 * Layout: magic, four int32 metrics, astral count n, the BMP advances, the BMP glyph ids, n code
 * points, n advances, n glyph ids.
 */
export function encodeTable(t: MetricsTable): Buffer {
  const n = t.astral.codePoints.length;
  const buf = Buffer.alloc(HEADER + 2 * BMP_BYTES + n * 8);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeInt32LE(t.unitsPerEm, 4);
  buf.writeInt32LE(t.ascender, 8);
  buf.writeInt32LE(t.descender, 12);
  buf.writeInt32LE(Math.round(t.capHeight), 16);
  buf.writeUInt32LE(n, 20);
  Buffer.from(t.bmp.buffer, t.bmp.byteOffset, t.bmp.byteLength).copy(buf, HEADER);
  Buffer.from(t.bmpGlyphs.buffer, t.bmpGlyphs.byteOffset, t.bmpGlyphs.byteLength).copy(buf, HEADER + BMP_BYTES);
  const base = HEADER + 2 * BMP_BYTES;
  const { codePoints, advances, glyphs } = t.astral;
  Buffer.from(codePoints.buffer, codePoints.byteOffset, n * 4).copy(buf, base);
  Buffer.from(advances.buffer, advances.byteOffset, n * 2).copy(buf, base + n * 4);
  Buffer.from(glyphs.buffer, glyphs.byteOffset, n * 2).copy(buf, base + n * 6);
  return buf;
}

/** The table in `buf`, or null when it is not one (a damaged or foreign cache file). */
export function decodeTable(buf: Buffer): MetricsTable | null {
  if (buf.length < HEADER + 2 * BMP_BYTES || buf.readUInt32LE(0) !== MAGIC) return null;
  const n = buf.readUInt32LE(20);
  if (buf.length !== HEADER + 2 * BMP_BYTES + n * 8) return null;
  // Views of the buffer where it is aligned for them (a file read whole is), else copies. (The
  // astral code points are kept as arrays, not a Map: filling a Map of two thousand took 10 ms.)
  const view = <T extends Uint16Array | Uint32Array>(
    Kind: { new (b: ArrayBuffer, at: number, n: number): T; new (n: number): T; BYTES_PER_ELEMENT: number },
    at: number,
    n: number,
  ): T => {
    const offset = buf.byteOffset + at;
    if (offset % Kind.BYTES_PER_ELEMENT === 0) return new Kind(buf.buffer as ArrayBuffer, offset, n);
    const into = new Kind(n);
    Buffer.from(into.buffer).set(buf.subarray(at, at + n * Kind.BYTES_PER_ELEMENT));
    return into;
  };
  const base = HEADER + 2 * BMP_BYTES;
  const codePoints = view(Uint32Array, base, n);
  for (let i = 1; i < n; i++) if (codePoints[i]! <= codePoints[i - 1]!) return null;
  const astral = {
    codePoints,
    advances: view(Uint16Array, base + n * 4, n),
    glyphs: view(Uint16Array, base + n * 6, n),
  };
  const bmp = view(Uint16Array, HEADER, 0x10000);
  const bmpGlyphs = view(Uint16Array, HEADER + BMP_BYTES, 0x10000);
  return {
    unitsPerEm: buf.readInt32LE(4),
    ascender: buf.readInt32LE(8),
    descender: buf.readInt32LE(12),
    capHeight: buf.readInt32LE(16),
    bmp,
    bmpGlyphs,
    astral,
  };
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
    styles: {
      regular: chain(files.regular, 'regular'),
      bold: chain(files.bold, 'bold'),
      italic: chain(files.italic, 'regular'),
      boldItalic: chain(files.boldItalic, 'bold'),
    },
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
  if (chain.preferEa && last > 0 && (isCjk(cp) || isAmbiguous(cp)) && chain.faces[last]!.advance(cp) !== null)
    return last;
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
    glyph: (cp) => Math.min(cp, 0xffff),
  });
  const one = (w: number): FaceChain => ({ faces: [m(w)], preferEa: false });
  return {
    face,
    eaFace: face,
    styles: { regular: one(width), bold: one(width * 1.1), italic: one(width), boldItalic: one(width * 1.1) },
  };
}
