// render: a laid-out page → SVG. Pure: it translates the placed pieces the PDF renderer draws
// (a memo's pages, a deck's slides as laid out for its handout) and never measures. Text is set
// where layout put it, line by line, in the same font files, with the OpenType features layout
// did not measure (kerning, ligatures) turned off, so a browser draws the lines layout broke.
import type { LaidPage, LaidPdf, Placed, PlacedText } from '../../model/layout.js';
import { wedgePath } from '../wedge-path.js';

/** How an SVG names the font file a piece of text is set in. */
export interface SvgFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
}

export interface SvgOptions {
  /** The face a font file is drawn in (the file is a value of the layout's `fonts`). */
  face: (file: string) => SvgFace;
  /** Where a picture is read from: a URL the page serves, or a `data:` URI. Null leaves it out. */
  image: (file: string) => string | null;
  /** CSS for the SVG's own style sheet (embedded `@font-face` rules, for a file that stands alone). */
  css?: string;
  /** The SVG's title (for assistive technology and the browser's tooltip). */
  title?: string;
  /** Prefixes the ids of named destinations, so several SVGs can share one HTML page. */
  idPrefix?: string;
  /**
   * The page's colour under everything (six hex digits), for a file shown on its own; without it
   * a white page is transparent, as a page in a PDF viewer or an HTML page shows it.
   */
  background?: string;
}

/**
 * Features the layout engine never applied (it measures plain advances), off: the browser then
 * advances exactly as layout measured. That includes a browser's own Chinese spacing (trimming
 * the space of adjacent full-width punctuation, a gap between Han and Latin letters). `white-space:
 * pre` keeps the spaces layout placed.
 */
const TEXT_STYLE =
  'text{white-space:pre;font-kerning:none;font-variant-ligatures:none;font-feature-settings:"kern" 0,"liga" 0,"clig" 0,"calt" 0;text-rendering:geometricPrecision;text-spacing-trim:space-all;text-autospace:no-autospace}';

/** One page as a standalone SVG document, sized in points (1 user unit = 1 pt). */
export function renderSvgPage(laid: LaidPdf, page: LaidPage, options: SvgOptions): string {
  const out: string[] = [];
  const w = num(laid.width);
  const h = num(laid.height);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xml:lang="${attr(laid.lang)}" xml:space="preserve" data-page="${page.number}">`,
  );
  if (options.title) out.push(`<title>${text(options.title)}</title>`);
  out.push(`<style>${TEXT_STYLE}${options.css ?? ''}</style>`);
  if (options.background) out.push(`<rect width="${w}" height="${h}" fill="#${hex(options.background)}"/>`);
  const items = page.items;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.type !== 'text') {
      out.push(shape(it, options));
      continue;
    }
    // A line of a text box: its pieces (runs, fragments) are consecutive and share their origin.
    const line: PlacedText[] = [it];
    while (i + 1 < items.length && sameLine(it, items[i + 1]!)) line.push(items[++i] as PlacedText);
    out.push(textLine(line, laid, options));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Every page of a memo or handout, in order. */
export function renderSvgPages(laid: LaidPdf, options: SvgOptions): string[] {
  return laid.pages.map((p) => renderSvgPage(laid, p, options));
}

function sameLine(a: PlacedText, b: Placed): boolean {
  return (
    b.type === 'text' &&
    a.from !== undefined &&
    b.from !== undefined &&
    a.from.box === b.from.box &&
    a.from.paragraph === b.from.paragraph &&
    a.from.line === b.from.line &&
    a.y === b.y
  );
}

function textLine(pieces: PlacedText[], laid: LaidPdf, options: SvgOptions): string {
  const first = pieces[0]!;
  const from = first.from
    ? ` data-box="${attr(first.from.box)}" data-paragraph="${first.from.paragraph}" data-line="${first.from.line}"`
    : '';
  const spans = pieces.map((p) => {
    const file = laid.fonts[p.font];
    const face = file ? options.face(file) : { family: 'sans-serif', weight: 400, style: 'normal' as const };
    const id = p.dest ? ` id="${attr(`${options.idPrefix ?? ''}${p.dest}`)}"` : '';
    const spacing = p.charSpacing ? ` letter-spacing="${num(p.charSpacing)}"` : '';
    const span = `<tspan${id} x="${num(p.x)}" font-family="${attr(cssFamily(face.family))}" font-weight="${face.weight}"${face.style === 'italic' ? ' font-style="italic"' : ''} font-size="${num(p.size)}" fill="#${hex(p.color)}"${spacing}>${text(p.text)}</tspan>`;
    const href = p.href ? linkTarget(p.href, options.idPrefix ?? '') : null;
    return href ? `<a href="${attr(href)}"${href.startsWith('#') ? '' : ' target="_blank"'}>${span}</a>` : span;
  });
  return `<text y="${num(first.y)}"${from}>${spans.join('')}</text>`;
}

function shape(it: Exclude<Placed, PlacedText>, options: SvgOptions): string {
  switch (it.type) {
    case 'rect':
      return `<rect x="${num(it.x)}" y="${num(it.y)}" width="${num(it.w)}" height="${num(it.h)}" fill="#${hex(it.fill)}"/>`;
    case 'line':
      return `<line x1="${num(it.x1)}" y1="${num(it.y1)}" x2="${num(it.x2)}" y2="${num(it.y2)}" stroke="#${hex(it.color)}" stroke-width="${num(it.width)}"/>`;
    case 'image': {
      const href = options.image(it.file);
      return href === null
        ? ''
        : `<image x="${num(it.x)}" y="${num(it.y)}" width="${num(it.w)}" height="${num(it.h)}" preserveAspectRatio="none" href="${attr(href)}"/>`;
    }
    case 'wedge':
      return `<path d="${wedgePath(it.cx, it.cy, it.r, it.start, it.end)}" fill="#${hex(it.fill)}"/>`;
    case 'dot':
      return `<circle cx="${num(it.cx)}" cy="${num(it.cy)}" r="${num(it.r)}" fill="#${hex(it.fill)}"/>`;
    case 'polyline':
      return `<polyline points="${it.points.map((p) => `${num(p.x)},${num(p.y)}`).join(' ')}" fill="none" stroke="#${hex(it.color)}" stroke-width="${num(it.width)}" stroke-linejoin="round"/>`;
  }
}

/**
 * Where a link may lead in an SVG that a browser shows: the web, mail, or a named destination in
 * the same document. Anything else (`javascript:`, `data:`, a file) is not a link: the text stays.
 */
function linkTarget(href: string, prefix: string): string | null {
  if (href.startsWith('#')) return `#${prefix}${href.slice(1)}`;
  return /^(https?:|mailto:)/i.test(href) ? href : null;
}

/** A number as SVG writes it: at most three decimals, no trailing zeros. */
function num(n: number): string {
  const s = (Math.round(n * 1000) / 1000).toString();
  return s === '-0' ? '0' : s;
}

function hex(color: string): string {
  return /^[0-9A-Fa-f]{6}$/.test(color) ? color.toUpperCase() : '000000';
}

/** A font family as a CSS value: quoted, so names with spaces or digits stay one name. */
function cssFamily(family: string): string {
  return `'${family.replace(/['\\]/g, '')}'`;
}

/** Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF), dropped. */
function xmlChars(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

function text(s: string): string {
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
