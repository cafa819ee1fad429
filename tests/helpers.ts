// Shared test helpers: goldens, running the CLI, reading PPTX and PDF files back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, expect } from 'vitest';
import type { Diagnostic } from '../src/model/diagnostic.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
export const PACK = join(ROOT, 'content', 'real-ai-race');
export const BIN = join(ROOT, 'bin', 'briefing.js');

/** Compares with a golden file; `UPDATE=1` rewrites it. */
export function golden(path: string, actual: string): void {
  if (process.env.UPDATE === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    if (process.env.UPDATE !== '1')
      throw new Error(`golden ${path} did not exist; written now, review it and run again`);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** Diagnostics in the short form goldens use: `file:line:col severity[code] message`. */
export function shortDiagnostics(ds: readonly Diagnostic[]): string {
  return `${ds.map((d) => `${d.span ? `${d.span.file}:${d.span.line}:${d.span.col} ` : ''}${d.severity}[${d.code}] ${d.message}`).join('\n')}\n`;
}

const made: string[] = [];
// Temporary folders go when the test file is done (vitest's workers are stopped without an
// `exit` event, which left thousands behind in tmp), and at exit for anything made after that.
function removeMade(): void {
  for (const d of made.splice(0)) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // Best effort: a folder a test made unreadable is left.
    }
  }
}
afterAll(removeMade);
process.on('exit', removeMade);

export function tempDir(prefix = 'briefing-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function runCli(
  args: string[],
  cwd = tempDir(),
  env: Record<string, string> = {},
): { code: number; stdout: string; stderr: string; cwd: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, cwd };
}

export interface PptxRun {
  text: string;
  size: number | null;
  lang: string | null;
  bold: boolean;
  latin: string | null;
  ea: string | null;
  /** A line break (`<a:br>`) between runs. */
  isBreak: boolean;
}

export interface PptxShape {
  name: string;
  paragraphs: PptxRun[][];
  text: string;
}

export interface PptxSlide {
  shapes: PptxShape[];
  notes: string;
  notesLangs: string[];
  layout: string;
}

/** Reads a PPTX back: every slide's text shapes with their runs, and the speaker notes. */
export function readPptx(bytes: Uint8Array): { slides: PptxSlide[]; files: Record<string, string> } {
  const zip = unzipSync(bytes);
  const files: Record<string, string> = {};
  for (const [name, data] of Object.entries(zip)) if (/\.(xml|rels)$/.test(name)) files[name] = strFromU8(data);
  const pres = files['ppt/presentation.xml'] ?? '';
  const rels = files['ppt/_rels/presentation.xml.rels'] ?? '';
  const ids = [...pres.matchAll(/<p:sldId [^>]*r:id="(rId\d+)"/g)].map((m) => m[1]!);
  const targets = ids.map(
    (id) =>
      new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ??
      new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1],
  );
  const slides = targets.map((t) => {
    const path = `ppt/${t!.replace(/^\.?\/?/, '')}`;
    const slideXml = files[path]!;
    const slideRels = files[path.replace('slides/', 'slides/_rels/') + '.rels'] ?? '';
    const notesTarget = /Target="\.\.\/notesSlides\/([^"]+)"/.exec(slideRels)?.[1];
    const layoutTarget = /Target="\.\.\/slideLayouts\/([^"]+)"/.exec(slideRels)?.[1] ?? '';
    const notesXml = notesTarget ? (files[`ppt/notesSlides/${notesTarget}`] ?? '') : '';
    const notesBody =
      /<p:txBody>(?:(?!<\/p:txBody>).)*?<\/p:txBody>/s.exec(notesXml.split('type="body"')[1] ?? '')?.[0] ?? '';
    return {
      shapes: shapesOf(slideXml),
      notes: [...notesBody.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => decode(m[1]!)).join('\n'),
      notesLangs: [...notesBody.matchAll(/<a:rPr [^>]*lang="([^"]+)"/g)].map((m) => m[1]!),
      layout: layoutTarget,
    };
  });
  return { slides, files };
}

function shapesOf(slideXml: string): PptxShape[] {
  const shapes: PptxShape[] = [];
  for (const sp of slideXml.match(/<p:sp>.*?<\/p:sp>/gs) ?? []) {
    const name = /<p:cNvPr [^>]*name="([^"]*)"/.exec(sp)?.[1] ?? '';
    const paragraphs = (sp.match(/<a:p>.*?<\/a:p>/gs) ?? []).map((p) =>
      (p.match(/<a:r>.*?<\/a:r>|<a:br>.*?<\/a:br>/gs) ?? []).map((r) => {
        if (r.startsWith('<a:br>'))
          return { text: '\n', size: null, lang: null, bold: false, latin: null, ea: null, isBreak: true };
        const rPr = /<a:rPr([^>]*)>/.exec(r)?.[1] ?? '';
        const attr = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(rPr)?.[1] ?? null;
        return {
          text: decode(/<a:t>([^<]*)<\/a:t>/.exec(r)?.[1] ?? ''),
          size: attr('sz') ? Number(attr('sz')) / 100 : null,
          lang: attr(' lang'),
          bold: attr(' b') === '1',
          latin: /<a:latin typeface="([^"]*)"/.exec(r)?.[1] ?? null,
          ea: /<a:ea typeface="([^"]*)"/.exec(r)?.[1] ?? null,
          isBreak: false,
        };
      }),
    );
    const fld = [...sp.matchAll(/<a:fld [^>]*>.*?<a:t>([^<]*)<\/a:t>/gs)].map((m) => m[1]!).join('');
    const text = paragraphs.map((p) => p.map((r) => r.text).join('')).join('\n') + fld;
    shapes.push({ name, paragraphs, text });
  }
  return shapes;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Parses every XML part; throws on the first that is not well-formed. */
export function parseAllXml(files: Record<string, string>): number {
  for (const [name, text] of Object.entries(files)) {
    try {
      const v = new XMLParser().parse(text, true);
      if (!v) throw new Error('empty');
    } catch (cause) {
      throw new Error(`${name} is not well-formed XML: ${(cause as Error).message}`);
    }
  }
  return Object.keys(files).length;
}

export interface PdfInfo {
  pages: number;
  text: string[];
  fonts: string[];
  info: Record<string, unknown>;
  pageSize: [number, number];
}

/** Reads a PDF back with pdf.js: page count, text per page, font names, metadata. */
export async function readPdf(bytes: Uint8Array): Promise<PdfInfo> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const text: string[] = [];
  const fonts = new Set<string>();
  let pageSize: [number, number] = [0, 0];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    if (i === 1) {
      const vp = page.getViewport({ scale: 1 });
      pageSize = [Math.round(vp.width * 100) / 100, Math.round(vp.height * 100) / 100];
    }
    const content = await page.getTextContent();
    text.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
    const ops = await page.getOperatorList();
    for (let k = 0; k < ops.fnArray.length; k++) {
      if (ops.fnArray[k] === pdfjs.OPS.setFont) {
        const id = ops.argsArray[k][0] as string;
        const font = page.commonObjs.has(id) ? (page.commonObjs.get(id) as { name?: string }) : null;
        if (font?.name) fonts.add(font.name);
      }
    }
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages: text.length, text, fonts: [...fonts], info: meta.info as Record<string, unknown>, pageSize };
}

/** A node of a tagged PDF's structure tree as pdf.js reads it, with the text of its marked content. */
export interface StructElem {
  role: string;
  alt: string | null;
  /** Its own and its descendants' text, in order. */
  text: string;
  children: StructElem[];
}

export interface PdfStructure {
  marked: boolean;
  /** The document language (the catalog's /Lang). */
  lang: string | null;
  /** Bookmarks: titles, nested. */
  outline: { title: string; items: PdfStructure['outline'] }[];
  /** Per page: the structure elements with content on it, and the text outside any structure element. */
  pages: { roots: StructElem[]; artifactText: string; untagged: string }[];
}

/** Reads a PDF's logical structure back with pdf.js: each page's structure tree with its text. */
export async function readPdfStructure(bytes: Uint8Array): Promise<PdfStructure> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const marked = Boolean((await doc.getMarkInfo())?.Marked);
  let lang: string | null = null;
  const pages: PdfStructure['pages'] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent({ includeMarkedContent: true });
    lang ??= (content as { lang?: string | null }).lang ?? null;
    // Text by marked-content id; text in artifacts; text in no marked content at all.
    const byId = new Map<string, string>();
    const stack: { id: string | null; tag: string }[] = [];
    let artifactText = '';
    let untagged = '';
    let last = '';
    for (const it of content.items as ({ type?: string; id?: string | null; tag?: string } & {
      str?: string;
      hasEOL?: boolean;
    })[]) {
      if (it.type === 'beginMarkedContentProps' || it.type === 'beginMarkedContent')
        stack.push({ id: it.id ?? null, tag: it.tag ?? '' });
      else if (it.type === 'endMarkedContent') stack.pop();
      else if (typeof it.str === 'string') {
        // pdf.js gives a line's closing space as an empty item that ends the line: a space
        // between words, as a reader hears it (Chinese lines join with none).
        const str = it.str === '' && it.hasEOL && /[\x21-\x7e\u00a0-\u024f\u2019\u201d]$/.test(last) ? ' ' : it.str;
        if (str) last = str;
        const inner = stack.at(-1);
        if (!inner) untagged += str;
        else if (stack.some((m) => m.tag === 'Artifact')) artifactText += str;
        else if (inner.id) byId.set(inner.id, (byId.get(inner.id) ?? '') + str);
        else untagged += str;
      }
    }
    type Raw = { role?: string; alt?: string; type?: string; id?: string; children?: Raw[] };
    const walk = (n: Raw): StructElem | null => {
      if (n.type === 'content') return { role: '#content', alt: null, text: byId.get(n.id!) ?? '', children: [] };
      if (n.type) return null;
      const children = (n.children ?? []).map(walk).filter((x): x is StructElem => x !== null);
      return {
        role: n.role ?? '',
        alt: n.alt ?? null,
        text: children.map((c) => c.text).join(''),
        children: children.filter((c) => c.role !== '#content'),
      };
    };
    const tree = (await page.getStructTree()) as Raw | null;
    pages.push({
      roots: (tree?.children ?? []).map(walk).filter((x): x is StructElem => x !== null),
      artifactText,
      untagged,
    });
  }
  type RawOutline = { title: string; items: RawOutline[] };
  const outlineOf = (xs: readonly RawOutline[]): PdfStructure['outline'] =>
    xs.map((x) => ({ title: x.title, items: outlineOf(x.items) }));
  const outline = outlineOf(((await doc.getOutline()) ?? []) as RawOutline[]);
  await doc.destroy();
  return { marked, lang, outline, pages };
}

/** Every element of a structure tree, depth first (reading order). */
export function structElements(roots: readonly StructElem[]): StructElem[] {
  return roots.flatMap((r) => [r, ...structElements(r.children)]);
}
