// render: the fonts SVG pages draw with, as small subsets: `@font-face` rules with `data:` URIs for
// a file that stands alone in a browser, and font files for resvg. Reads the font files (and
// nothing else). A face is named by the font's own family, weight and style, which is how resvg
// finds it among the files it is given; a browser finds it by the same names in the rules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadFontMetrics } from '../../layout/font-metrics.js';
import { type FaceName, openTrueType } from '../../layout/truetype.js';
import type { LaidPage, LaidPdf } from '../../model/layout.js';
import type { SvgFace } from './render-svg.js';

export interface SubsetFont {
  /** The font file the subset is cut from. */
  file: string;
  face: SvgFace;
  /** A TrueType subset with a `cmap` (`truetype`), or, for other fonts, the whole file (`opentype`). */
  format: 'truetype' | 'opentype';
  bytes: Uint8Array;
}

/** The characters each font file sets on these pages (a font is a value of the layout's `fonts`). */
export function codePointsByFile(laid: LaidPdf, pages: readonly LaidPage[]): Map<string, Set<number>> {
  const uses = new Map<string, Set<number>>();
  for (const page of pages) {
    for (const it of page.items) {
      if (it.type !== 'text') continue;
      const file = laid.fonts[it.font];
      if (!file) continue;
      const set = uses.get(file) ?? new Set<number>();
      uses.set(file, set);
      for (const ch of it.text) set.add(ch.codePointAt(0)!);
    }
  }
  return uses;
}

/**
 * Each font cut down to the characters it sets, in the order of the files' names (so the output
 * does not depend on the order pieces were placed in). A TrueType font keeps the glyph layout
 * measured for each character (the PDF draws the same one); a font with other outlines (CFF) is
 * kept whole, as its own subsetter writes no `cmap`.
 */
export function subsetFonts(uses: ReadonlyMap<string, ReadonlySet<number>>): SubsetFont[] {
  return [...uses.keys()].sort().map((file) => subsetFont(file, uses.get(file)!));
}

function subsetFont(file: string, codePoints: ReadonlySet<number>): SubsetFont {
  const font = openTrueType(file);
  if (!font) return { file, face: faceOf(otherFaceName(file)), format: 'opentype', bytes: readFileSync(file) };
  const metrics = loadFontMetrics(file);
  const subset = font.createSubset();
  const cmap = new Map<number, number>();
  // Glyphs in the order of their characters: neighbouring characters get neighbouring glyphs,
  // which keeps the `cmap` short.
  for (const cp of [...codePoints].sort((a, b) => a - b)) {
    const gid = metrics.glyph(cp);
    if (gid > 0) cmap.set(cp, subset.includeGlyph(gid));
  }
  return { file, face: faceOf(font.face), format: 'truetype', bytes: subset.encodeForWeb(cmap) };
}

/** The family, weight and style of a font fontkit reads (CFF outlines, collections). */
function otherFaceName(file: string): FaceName {
  const fontkit = createRequire(import.meta.url)('fontkit') as typeof import('fontkit');
  const font = fontkit.openSync(file) as unknown as {
    familyName?: string;
    getName?: (key: string) => string | null;
    'OS/2'?: { usWeightClass?: number; fsSelection?: { italic?: boolean } };
    italicAngle?: number;
  };
  return {
    family: font.getName?.('preferredFamily') ?? font.familyName ?? null,
    weight: font['OS/2']?.usWeightClass ?? 400,
    italic: Boolean(font['OS/2']?.fsSelection?.italic) || (font.italicAngle ?? 0) !== 0,
  };
}

/**
 * A face as the SVG names it. A family name comes from a font file the theme names, so it may hold
 * anything: only letters, digits, spaces, dots, hyphens and underscores are kept, which can end
 * neither a CSS string nor an XML attribute.
 */
function faceOf(name: FaceName): SvgFace {
  const family = (name.family ?? '').replace(/[^\p{L}\p{N} ._-]/gu, '').trim() || 'sans-serif';
  const weight = Number.isInteger(name.weight) && name.weight >= 1 && name.weight <= 1000 ? name.weight : 400;
  return { family, weight, style: name.italic ? 'italic' : 'normal' };
}

/** The face a file is drawn in, for `SvgOptions.face`. */
export function faceLookup(fonts: readonly SubsetFont[]): (file: string) => SvgFace {
  const byFile = new Map(fonts.map((f) => [f.file, f.face]));
  return (file) => byFile.get(file) ?? { family: 'sans-serif', weight: 400, style: 'normal' };
}

/** `@font-face` rules that carry the subsets in the SVG itself. */
export function fontFaceRules(fonts: readonly SubsetFont[]): string {
  return fonts
    .map(
      (f) =>
        `@font-face{font-family:'${f.face.family}';font-weight:${f.face.weight};font-style:${f.face.style};src:url(data:font/${f.format === 'truetype' ? 'ttf' : 'otf'};base64,${Buffer.from(f.bytes).toString('base64')}) format('${f.format}')}`,
    )
    .join('');
}
