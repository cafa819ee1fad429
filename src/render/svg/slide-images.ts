// render: a deck's slides, as the handout lays them out, → one SVG per slide that stands alone
// (its fonts as subsets and its pictures inside it), or one PNG per slide drawn from the same SVG
// by resvg. Reads the font and picture files; the PNGs' fonts go to a temporary folder for resvg,
// removed again before this returns.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slideTitle } from '../../layout/layout-handout.js';
import type { LaidDeck, LaidPage, LaidPdf } from '../../model/layout.js';
import { renderSvgPage, type SvgOptions } from './render-svg.js';
import { codePointsByFile, faceLookup, fontFaceRules, type SubsetFont, subsetFonts } from './svg-fonts.js';

/** Each slide as an SVG file that shows the same lines in any browser, with or without our fonts. */
export function standaloneSvgs(laid: LaidPdf, titles: readonly string[]): string[] {
  const image = imageData();
  return laid.pages.map((page, i) => standaloneSvgPage(laid, page, titles[i], image));
}

/**
 * A page (a slide, or a memo's page) as an SVG file that stands alone: the fonts it sets, cut down
 * to its characters, and its pictures are inside it, as `data:` URIs.
 */
export function standaloneSvgPage(
  laid: LaidPdf,
  page: LaidPage,
  title?: string,
  image: (file: string) => string | null = imageData(),
): string {
  const fonts = subsetFonts(codePointsByFile(laid, [page]));
  return renderSvgPage(laid, page, {
    face: faceLookup(fonts),
    image,
    css: fontFaceRules(fonts),
    title,
    background: 'FFFFFF',
  });
}

/**
 * Each slide as a PNG `width` pixels wide. resvg reads no `@font-face`: it is given the subsets as
 * files instead (one set for the whole deck) and finds each face by its family, weight and style,
 * as the SVG names them. The subsets have no kerning or ligature tables, so resvg advances glyph
 * by glyph, as layout measured.
 */
export function slidePngs(laid: LaidPdf, titles: readonly string[], width: number): Uint8Array[] {
  const fonts = subsetFonts(codePointsByFile(laid, laid.pages));
  const image = imageData();
  const options: Omit<SvgOptions, 'title'> = { face: faceLookup(fonts), image, background: 'FFFFFF' };
  const svgs = laid.pages.map((page, i) => renderSvgPage(laid, page, { ...options, title: titles[i] }));
  return withFontFiles(fonts, (fontFiles) => {
    const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    return svgs.map((svg) => {
      const resvg = new Resvg(svg, {
        fitTo: { mode: 'width', value: width },
        font: { loadSystemFonts: false, fontFiles, defaultFontFamily: fonts[0]?.face.family ?? '' },
        logLevel: 'off',
      });
      return new Uint8Array(resvg.render().asPng());
    });
  });
}

/** Calls `use` with the fonts written to a private temporary folder, which is removed afterwards. */
function withFontFiles<T>(fonts: readonly SubsetFont[], use: (files: string[]) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'briefing-fonts-'));
  try {
    const files = fonts.map((f, i) => {
      const path = join(dir, `${i}.${f.format === 'truetype' ? 'ttf' : 'otf'}`);
      writeFileSync(path, f.bytes, { flag: 'wx', mode: 0o600 });
      return path;
    });
    return use(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A picture as a `data:` URI, so the SVG needs no other file and reads none: PNG and JPEG (what
 * the loader accepts), recognised by their first bytes; anything else is left out.
 */
function imageData(): (file: string) => string | null {
  const seen = new Map<string, string | null>();
  return (file) => {
    let uri = seen.get(file);
    if (uri === undefined) {
      const bytes = readFileSync(file);
      const type = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        ? 'image/png'
        : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
          ? 'image/jpeg'
          : null;
      uri = type ? `data:${type};base64,${bytes.toString('base64')}` : null;
      seen.set(file, uri);
    }
    return uri;
  };
}

/** Each slide's title as one line (the SVG's `<title>`), or the deck's title for a slide without one. */
export function slideTitles(deck: LaidDeck): string[] {
  return deck.slides.map((slide) => slideTitle(slide)?.trim() || deck.title);
}
