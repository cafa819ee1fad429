// render: LaidMemo → PDF bytes. Translates only: pdfkit draws each placed piece of text at the
// position layout chose. Fonts are embedded as subsets; dates are fixed, so output is reproducible.
import { createRequire } from 'node:module';
import { AssetError } from '../../asset-error.js';
import { utcDate } from '../../dates.js';
import { type ProbedFont, probeFontForPdf } from '../../font-probe.js';
import { type FontMetrics, loadFontMetrics } from '../../layout/font-metrics.js';
import { openTrueType, type TrueTypeFile } from '../../layout/truetype.js';
import type { LaidPdf, StructNode, Tag } from '../../model/layout.js';
import { mark } from '../../trace.js';
import { wedgePath } from '../wedge-path.js';

interface PdfDoc {
  registerFont(name: string, src: unknown): void;
  font(name: string): PdfDoc;
  fontSize(size: number): PdfDoc;
  fillColor(color: string): PdfDoc;
  strokeColor(color: string): PdfDoc;
  lineWidth(w: number): PdfDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
  image(file: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
  rect(x: number, y: number, w: number, h: number): PdfDoc;
  fill(color?: string): PdfDoc;
  moveTo(x: number, y: number): PdfDoc;
  path(d: string): PdfDoc;
  circle(x: number, y: number, r: number): PdfDoc;
  lineJoin(j: string): PdfDoc;
  lineTo(x: number, y: number): PdfDoc;
  stroke(): PdfDoc;
  link(x: number, y: number, w: number, h: number, url: string, options?: Record<string, unknown>): PdfDoc;
  goTo(x: number, y: number, w: number, h: number, name: string, options?: Record<string, unknown>): PdfDoc;
  addNamedDestination(name: string, ...args: unknown[]): void;
  widthOfString(text: string, options: Record<string, unknown>): number;
  struct(role: string, options?: Record<string, unknown>): PdfElement;
  addStructure(element: PdfElement): PdfDoc;
  markStructureContent(role: string, options?: Record<string, unknown>): unknown;
  markContent(tag: string, options?: Record<string, unknown>): PdfDoc;
  endMarkedContent(): PdfDoc;
  outline: PdfOutline;
  addPage(options: Record<string, unknown>): PdfDoc;
  on(event: string, fn: (chunk?: Buffer) => void): void;
  end(): void;
}

/** A bookmark (pdfkit's PDFOutline); the document's root one is `doc.outline`. */
interface PdfOutline {
  addItem(title: string): PdfOutline;
}

/** A structure element (pdfkit's PDFStructureElement). */
interface PdfElement {
  add(child: unknown): PdfElement;
}

interface KitFont {
  glyphForCodePoint(cp: number): { id: number };
  getGlyph(id: number): { advanceWidth: number; _decode(): unknown; _getMetrics(): unknown };
  hmtx?: { metrics: { length: number; get(i: number): { advance: number } } };
}

interface PlainGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

const fonts = new Map<string, unknown>();
const requireFromHere = createRequire(import.meta.url);

/**
 * The font of a file as pdfkit embeds it, made once per process, so a batch of memos does not
 * read a 7 MB Chinese font per document. A TrueType font is read table by table (truetype.ts) and
 * draws with the glyphs and advances of the metrics table layout measured with; other fonts (CFF
 * outlines) are parsed by fontkit, loaded only then.
 */
async function openFont(file: string): Promise<unknown> {
  let font = fonts.get(file);
  if (!font) {
    try {
      const trueType = openTrueType(file);
      if (trueType) font = pdfFontOf(trueType, loadFontMetrics(file));
      else {
        const fontkit = requireFromHere('fontkit') as typeof import('fontkit');
        const kit = fontkit.openSync(file) as unknown as KitFont;
        probeFontForPdf(kit as unknown as ProbedFont);
        font = withPlainLayout(kit);
      }
    } catch (cause) {
      if (cause instanceof AssetError) throw cause;
      throw new AssetError(
        file,
        `cannot be read as a font (${String((cause as Error)?.message ?? cause).slice(0, 80)})`,
        { cause },
      );
    }
    fonts.set(file, font);
  }
  return font;
}

/**
 * A TrueType font as pdfkit sees it (the parts of a fontkit font it reads), with a `layout` that
 * maps each character to the glyph its metrics table names, at that glyph's advance, and nothing
 * more (see withPlainLayout), and a subset written by truetype.ts.
 */
export function pdfFontOf(font: TrueTypeFile, metrics: Pick<FontMetrics, 'glyph'>): unknown {
  const info = font.info;
  const glyphs = new Map<number, PlainGlyph>();
  const glyphOf = (cp: number): PlainGlyph => {
    let g = glyphs.get(cp);
    if (!g) {
      const id = metrics.glyph(cp);
      g = { id, advanceWidth: font.metrics(id).advance, codePoints: [cp] };
      glyphs.set(cp, g);
    }
    return g;
  };
  return {
    postscriptName: info.postscriptName,
    unitsPerEm: info.unitsPerEm,
    ascent: info.ascent,
    descent: info.descent,
    lineGap: info.lineGap,
    capHeight: info.capHeight,
    xHeight: info.xHeight,
    italicAngle: info.italicAngle,
    bbox: Object.freeze({ ...info.bbox }),
    'OS/2': { sFamilyClass: info.familyClass },
    post: { isFixedPitch: info.fixedPitch },
    head: { macStyle: { italic: info.italic } },
    // What pdfkit compares to tell two registrations of one font from two fonts of one name.
    _tables: { head: { checkSumAdjustment: info.checkSumAdjustment }, name: { records: info.names } },
    getGlyph: (id: number) => ({ id, advanceWidth: font.metrics(id).advance }),
    createSubset: () => font.createSubset(),
    layout: (text: string) => plainRun(text, glyphOf),
  };
}

/** A run of `text` as fontkit's GlyphRun has it, one glyph per character. */
function plainRun(text: string, glyphOf: (cp: number) => PlainGlyph) {
  const run: PlainGlyph[] = [];
  const positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] = [];
  for (const ch of text) {
    const g = glyphOf(ch.codePointAt(0)!);
    run.push(g);
    positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
  }
  return {
    glyphs: run,
    positions,
    // Like fontkit's GlyphRun: the sum of the (possibly rescaled) advances.
    get advanceWidth() {
      return positions.reduce((sum, p) => sum + p.xAdvance, 0);
    },
  };
}

/**
 * A font fontkit parsed (one with CFF outlines) as pdfkit sees it, with a `layout` that maps each
 * character to its glyph and advance and nothing more. The memo was measured with exactly these
 * advances (src/layout/font-metrics.ts), without ligatures or kerning, so fontkit's OpenType
 * shaping, which pdfkit would run for every piece of text, could change nothing but cost most of
 * the drawing time. Each glyph maps back to the one character it was drawn for, which keeps copied
 * text exact.
 */
export function withPlainLayout(font: KitFont): unknown {
  const metrics = font.hmtx?.metrics;
  const glyphs = new Map<number, PlainGlyph>();
  const glyphOf = (cp: number): PlainGlyph => {
    let g = glyphs.get(cp);
    if (!g) {
      const found = font.glyphForCodePoint(cp).id;
      // Blank glyphs are where fonts are known to be broken (an empty outline past the end of the
      // table); checking only those keeps drawing fast, and any other damage fails at embedding.
      const id =
        cp <= 0x20 || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp === 0x3000
          ? drawable(font, found, cp)
          : found;
      const advance = metrics && metrics.length > 0 ? metrics.get(Math.min(id, metrics.length - 1)).advance : 0;
      g = { id, advanceWidth: advance, codePoints: [cp] };
      glyphs.set(cp, g);
    }
    return g;
  };
  const layout = (text: string) => plainRun(text, glyphOf);
  return new Proxy(font as object, {
    get: (target, key) => (key === 'layout' ? layout : Reflect.get(target, key, target)),
  });
}

/**
 * A glyph id the subsetter can embed: the glyph itself, or, when its outline or metrics cannot be
 * decoded (Carlito's U+00A0 in fontkit 2.0.4 points past the end of its `glyf` table), the space's
 * glyph for a space and the font's blank glyph for anything else, so one broken glyph cannot stop
 * the whole PDF.
 */
function drawable(font: KitFont, id: number, cp: number): number {
  const ok = (gid: number) => {
    try {
      const g = font.getGlyph(gid);
      g._decode();
      g._getMetrics();
      return Number.isFinite(g.advanceWidth);
    } catch {
      return false;
    }
  };
  if (ok(id)) return id;
  const space = font.glyphForCodePoint(0x20).id;
  return /\s/u.test(String.fromCodePoint(cp)) && ok(space) ? space : 0;
}

export async function renderPdf(memo: LaidPdf): Promise<Uint8Array> {
  const { default: PDFDocument } = (await import('pdfkit')) as unknown as {
    default: new (o: Record<string, unknown>) => PdfDoc;
  };
  mark('pdf: import pdfkit');
  const when = utcDate(memo.date, 12);
  const doc = new PDFDocument({
    size: [memo.width, memo.height],
    margin: 0,
    autoFirstPage: false,
    // No default font: pdfkit would otherwise load and parse Helvetica's metrics, never used here.
    font: null,
    compress: true,
    lang: memo.lang,
    displayTitle: true,
    tagged: true,
    pdfVersion: '1.7',
    info: {
      Title: memo.title,
      Author: memo.author ?? '',
      Subject: memo.subject ?? '',
      Creator: 'briefing',
      Producer: 'briefing (pdfkit)',
      CreationDate: when,
      ModDate: when,
    },
  });
  writeXmpEscaped(doc as unknown as XmpDoc);
  sortNamesByBytes(doc as unknown as CatalogDoc);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.on('data', (chunk) => chunks.push(chunk!));
  for (const [key, file] of Object.entries(memo.fonts)) doc.registerFont(key, await openFont(file));
  mark('pdf: open fonts');
  const marks = markedContent(doc, memo.structure, memo.pages.length > 1);
  const describe = linkDescriptions(memo);
  for (const page of memo.pages) {
    marks.close();
    doc.addPage({ size: [memo.width, memo.height], margin: 0 });
    for (const it of page.items) {
      if (it.type !== 'text') marks.open(it.tag);
      if (it.type === 'rect') doc.rect(it.x, it.y, it.w, it.h).fill(`#${it.fill}`);
      else if (it.type === 'image') doc.image(it.file, it.x, it.y, { width: it.w, height: it.h });
      else if (it.type === 'line')
        doc.lineWidth(it.width).strokeColor(`#${it.color}`).moveTo(it.x1, it.y1).lineTo(it.x2, it.y2).stroke();
      else if (it.type === 'wedge') doc.path(wedgePath(it.cx, it.cy, it.r, it.start, it.end)).fill(`#${it.fill}`);
      else if (it.type === 'dot') doc.circle(it.cx, it.cy, it.r).fill(`#${it.fill}`);
      else if (it.type === 'polyline') {
        const [first, ...rest] = it.points;
        if (!first) continue;
        doc.lineWidth(it.width).strokeColor(`#${it.color}`).lineJoin('round').moveTo(first.x, first.y);
        for (const p of rest) doc.lineTo(p.x, p.y);
        doc.stroke();
      } else {
        doc.font(it.font).fontSize(it.size).fillColor(`#${it.color}`);
        oneRunPerText((doc as unknown as { _font: PdfkitFont })._font);
        // No OpenType `features`: the fonts' `layout` gives plain advances, no ligatures or kerning,
        // as layout measured, whatever is asked; and without them pdfkit keeps each word's run
        // rather than laying the text out again for every width it takes.
        const options: Record<string, unknown> = {
          lineBreak: false,
          baseline: 'alphabetic',
        };
        if (it.charSpacing) options.characterSpacing = it.charSpacing;
        // Passages in another language get their own; letter-spaced words (which text extraction
        // reads letter by letter: `B RIEF I NG`) carry themselves as ActualText.
        const parts = languageSpans(it.text, memo.lang).map((p) => ({
          ...p,
          actual: it.charSpacing > 0 && /[\p{L}\p{N}]/u.test(p.text) ? p.text : undefined,
        }));
        if (parts.every((p) => !p.lang && !p.actual)) {
          marks.open(it.tag);
          doc.text(it.text, it.x, it.y, options);
        } else {
          let x = it.x;
          for (const part of parts) {
            if (!part.lang && !part.actual) marks.open(it.tag);
            const span =
              part.lang || part.actual
                ? marks.span(it.tag, { lang: part.lang ?? undefined, actual: part.actual })
                : null;
            if (span) insideText(doc, span, () => doc.text(part.text, x, it.y, options));
            else doc.text(part.text, x, it.y, options);
            x += doc.widthOfString(part.text, {}) + it.charSpacing * [...part.text].length;
          }
        }
        // The link's area is the text's, from ascent to descent; its annotation is tagged with its
        // Link and says where it leads (PDF/UA-1 §7.18.5).
        if (it.href) {
          const area = [it.x, it.y - it.size * 0.8, doc.widthOfString(it.text, options), it.size] as const;
          const link = { structParent: marks.element(it.tag), Contents: new String(describe(it.tag, it.href)) };
          if (it.href.startsWith('#')) doc.goTo(...area, it.href.slice(1), link);
          else doc.link(...area, it.href, link);
        }
        if (it.dest) doc.addNamedDestination(it.dest, 'XYZ', it.x, it.y - it.size * 1.5, null);
      }
    }
  }
  marks.close();
  mark('pdf: draw');
  mapNothingToNul(doc as unknown as { _fontFamilies: Record<string, EmbeddedFontLike> });
  try {
    // Subsetting and embedding the fonts happen here, reading glyph data drawing did not touch.
    doc.end();
  } catch (cause) {
    throw new AssetError(
      Object.values(memo.fonts).join(', '),
      `could not be embedded (${String((cause as Error)?.message ?? cause).slice(0, 80)})`,
      { cause },
    );
  }
  await done;
  mark('pdf: subset fonts, write');
  return new Uint8Array(Buffer.concat(chunks));
}

interface CatalogDoc {
  _root: { data: { Names?: { data: { Dests?: { _compareKeys(a: string, b: string): number } } } } };
}

/**
 * pdfkit sorts the named destinations with `localeCompare`, whose first call builds an ICU collator
 * (10–15 ms). A name tree's keys are sorted in byte order (ISO 32000-1 §7.9.6), which is what this
 * does; for our names (`source-12`) the two orders agree.
 */
function sortNamesByBytes(doc: CatalogDoc): void {
  const dests = doc._root?.data?.Names?.data?.Dests;
  if (dests) dests._compareKeys = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}

interface XmpDoc {
  info: { Title?: string; Author?: string; Subject?: string; Creator?: string; Producer?: string; CreationDate: Date };
  appendXML(xml: string, newline?: boolean): void;
  _addInfo(): void;
}

/** Text as XML character data: only characters XML allows, and `&`, `<`, `>`, quotes escaped. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * pdfkit 0.20 writes the document's title, author and subject into the XMP metadata unescaped, so
 * a title with `&` or `<` (the built-in pack's author line has one) makes the packet ill-formed.
 * This writes the same packet with every value escaped.
 */
function writeXmpEscaped(doc: XmpDoc): void {
  doc._addInfo = function (this: XmpDoc) {
    const i = this.info;
    const li = (v: string, lang = true) => `<rdf:li${lang ? ' xml:lang="x-default"' : ''}>${xmlText(v)}</rdf:li>`;
    this.appendXML(
      `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${i.CreationDate.toISOString().split('.')[0]}Z</xmp:CreateDate><xmp:CreatorTool>${xmlText(i.Creator ?? '')}</xmp:CreatorTool></rdf:Description>`,
    );
    if (i.Title || i.Author || i.Subject) {
      let dc = '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">';
      if (i.Title) dc += `<dc:title><rdf:Alt>${li(i.Title)}</rdf:Alt></dc:title>`;
      if (i.Author) dc += `<dc:creator><rdf:Seq>${li(i.Author, false)}</rdf:Seq></dc:creator>`;
      if (i.Subject) dc += `<dc:description><rdf:Alt>${li(i.Subject)}</rdf:Alt></dc:description>`;
      this.appendXML(`${dc}</rdf:Description>`);
    }
    this.appendXML(
      `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>${xmlText(i.Producer ?? '')}</pdf:Producer></rdf:Description>`,
    );
    // The PDF/UA identifier (ISO 14289-1 §5): the file claims conformance to part 1.
    this.appendXML(
      '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
    );
  };
}

/**
 * Marks what is drawn as content of the structure (ISO 32000-1 §14.7): a structure node's pieces
 * in a marked-content sequence linked to its element, page furniture and decoration as artifacts.
 * Elements are made when their first piece is drawn, so the structure tree's order is the reading
 * order layout drew in (see StructNode).
 */
function markedContent(doc: PdfDoc, nodes: readonly StructNode[], bookmarks: boolean) {
  const elements = new Map<number, PdfElement>();
  // Bookmarks: added when their node's first piece is drawn, so they open its page.
  let section: PdfOutline | null = null;
  const element = (id: number): PdfElement => {
    let e = elements.get(id);
    if (!e) {
      const node = nodes[id]!;
      const options: Record<string, unknown> = {};
      if (node.alt) options.alt = node.alt;
      if (node.title) options.title = node.title;
      if (node.role === 'TH') options.scope = 'Row';
      e = doc.struct(node.role, options);
      if (node.parent === null) doc.addStructure(e);
      else element(node.parent).add(e);
      elements.set(id, e);
      if (bookmarks && node.bookmark && node.title) {
        const title = node.title.replace(/\s+/g, ' ').trim();
        if (node.bookmark === 1 || !section) section = doc.outline.addItem(title);
        else section.addItem(title);
      }
    }
    return e;
  };
  // The sequence open now: a node, page furniture, decoration (undefined), or none (null).
  let current: Tag | undefined | null = null;
  const self = {
    element: (tag: Tag | undefined) => (typeof tag === 'number' ? element(tag) : undefined),
    /**
     * A span of `tag`'s content with its own language or replacement text: a Span element under
     * the node (ISO 32000-1 §14.9.2, §14.9.4), or, in an artifact, a Span sequence inside it. Its
     * `open` and `close` are called inside the text object (see insideText).
     */
    span(tag: Tag | undefined, options: { lang?: string; actual?: string }): Span {
      const o = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
      if (typeof tag !== 'number') {
        self.open(tag);
        return { open: () => doc.markContent('Span', o), close: () => doc.endMarkedContent() };
      }
      if (current !== null) doc.endMarkedContent();
      current = null;
      return {
        open: () => {
          const e = doc.struct('Span', o);
          element(tag).add(e);
          e.add(doc.markStructureContent('Span', o));
        },
        close: () => doc.endMarkedContent(),
      };
    },
    open(tag: Tag | undefined) {
      if (tag === current) return;
      if (current !== null) doc.endMarkedContent();
      current = tag;
      if (tag === undefined) doc.markContent('Artifact', { type: 'Layout' });
      else if (tag === 'page') doc.markContent('Artifact', { type: 'Pagination' });
      else {
        const e = element(tag);
        e.add(doc.markStructureContent(nodes[tag]!.role));
      }
    },
    close() {
      if (current !== null) doc.endMarkedContent();
      current = null;
    },
  };
  return self;
}

interface Span {
  open(): void;
  close(): void;
}

/**
 * Draws with `span` open inside pdfkit's text object (after its BT, before its ET), so the span's
 * glyphs and its end share one graphics state. Outside it, past pdfkit's `Q`, poppler places a
 * span's ActualText by the page's flipped matrix: at the foot of the page, out of reading order.
 */
function insideText(doc: PdfDoc, span: Span, draw: () => void): void {
  const target = doc as unknown as { addContent(data: string): unknown };
  const add = target.addContent;
  target.addContent = function (this: unknown, data: string) {
    if (data === 'ET') span.close();
    const out = add.call(this, data);
    if (data === 'BT') span.open();
    return out;
  };
  try {
    draw();
  } finally {
    target.addContent = add;
  }
}

/** The letters of a script in a passage worth its own language: a word of 4 letters or two words. */
const LATIN_PASSAGE =
  /[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’.&/:@?=#%+~-]*(?:[ ,;:!?]+[A-Za-z0-9\u00C0-\u024F][\w\u00C0-\u024F'’.&/:@?=#%+~-]*)*/g;
const HAN_PASSAGE =
  /[\u3400-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}][\u3000-\u303F\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u{20000}-\u{3FFFF}]*/gu;

/**
 * A line of text cut where it changes language: English passages (titles, names, addresses) in a
 * Chinese document, Chinese ones in an English document, each with its language tag, so a screen
 * reader switches voice (PDF/UA-1 §7.2). Abbreviations and units (`AI`, `5 GW`) stay in the line.
 */
export function languageSpans(text: string, docLang: string): { text: string; lang: string | null }[] {
  const zh = /^zh\b/i.test(docLang);
  const found = zh ? LATIN_PASSAGE : HAN_PASSAGE;
  const out: { text: string; lang: string | null }[] = [];
  let last = 0;
  for (const m of text.matchAll(found)) {
    const passage = m[0];
    if (
      zh &&
      !/[A-Za-z\u00C0-\u024F]{4}|[A-Za-z\u00C0-\u024F]{2,}[^A-Za-z\u00C0-\u024F]+[A-Za-z\u00C0-\u024F]{2,}/.test(
        passage,
      )
    )
      continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index), lang: null });
    out.push({ text: passage, lang: zh ? 'en' : 'zh' });
    last = m.index + passage.length;
  }
  if (last < text.length || out.length === 0) out.push({ text: text.slice(last), lang: null });
  return out;
}

/**
 * What each link says it does, for its annotation's /Contents (PDF/UA-1 §7.18.5): a web link its
 * visible text (or its address), a note mark its number and the source entry it leads to.
 */
export function linkDescriptions(pdf: LaidPdf): (tag: Tag | undefined, href: string) => string {
  const text = new Map<number, string>();
  const destTag = new Map<string, number>();
  for (const page of pdf.pages)
    for (const it of page.items) {
      if (it.type !== 'text' || typeof it.tag !== 'number') continue;
      text.set(it.tag, (text.get(it.tag) ?? '') + it.text);
      if (it.dest) destTag.set(it.dest, it.tag);
    }
  const within = (tag: number, root: number): boolean => {
    for (let t: number | null = tag; t !== null; t = pdf.structure[t]?.parent ?? null) if (t === root) return true;
    return false;
  };
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 500);
  // A note mark's entry, once per destination: a memo has a mark on nearly every item.
  const entries = new Map<string, string>();
  return (tag, href) => {
    const visible = clean(typeof tag === 'number' ? (text.get(tag) ?? '') : '');
    if (!href.startsWith('#')) return visible || href;
    // The entry a note mark leads to: the source list item holding its destination, without its
    // number and its web address (a link of its own, described on its own).
    if (!entries.has(href)) entries.set(href, entryText(href.slice(1)));
    return clean(`${visible} ${entries.get(href)}`) || href;
  };
  function entryText(dest: string): string {
    const at = destTag.get(dest);
    let item = at ?? null;
    while (item !== null && pdf.structure[item]?.role !== 'LI') item = pdf.structure[item]?.parent ?? null;
    const scope = item ?? at;
    const skip = (t: number) => {
      for (let n: number | null = t; n !== null && n !== scope; n = pdf.structure[n]?.parent ?? null)
        if (pdf.structure[n]?.role === 'Lbl' || pdf.structure[n]?.role === 'Link') return true;
      return false;
    };
    return scope === undefined || scope === null
      ? ''
      : clean(
          [...text]
            .filter(([t]) => within(t, scope) && !skip(t))
            .map(([, s]) => s)
            .join(''),
        );
  }
}

interface PdfkitFont {
  layout(text: string, features?: unknown, onlyWidth?: boolean): unknown;
  layoutRun?(text: string): { glyphs: unknown[]; positions: { xAdvance: number }[] };
}

const runsPerFont = new WeakMap<PdfkitFont, Map<string, unknown>>();

/**
 * pdfkit lays a text out three times to draw it (its width twice, its glyphs once), splitting it
 * into words with an array made per character and joining the words' runs again. Our fonts' layout
 * is one glyph per character, so one run per text serves all three; pdfkit only reads it.
 */
function oneRunPerText(font: PdfkitFont): void {
  if (runsPerFont.has(font) || typeof font.layoutRun !== 'function') return;
  const runs = new Map<string, unknown>();
  runsPerFont.set(font, runs);
  const layoutRun = font.layoutRun.bind(font);
  font.layout = (text: string) => {
    let run = runs.get(text);
    if (!run) {
      const { glyphs, positions } = layoutRun(text);
      let advanceWidth = 0;
      for (const p of positions) advanceWidth += p.xAdvance;
      run = { glyphs, positions, advanceWidth };
      runs.set(text, run);
    }
    return run;
  };
}

interface EmbeddedFontLike {
  unicode?: number[][];
  document: { ref(): { end(data: string): void } };
  toUnicodeCmap?: () => unknown;
}

/**
 * pdfkit's ToUnicode CMap maps glyph 0 (.notdef, never drawn) to U+0000, which PDF/UA-1 forbids
 * (ISO 14289-1 §7.21.7). This writes each font's CMap from glyph 1, in ranges that keep to one
 * high byte and at most 100 to a block, as the CMap format asks.
 */
function mapNothingToNul(doc: { _fontFamilies: Record<string, EmbeddedFontLike> }): void {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  for (const font of Object.values(doc._fontFamilies ?? {})) {
    if (!font.unicode || typeof font.toUnicodeCmap !== 'function') continue;
    font.toUnicodeCmap = function (this: EmbeddedFontLike) {
      const cmap = this.document.ref();
      const codes = (cps: readonly number[]) =>
        cps
          .flatMap((cp) => (cp > 0xffff ? [0xd800 | ((cp - 0x10000) >>> 10), 0xdc00 | ((cp - 0x10000) & 0x3ff)] : [cp]))
          .map(hex)
          .join('');
      const unicode = this.unicode!;
      const ranges: string[] = [];
      for (let start = 1; start < unicode.length; start = (Math.floor(start / 256) + 1) * 256) {
        const end = Math.min((Math.floor(start / 256) + 1) * 256, unicode.length);
        ranges.push(
          `<${hex(start)}> <${hex(end - 1)}> [${unicode
            .slice(start, end)
            .map((cps) => `<${codes(cps?.length ? cps : [0xfffd])}>`)
            .join(' ')}]`,
        );
      }
      const blocks: string[] = [];
      for (let i = 0; i < ranges.length; i += 100)
        blocks.push(
          `${ranges.slice(i, i + 100).length} beginbfrange\n${ranges.slice(i, i + 100).join('\n')}\nendbfrange`,
        );
      cmap.end(
        '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <<\n  /Registry (Adobe)\n  /Ordering (UCS)\n  /Supplement 0\n>> def\n' +
          '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><ffff>\nendcodespacerange\n' +
          `${blocks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`,
      );
      return cmap;
    };
  }
}
