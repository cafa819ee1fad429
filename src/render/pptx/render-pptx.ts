// render: LaidDeck → PPTX bytes. Translates only: every size and position was decided by layout.
// pptxgenjs writes the package (masters, slides, shapes, notes, relationships); the text bodies
// are written by text-body-xml.ts, and the zip is rewritten so the same deck gives the same bytes.
import { strFromU8, strToU8, unzipSync } from 'fflate';
import type { LaidDeck, SlideChart, SlideShape, SlideTextBox, TextRun } from '../../model/layout.js';
import { escapeXml, type Faces, notesBodyXml, textBodyXml } from './text-body-xml.js';
import { writeZip, type ZipEntry } from './zip.js';

const INCH = 72;
const inch = (pt: number) => Math.round((pt / INCH) * 10000) / 10000;

/** The part of pptxgenjs we use; its bundled types do not resolve under NodeNext. */
interface Pres {
  layout: string;
  title: string;
  author: string;
  subject: string;
  company: string;
  theme: { headFontFace: string; bodyFontFace: string };
  defineLayout(o: { name: string; width: number; height: number }): void;
  defineSlideMaster(o: Record<string, unknown>): void;
  addSlide(o: { masterName: string }): PresSlide;
  write(o: { outputType: 'uint8array' }): Promise<Uint8Array>;
  ShapeType: Record<string, string>;
  ChartType: Record<string, string>;
}
interface PresSlide {
  addChart(type: string, data: { name: string; labels: string[]; values: number[] }[], o: Record<string, unknown>): void;
  addText(text: string, o: Record<string, unknown>): void;
  addShape(type: string, o: Record<string, unknown>): void;
  addImage(o: Record<string, unknown>): void;
  addNotes(text: string): void;
}

export interface RenderPptxOptions {
  /** Faces for a run; default: the run's own face in every slot. */
  faces?: (run: TextRun) => Faces;
}

export async function renderPptx(deck: LaidDeck, options: RenderPptxOptions = {}): Promise<Uint8Array> {
  const mod = (await import('pptxgenjs')) as unknown as { default: new () => Pres };
  const pres = new mod.default();
  const faces = options.faces ?? ((r: TextRun) => ({ latin: r.face, ea: r.eaFace, cs: r.face }));
  pres.defineLayout({ name: 'BRIEFING', width: inch(deck.width), height: inch(deck.height) });
  pres.layout = 'BRIEFING';
  pres.title = deck.title;
  pres.author = deck.author ?? '';
  pres.subject = deck.subject ?? '';
  pres.company = '';
  // The theme's own fonts, so no unused face (pptxgenjs defaults to Calibri Light) is declared.
  const face = firstRun(deck.slides.flatMap((s) => s.shapes))?.face ?? 'Calibri';
  pres.theme = { headFontFace: face, bodyFontFace: face };

  for (const m of deck.masters) {
    const objects: Record<string, unknown>[] = m.shapes.map((s) => shapeObject(s));
    if (m.title) objects.push({ placeholder: { options: { name: 'title', type: 'title', x: inch(m.title.x), y: inch(m.title.y), w: inch(m.title.w), h: inch(m.title.h) }, text: '' } });
    const master: Record<string, unknown> = { title: m.name, background: { color: m.background }, objects };
    if (m.slideNumber) {
      const n = m.slideNumber;
      master.slideNumber = { x: inch(n.x), y: inch(n.y), w: inch(n.w), h: inch(n.h), fontFace: n.face, fontSize: n.size, color: n.color, align: 'right' };
    }
    pres.defineSlideMaster(master);
  }

  // Each text box is added with a token, replaced below by the text body we write ourselves.
  const bodies = new Map<string, { body: string; name: string | null }>();
  const notes = new Map<string, { body: string; name: string | null }>();
  // Panels, bars and rules by slide part name: marked decorative, so screen readers skip them.
  const decorative = new Map<string, Set<string>>();
  deck.slides.forEach((slide, si) => {
    decorative.set(`ppt/slides/slide${si + 1}.xml`, new Set(slide.shapes.filter((x) => x.type === 'rect' || x.type === 'line').map((x) => x.name)));
    const s = pres.addSlide({ masterName: slide.master });
    slide.shapes.forEach((shape, k) => {
      if (shape.type === 'text') {
        const token = `BRIEFINGTOKEN${si}x${k}Z`;
        bodies.set(token, { body: textBodyXml(shape, faces), name: shape.name });
        const where = shape.placeholder === 'title' ? { placeholder: 'title' } : position(shape);
        s.addText(token, { ...where, objectName: shape.name });
      } else if (shape.type === 'image') {
        s.addImage({ path: shape.file, ...position(shape), altText: shape.alt, objectName: shape.name });
      } else if (shape.type === 'chart') {
        const c = shape.chart;
        s.addChart(pres.ChartType[c.kind === 'column' ? 'bar' : c.kind]!, [{ name: c.title, labels: c.categories, values: c.values }], chartOptions(shape));
      } else if (shape.type === 'rect') {
        s.addShape('rect', { ...position(shape), fill: { color: shape.fill }, line: { color: shape.fill, width: 0 }, objectName: shape.name });
      } else {
        s.addShape('line', { x: inch(shape.x), y: inch(shape.y), w: inch(shape.w), h: inch(shape.h), line: { color: shape.color, width: shape.width }, objectName: shape.name });
      }
    });
    if (slide.notes) {
      const token = `BRIEFINGNOTES${si}Z`;
      const run = firstRun(slide.shapes);
      notes.set(token, { body: notesBodyXml(slide.notes, deck.lang, run ? faces(run) : { latin: 'Calibri', ea: 'Calibri', cs: 'Calibri' }), name: null });
      s.addNotes(token);
    }
  });

  const raw = await pres.write({ outputType: 'uint8array' });
  return normalizePackage(raw, (name, xml) => {
    if (name.startsWith('ppt/slides/slide') || name.startsWith('ppt/notesSlides/')) {
      // pptxgenjs tags its own fields (slide numbers) en-US; they are in the deck's language.
      const out = replaceBodies(replaceBodies(xml, bodies), notes).replace(/ lang="en-US"/g, ` lang="${deck.lang}"`);
      return markDecorative(out, decorative.get(name));
    }
    // Masters and layouts too: a slide the user adds, and its placeholders, are in the deck's language.
    if (/^ppt\/(slideLayouts|slideMasters|notesMasters)\//.test(name)) return xml.replace(/ lang="en-US"/g, ` lang="${deck.lang}"`);
    if (name.startsWith('ppt/charts/chart')) return chartXml(xml, deck.lang);
    if (name === 'docProps/core.xml') return coreXml(deck);
    if (name === 'docProps/app.xml') return xml.replace(/<Company>.*?<\/Company>/, '<Company></Company>');
    return xml;
  }, deck.date);
}

/**
 * pptxgenjs's options for a chart: no text at all (title and labels are measured text boxes
 * beside it), the plot at the place layout chose (a manual layout), fixed axis ends and bar gaps
 * so that the bars land where the layout's marks are, the theme's colours, the alternative text.
 */
export function chartOptions(shape: SlideChart): Record<string, unknown> {
  const c = shape.chart;
  const f = (v: number) => Math.round(v * 10000) / 10000;
  const common: Record<string, unknown> = {
    ...position(shape),
    objectName: shape.name,
    altText: c.alt,
    showTitle: false,
    showLegend: false,
    showValue: false,
    showPercent: false,
    showLabel: false,
    layout: { x: f((shape.plot.x - shape.x) / shape.w), y: f((shape.plot.y - shape.y) / shape.h), w: f(shape.plot.w / shape.w), h: f(shape.plot.h / shape.h) },
  };
  if (c.kind === 'pie') return { ...common, chartColors: c.categories.map((_, i) => shape.colors[i % shape.colors.length]), firstSliceAng: 0, dataBorder: { pt: 1, color: 'FFFFFF' } };
  const axes: Record<string, unknown> = {
    ...common,
    chartColors: [shape.colors[0]],
    catAxisHidden: true,
    valAxisHidden: true,
    catGridLine: { style: 'none' },
    valGridLine: { style: 'none' },
    ...(shape.axis ? { valAxisMinVal: shape.axis.min, valAxisMaxVal: shape.axis.max } : {}),
  };
  if (c.kind === 'line') return { ...axes, lineSize: 2.5, lineDataSymbol: 'circle', lineDataSymbolSize: 8, lineDataSymbolLineColor: shape.colors[0] };
  return { ...axes, barDir: c.kind === 'bar' ? 'bar' : 'col', barGapWidthPct: shape.gapWidth, ...(c.kind === 'bar' ? { catAxisOrientation: 'maxMin' } : {}) };
}

/** A chart part in the deck's language, without rounded corners. */
export function chartXml(xml: string, lang: string): string {
  const out = xml
    .replace(/ lang="en-US"/g, ` lang="${lang}"`)
    .replace(/<c:lang val="[^"]*"\/>/, '')
    .replace(/<c:roundedCorners val="1"\/>/, '<c:roundedCorners val="0"/>');
  // `c:lang` comes right after `c:date1904` (or first) in a chart space.
  return /<c:date1904 [^>]*\/>/.test(out) ? out.replace(/<c:date1904 [^>]*\/>/, (m) => `${m}<c:lang val="${lang}"/>`) : out.replace(/(<c:chartSpace[^>]*>)/, `$1<c:lang val="${lang}"/>`);
}

function position(s: { x: number; y: number; w: number; h: number }): Record<string, number> {
  return { x: inch(s.x), y: inch(s.y), w: inch(s.w), h: inch(s.h) };
}

function shapeObject(s: SlideShape): Record<string, unknown> {
  if (s.type === 'rect') return { rect: { ...position(s), fill: { color: s.fill }, line: { color: s.fill, width: 0 } } };
  if (s.type === 'line') return { line: { x: inch(s.x), y: inch(s.y), w: inch(s.w), h: inch(s.h), line: { color: s.color, width: s.width } } };
  if (s.type === 'image') return { image: { path: s.file, ...position(s) } };
  return { text: { text: '', options: position(s) } };
}

function firstRun(shapes: readonly SlideShape[]): TextRun | null {
  for (const s of shapes) if (s.type === 'text') for (const p of (s as SlideTextBox).paragraphs) if (p.runs[0]) return p.runs[0];
  return null;
}

/**
 * Replaces the `<p:txBody>` that holds each token with the prepared body, and names the shape
 * (pptxgenjs ignores names on placeholders).
 */
function replaceBodies(xml: string, bodies: ReadonlyMap<string, { body: string; name: string | null }>): string {
  let out = xml;
  for (const [token, { body, name }] of bodies) {
    const at = out.indexOf(token);
    if (at < 0) continue;
    const start = out.lastIndexOf('<p:txBody>', at);
    const end = out.indexOf('</p:txBody>', at);
    if (start < 0 || end < 0) throw new Error(`internal: text body for ${token} not found`);
    let head = out.slice(0, start);
    if (name !== null) {
      const sp = head.lastIndexOf('<p:sp>');
      head = head.slice(0, sp) + head.slice(sp).replace(/(<p:cNvPr [^>]*name=")[^"]*"/, `$1${escapeXml(name)}"`);
    }
    out = head + body + out.slice(end + '</p:txBody>'.length);
  }
  return out;
}

/**
 * Marks the named shapes decorative (Office 2019's `adec:decorative`), as PowerPoint's
 * accessibility checker asks of shapes that carry no information; older viewers ignore it.
 */
export function markDecorative(xml: string, names: ReadonlySet<string> | undefined): string {
  if (!names || names.size === 0) return xml;
  const written = new Set([...names].map(escapeXml));
  return xml.replace(/<p:cNvPr (id="\d+" name="([^"]*)"[^>]*?)(?:\/>|><\/p:cNvPr>)/g, (whole, attrs: string, name: string) =>
    written.has(name) ? `<p:cNvPr ${attrs}><a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst></p:cNvPr>` : whole,
  );
}

function coreXml(deck: LaidDeck): string {
  const when = `${deck.date}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(deck.title)}</dc:title>` +
    `<dc:subject>${escapeXml(deck.subject ?? '')}</dc:subject>` +
    `<dc:creator>${escapeXml(deck.author ?? '')}</dc:creator>` +
    `<dc:language>${escapeXml(deck.lang)}</dc:language>` +
    `<cp:lastModifiedBy>briefing</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** Renames `chartN.xml` and `Microsoft_Excel_WorksheetN.xlsx` to 1, 2, … in order, in names and in text. */
function renumbering(names: readonly string[]): (text: string) => string {
  const maps = (re: RegExp) => {
    const found = [...new Set(names.flatMap((n) => [...n.matchAll(re)].map((m) => Number(m[1]))))].sort((a, b) => a - b);
    return new Map(found.map((n, i) => [n, i + 1]));
  };
  const charts = maps(/charts\/chart(\d+)\.xml/g);
  const books = maps(/Microsoft_Excel_Worksheet(\d+)\.xlsx/g);
  if (charts.size === 0 && books.size === 0) return (t) => t;
  return (text) =>
    text
      .replace(/\bchart(\d+)\.xml\b/g, (m, n: string) => (charts.has(Number(n)) ? `chart${charts.get(Number(n))}.xml` : m))
      .replace(/Microsoft_Excel_Worksheet(\d+)\.xlsx/g, (m, n: string) => (books.has(Number(n)) ? `Microsoft_Excel_Worksheet${books.get(Number(n))}.xlsx` : m));
}

/**
 * Rewrites a zip package: XML parts through `edit`, `[Content_Types].xml` first, no directory
 * entries, every entry dated `date`, deflated. The same input gives the same bytes.
 */
export function normalizePackage(zip: Uint8Array, edit: (name: string, xml: string) => string, date: string): Uint8Array {
  const files = unzipSync(zip);
  const names = Object.keys(files).filter((n) => !n.endsWith('/'));
  names.sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0));
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Zip dates are local DOS times, from 1980 to 2107: build the date so that it does not depend on
  // the time zone, and clamp it to that range (the document's own date, in docProps, is exact).
  const mtime = y < 1980 ? new Date(1980, 0, 1, 12, 0, 0) : y > 2107 ? new Date(2107, 11, 31, 12, 0, 0) : new Date(y, m - 1, d, 12, 0, 0);
  const out: ZipEntry[] = [];
  // pptxgenjs numbers charts and their workbooks with a counter that runs on across decks made
  // in one process: number them from 1 in each deck, so the same deck gives the same bytes.
  const renumber = renumbering(names);
  const present = new Set(names.map(renumber));
  for (const original of names) {
    const data = files[original]!;
    const name = renumber(original);
    const isXml = name.endsWith('.xml') || name.endsWith('.rels');
    let text = isXml ? edit(name, renumber(strFromU8(data))) : null;
    // A chart's embedded workbook is a zip of its own, dated when it was made: dated like the deck.
    if (name.endsWith('.xlsx')) {
      out.push({ name, data: normalizePackage(data, (part, xml) => (part === 'docProps/core.xml' ? xml.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${date}T00:00:00Z`) : xml), date) });
      continue;
    }
    // pptxgenjs declares content types for parts it never writes (a master per slide).
    if (name === '[Content_Types].xml' && text !== null) text = text.replace(/<Override PartName="\/([^"]+)"[^>]*\/>/g, (whole, part: string) => (present.has(part) ? whole : ''));
    out.push({ name, data: text !== null ? strToU8(text) : data });
  }
  return writeZip(out, mtime);
}
