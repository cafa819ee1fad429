// render: LaidDeck → PPTX bytes. Translates only: every size and position was decided by layout.
// pptxgenjs writes the package (masters, slides, shapes, notes, relationships); the text bodies
// are written by text-body-xml.ts, and the zip is rewritten so the same deck gives the same bytes.
import { strFromU8, strToU8, unzipSync } from 'fflate';
import type { DeckTheme, LaidDeck, SlideChart, SlideShape, SlideTextBox, TextRun } from '../../model/layout.js';
import { graftReference } from './graft.js';
import { escapeXml, type Faces, notesBodyXml, textBodyXml } from './text-body-xml.js';
import { capturedParts } from './parts-zip.js';
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
  addChart(
    type: string,
    data: { name: string; labels: string[]; values: number[] }[],
    o: Record<string, unknown>,
  ): void;
  addText(text: string, o: Record<string, unknown>): void;
  addShape(type: string, o: Record<string, unknown>): void;
  addImage(o: Record<string, unknown>): void;
  addNotes(text: string): void;
}

export interface RenderPptxOptions {
  /** Faces for a run; default: the run's own face in every slot. */
  faces?: (run: TextRun) => Faces;
  /** The bytes of the deck's reference file (`deck.reference`), whose masters the deck is put on. */
  reference?: Uint8Array;
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
    if (m.title)
      objects.push({
        placeholder: {
          options: {
            name: 'title',
            type: 'title',
            x: inch(m.title.x),
            y: inch(m.title.y),
            w: inch(m.title.w),
            h: inch(m.title.h),
          },
          text: '',
        },
      });
    const master: Record<string, unknown> = { title: m.name, background: { color: m.background }, objects };
    if (m.slideNumber) {
      const n = m.slideNumber;
      // No insets and top-aligned, like the source line beside it, so both sit on one baseline.
      master.slideNumber = {
        x: inch(n.x),
        y: inch(n.y),
        w: inch(n.w),
        h: inch(n.h),
        fontFace: n.face,
        fontSize: n.size,
        color: n.color,
        align: 'right',
        margin: 0,
        valign: 'top',
      };
    }
    pres.defineSlideMaster(master);
  }

  // Each text box is added with a token, replaced below by the text body we write ourselves.
  const bodies = new Map<string, { body: string; name: string | null }>();
  const notes = new Map<string, { body: string; name: string | null }>();
  // Panels, bars and rules by slide part name: marked decorative, so screen readers skip them.
  const decorative = new Map<string, Set<string>>();
  deck.slides.forEach((slide, si) => {
    decorative.set(
      `ppt/slides/slide${si + 1}.xml`,
      new Set(slide.shapes.filter((x) => x.type === 'rect' || x.type === 'line').map((x) => x.name)),
    );
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
        s.addChart(
          pres.ChartType[c.kind === 'column' ? 'bar' : c.kind]!,
          [{ name: c.title, labels: c.categories, values: c.values }],
          chartOptions(shape),
        );
      } else if (shape.type === 'rect') {
        s.addShape('rect', {
          ...position(shape),
          fill: { color: shape.fill },
          line: { color: shape.fill, width: 0 },
          objectName: shape.name,
        });
      } else {
        s.addShape('line', {
          x: inch(shape.x),
          y: inch(shape.y),
          w: inch(shape.w),
          h: inch(shape.h),
          line: { color: shape.color, width: shape.width },
          objectName: shape.name,
        });
      }
    });
    if (slide.notes) {
      const token = `BRIEFINGNOTES${si}Z`;
      const run = firstRun(slide.shapes);
      notes.set(token, {
        body: notesBodyXml(
          slide.notes,
          deck.lang,
          run ? faces(run) : { latin: 'Calibri', ea: 'Calibri', cs: 'Calibri' },
        ),
        name: null,
      });
      s.addNotes(token);
    }
  });

  const written = await pres.write({ outputType: 'uint8array' });
  return normalizePackage(
    // The CLI's bundle gives pptxgenjs a JSZip that keeps the parts (parts-zip.ts); JSZip zips them.
    capturedParts(written) ?? unzipSync(written as Uint8Array),
    (name, xml) => {
      if (name.startsWith('ppt/slides/slide') || name.startsWith('ppt/notesSlides/')) {
        // pptxgenjs tags its own fields (slide numbers) en-US; they are in the deck's language.
        const out = replaceBodies(replaceBodies(xml, bodies), notes).replace(/ lang="en-US"/g, ` lang="${deck.lang}"`);
        return markDecorative(out, decorative.get(name));
      }
      // Masters and layouts too: a slide the user adds, and its placeholders, are in the deck's language.
      if (/^ppt\/(slideLayouts|slideMasters)\//.test(name))
        return xml.replace(/ lang="en-US"/g, ` lang="${deck.lang}"`);
      if (name.startsWith('ppt/notesMasters/')) return notesMasterXml(xml, deck.lang, deck.date);
      if (name === 'ppt/presentation.xml') return presentationXml(xml);
      if (name === 'ppt/theme/theme1.xml' && deck.theme) return themeXml(xml, deck.theme, Boolean(deck.reference));
      if (name.startsWith('ppt/charts/chart')) return chartXml(xml, deck.lang);
      if (name === 'docProps/core.xml') return coreXml(deck);
      if (name === 'docProps/app.xml') return xml.replace(/<Company>.*?<\/Company>/, '<Company></Company>');
      return xml;
    },
    deck.date,
    categoryHeader(deck.lang),
    deck.reference && options.reference
      ? (files) =>
          graftReference(
            files,
            options.reference!,
            deck.reference!,
            deck.slides.map((s) => s.master === 'BRIEFING_COVER'),
          )
      : undefined,
  );
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
    layout: {
      x: f((shape.plot.x - shape.x) / shape.w),
      y: f((shape.plot.y - shape.y) / shape.h),
      w: f(shape.plot.w / shape.w),
      h: f(shape.plot.h / shape.h),
    },
  };
  if (c.kind === 'pie')
    return {
      ...common,
      chartColors: c.categories.map((_, i) => shape.colors[i % shape.colors.length]),
      firstSliceAng: 0,
      dataBorder: { pt: 1, color: 'FFFFFF' },
    };
  const axes: Record<string, unknown> = {
    ...common,
    chartColors: [shape.colors[0]],
    catAxisHidden: true,
    valAxisHidden: true,
    catGridLine: { style: 'none' },
    valGridLine: { style: 'none' },
    ...(shape.axis ? { valAxisMinVal: shape.axis.min, valAxisMaxVal: shape.axis.max } : {}),
  };
  if (c.kind === 'line')
    return {
      ...axes,
      lineSize: 2.5,
      lineDataSymbol: 'circle',
      lineDataSymbolSize: 8,
      lineDataSymbolLineColor: shape.colors[0],
    };
  return {
    ...axes,
    barDir: c.kind === 'bar' ? 'bar' : 'col',
    barGapWidthPct: shape.gapWidth,
    ...(c.kind === 'bar' ? { catAxisOrientation: 'maxMin' } : {}),
  };
}

/**
 * The presentation part in the schema's order (ISO/IEC 29500-1 §19.2.1.26): pptxgenjs 4.0.1 writes
 * `notesMasterIdLst` after `sldIdLst`, where PowerPoint's own files and the schema have it right
 * after `sldMasterIdLst`.
 */
export function presentationXml(xml: string): string {
  const notes = /<p:notesMasterIdLst>.*?<\/p:notesMasterIdLst>/s.exec(xml);
  if (!notes) return xml;
  const without = xml.slice(0, notes.index) + xml.slice(notes.index + notes[0].length);
  const at = without.indexOf('</p:sldMasterIdLst>');
  if (at < 0) return xml;
  const end = at + '</p:sldMasterIdLst>'.length;
  return without.slice(0, end) + notes[0] + without.slice(end);
}

/** The prompts of the notes master, as PowerPoint writes them in each language. */
const NOTES_PROMPTS: Readonly<Record<string, readonly string[]>> = {
  zh: ['按一下以編輯母片文字樣式', '第二層', '第三層', '第四層', '第五層'],
  'zh-Hans': ['单击此处编辑母版文本样式', '第二级', '第三级', '第四级', '第五级'],
};
const ENGLISH_PROMPTS = [
  'Click to edit Master text styles',
  'Second level',
  'Third level',
  'Fourth level',
  'Fifth level',
];

/**
 * The notes master in the deck's language: its prompt text (what PowerPoint shows when the notes
 * master is edited) in that language too, so no English text is tagged as Chinese, and its date
 * field showing the deck's date instead of pptxgenjs's fixed 7/23/19.
 */
export function notesMasterXml(xml: string, lang: string, date: string): string {
  const script = chineseScript(lang);
  const prompts = script === 'Hans' ? NOTES_PROMPTS['zh-Hans']! : script === 'Hant' ? NOTES_PROMPTS.zh! : null;
  let out = xml
    .replace(/ lang="en-US"/g, ` lang="${lang}"`)
    .replace(/(type="datetimeFigureOut">.*?<a:t>)[^<]*(<\/a:t>)/s, `$1${date}$2`);
  if (prompts)
    for (const [i, english] of ENGLISH_PROMPTS.entries())
      out = out.replace(`<a:t>${english}</a:t>`, `<a:t>${prompts[i]}</a:t>`);
  return out;
}

/**
 * A chart part in the deck's language, without rounded corners, a line chart with its grouping,
 * and with no reference to an axis it does not have: pptxgenjs 4.0.1 gives every bar chart a third `c:axId` (a series axis for 3-D
 * charts) that names no axis, which PowerPoint is reported to repair (gitbrent/PptxGenJS#1534).
 */
export function chartXml(xml: string, lang: string): string {
  const axes = new Set(
    [...xml.matchAll(/<c:(?:catAx|valAx|dateAx|serAx)>\s*<c:axId val="(\d+)"\/>/g)].map((m) => m[1]),
  );
  const out = xml
    .replace(
      /(<c:(?:bar|bar3D|line|line3D|area|area3D|scatter|radar|stock|surface|surface3D|bubble)Chart>)(.*?)(<\/c:\w+Chart>)/gs,
      (_, open: string, body: string, close: string) =>
        open + body.replace(/<c:axId val="(\d+)"\/>/g, (id, n: string) => (axes.has(n) ? id : '')) + close,
    )
    // A line chart's grouping is required (CT_LineChart), and a line series has no
    // `invertIfNegative` and its marker before its labels (CT_LineSer); pptxgenjs 4.0.1 writes
    // neither so.
    .replace(/<c:lineChart>(?!<c:grouping)/g, '<c:lineChart><c:grouping val="standard"/>')
    .replace(/<c:lineChart>.*?<\/c:lineChart>/gs, (chart) => chart.replace(/<c:ser>.*?<\/c:ser>/gs, lineSeries))
    .replace(/ lang="en-US"/g, ` lang="${lang}"`)
    .replace(/<c:lang val="[^"]*"\/>/, '')
    .replace(/<c:roundedCorners val="1"\/>/, '<c:roundedCorners val="0"/>');
  // `c:lang` comes right after `c:date1904` (or first) in a chart space.
  return /<c:date1904 [^>]*\/>/.test(out)
    ? out.replace(/<c:date1904 [^>]*\/>/, (m) => `${m}<c:lang val="${lang}"/>`)
    : out.replace(/(<c:chartSpace[^>]*>)/, `$1<c:lang val="${lang}"/>`);
}

/** A line series in the schema's order: no `invertIfNegative`, the marker before the labels. */
function lineSeries(ser: string): string {
  const out = ser.replace(/<c:invertIfNegative [^>]*\/>/g, '');
  const marker = /<c:marker>.*?<\/c:marker>/s.exec(out);
  const labels = out.search(/<c:(?:dPt|dLbls)>/);
  if (!marker || labels < 0 || labels > marker.index) return out;
  const without = out.slice(0, marker.index) + out.slice(marker.index + marker[0].length);
  return without.slice(0, labels) + marker[0] + without.slice(labels);
}

function position(s: { x: number; y: number; w: number; h: number }): Record<string, number> {
  return { x: inch(s.x), y: inch(s.y), w: inch(s.w), h: inch(s.h) };
}

function shapeObject(s: SlideShape): Record<string, unknown> {
  if (s.type === 'rect')
    return { rect: { ...position(s), fill: { color: s.fill }, line: { color: s.fill, width: 0 } } };
  if (s.type === 'line')
    return {
      line: { x: inch(s.x), y: inch(s.y), w: inch(s.w), h: inch(s.h), line: { color: s.color, width: s.width } },
    };
  if (s.type === 'image') return { image: { path: s.file, ...position(s) } };
  return { text: { text: '', options: position(s) } };
}

function firstRun(shapes: readonly SlideShape[]): TextRun | null {
  for (const s of shapes)
    if (s.type === 'text') for (const p of (s as SlideTextBox).paragraphs) if (p.runs[0]) return p.runs[0];
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
  return xml.replace(
    /<p:cNvPr (id="\d+" name="([^"]*)"[^>]*?)(?:\/>|><\/p:cNvPr>)/g,
    (whole, attrs: string, name: string) =>
      written.has(name)
        ? `<p:cNvPr ${attrs}><a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst></p:cNvPr>`
        : whole,
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
    const found = [...new Set(names.flatMap((n) => [...n.matchAll(re)].map((m) => Number(m[1]))))].sort(
      (a, b) => a - b,
    );
    return new Map(found.map((n, i) => [n, i + 1]));
  };
  const charts = maps(/charts\/chart(\d+)\.xml/g);
  const books = maps(/Microsoft_Excel_Worksheet(\d+)\.xlsx/g);
  if (charts.size === 0 && books.size === 0) return (t) => t;
  return (text) =>
    text
      .replace(/\bchart(\d+)\.xml\b/g, (m, n: string) =>
        charts.has(Number(n)) ? `chart${charts.get(Number(n))}.xml` : m,
      )
      .replace(/Microsoft_Excel_Worksheet(\d+)\.xlsx/g, (m, n: string) =>
        books.has(Number(n)) ? `Microsoft_Excel_Worksheet${books.get(Number(n))}.xlsx` : m,
      );
}

/**
 * Zips a package's parts: XML parts through `edit`, `[Content_Types].xml` first, no directory
 * entries, every entry dated `date`, deflated. The same input gives the same bytes. Chart
 * workbooks inside are rewritten by workbookXml, their category column headed `header`.
 */
export function normalizePackage(
  unzipped: Record<string, Uint8Array>,
  edit: (name: string, xml: string) => string,
  date: string,
  header = 'Category',
  graft?: (files: Record<string, Uint8Array>) => Record<string, Uint8Array>,
): Uint8Array {
  const files = graft ? graft(unzipped) : unzipped;
  const names = Object.keys(files).filter((n) => !n.endsWith('/'));
  names.sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0));
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Zip dates are local DOS times, from 1980 to 2107: build the date so that it does not depend on
  // the time zone, and clamp it to that range (the document's own date, in docProps, is exact).
  const mtime =
    y < 1980
      ? new Date(1980, 0, 1, 12, 0, 0)
      : y > 2107
        ? new Date(2107, 11, 31, 12, 0, 0)
        : new Date(y, m - 1, d, 12, 0, 0);
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
      const rels = unzipSync(data, { filter: (f) => /^xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/.test(f.name) });
      const table =
        /<Relationship Id="([^"]+)"[^>]*relationships\/table"/.exec(
          Object.values(rels)
            .map((r) => strFromU8(r))
            .join(''),
        )?.[1] ?? null;
      out.push({
        name,
        data: normalizePackage(
          unzipSync(data),
          (part, xml) =>
            part === 'docProps/core.xml'
              ? xml.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${date}T00:00:00Z`)
              : workbookXml(part, xml, header, table),
          date,
        ),
      });
      continue;
    }
    // pptxgenjs declares content types for parts it never writes (a master per slide).
    if (name === '[Content_Types].xml' && text !== null)
      text = text.replace(/<Override PartName="\/([^"]+)"[^>]*\/>/g, (whole, part: string) =>
        present.has(part) ? whole : '',
      );
    out.push({ name, data: text !== null ? strToU8(text) : data });
  }
  return writeZip(out, mtime);
}

/** The heading of a chart workbook's category column, in the deck's language. */
export function categoryHeader(lang: string): string {
  const script = chineseScript(lang);
  return script === 'Hans' ? '类别' : script === 'Hant' ? '類別' : 'Category';
}

/** The Chinese script a language tag is written in (Simplified for zh-CN, zh-SG, zh-Hans…), or null for other languages. */
function chineseScript(tag: string): 'Hans' | 'Hant' | null {
  return /^zh-(CN|SG|Hans)\b/i.test(tag) ? 'Hans' : /^zh\b/i.test(tag) ? 'Hant' : null;
}

/**
 * A part of a chart's embedded workbook as Excel expects it (Excel opens it on "Edit data").
 * pptxgenjs 4.0.1 writes a table whose range ends in a stray apostrophe (`A1:B3'`), that the
 * sheet never lists in `tableParts`, whose first column is named "Column1" over an empty header
 * cell, and a style sheet with no cell formats. This writes the range plain, lists the table,
 * heads the category column (cell and table column alike), and adds the one default format.
 */
export function workbookXml(part: string, xml: string, header: string, tableRel: string | null = 'rId1'): string {
  if (/^xl\/tables\/table\d+\.xml$/.test(part)) {
    const names = [...xml.matchAll(/<tableColumn id="\d+" name="([^"]*)"/g)].slice(1).map((m) => m[1]);
    const heading = names.includes(escapeXml(header)) ? `${header} (A)` : header;
    return xml
      .replace(/(\sref="[^"']*)'(")/, '$1$2')
      .replace(/(<tableColumn id="1" name=")[^"]*(")/, `$1${escapeXml(heading)}$2`);
  }
  if (/^xl\/worksheets\/sheet\d+\.xml$/.test(part) && tableRel && !xml.includes('<tableParts'))
    return xml.replace(
      '</worksheet>',
      `<tableParts count="1"><tablePart r:id="${tableRel}"/></tableParts></worksheet>`,
    );
  if (part === 'xl/sharedStrings.xml') {
    // The header cell A1 is the first string, written empty.
    return xml.replace(/<si><t xml:space="preserve"><\/t><\/si>/, `<si><t>${escapeXml(header)}</t></si>`);
  }
  if (part === 'xl/styles.xml' && !xml.includes('<cellXfs')) {
    const formats =
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>';
    return xml.replace('</borders>', `</borders>${formats}`);
  }
  return xml;
}

/**
 * The theme part with the template's colour scheme and fonts in place of Office's. A reference's
 * theme (`house`) keeps its names and the slots our palette has no colour of its own for
 * (Background 1 and 2, the hyperlinks): only the text colours, the accents and the fonts become
 * the template folder's, so what theme.yaml changes is what PowerPoint offers next.
 */
export function themeXml(xml: string, theme: DeckTheme, house = false): string {
  const c = theme.colors;
  const color = (slot: string, hex: string) => `<a:${slot}><a:srgbClr val="${hex.toUpperCase()}"/></a:${slot}>`;
  if (house) {
    const slots: [string, string][] = [
      ['dk1', c.dk1],
      ['dk2', c.dk2],
      ...c.accents.map((hex, i): [string, string] => [`accent${i + 1}`, hex]),
    ];
    const face = (f: { latin: string; ea: string }) => (inner: string) =>
      inner
        .replace(/<a:latin typeface="[^"]*"/, `<a:latin typeface="${escapeXml(f.latin)}"`)
        .replace(/<a:ea typeface="[^"]*"/, `<a:ea typeface="${escapeXml(f.ea)}"`);
    return xml
      .replace(/<a:clrScheme\b[^>]*>.*?<\/a:clrScheme>/s, (scheme) =>
        slots.reduce(
          (out, [slot, hex]) => out.replace(new RegExp(`<a:${slot}>.*?</a:${slot}>`, 's'), color(slot, hex)),
          scheme,
        ),
      )
      .replace(/<a:majorFont>.*?<\/a:majorFont>/s, face(theme.major))
      .replace(/<a:minorFont>.*?<\/a:minorFont>/s, face(theme.minor));
  }
  const scheme =
    '<a:clrScheme name="Briefing">' +
    color('dk1', c.dk1) +
    color('lt1', c.lt1) +
    color('dk2', c.dk2) +
    color('lt2', c.lt2) +
    c.accents.map((hex, i) => color(`accent${i + 1}`, hex)).join('') +
    color('hlink', c.hlink) +
    color('folHlink', c.folHlink) +
    '</a:clrScheme>';
  const fonts = (tag: string, f: { latin: string; ea: string }) =>
    `<a:${tag}><a:latin typeface="${escapeXml(f.latin)}"/><a:ea typeface="${escapeXml(f.ea)}"/><a:cs typeface=""/></a:${tag}>`;
  const fontScheme = `<a:fontScheme name="Briefing">${fonts('majorFont', theme.major)}${fonts('minorFont', theme.minor)}</a:fontScheme>`;
  return xml
    .replace(/<a:clrScheme\b[^>]*>.*?<\/a:clrScheme>/s, scheme)
    .replace(/<a:fontScheme\b[^>]*>.*?<\/a:fontScheme>/s, fontScheme);
}
