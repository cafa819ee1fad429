// parse: Briefing Markdown → Document (a typed tree of slides or memo blocks, with places).
// Pure. CommonMark + GFM tables and strikethrough, with the CJK-friendly emphasis rules, and
// HTML-comment directives (`<!-- layout: bullets -->`, `<!-- notes: … -->`, `<!-- column -->`).
// Not the rest of GFM: bare URLs are not made links (templates write `<https://…>`), which keeps
// a stray `www.` or `@` in content from becoming a link and takes a third off parsing time.
import type { Nodes, PhrasingContent, Root, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { cjkFriendlyExtension } from 'micromark-extension-cjk-friendly';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { CHART_KINDS, type ChartSpec } from '../model/chart.js';
import { type Diagnostic, warning } from '../model/diagnostic.js';
import type { Block, DeckDocument, DocSlide, ListItem, MemoDocument, Run } from '../model/document.js';
import type { Span } from '../model/span.js';
import { unescapeMarkdown } from '../template/escape-markdown.js';

/** Directives that set a property of the slide; the others are markers between blocks. */
const SLIDE_DIRECTIVES = new Set(['layout', 'kicker', 'notes', 'source']);
const MARKERS = new Set(['column', 'region']);
const DIRECTIVE = /^<!--\s*([a-z][a-z-]*)\s*(?::([\s\S]*?))?\s*-->$/;

/** The syntax extensions, made once: fitting parses many documents. */
let options: Parameters<typeof fromMarkdown>[1] | null = null;

export function parseMarkdown(markdown: string): Root {
  options ??= { extensions: [gfmTable(), gfmStrikethrough(), cjkFriendlyExtension()], mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown()] };
  return fromMarkdown(markdown, options);
}

export function parseDeck(markdown: string, file: string): { document: DeckDocument; diagnostics: Diagnostic[] } {
  const tree = parseMarkdown(markdown);
  const diagnostics: Diagnostic[] = [];
  const groups: RootContent[][] = [[]];
  for (const node of tree.children) {
    if (node.type === 'thematicBreak') groups.push([]);
    else groups[groups.length - 1]!.push(node);
  }
  // A template that starts or ends with `---` does not mean an empty slide.
  const nonEmpty = groups.filter((g, i) => g.length > 0 || (i > 0 && i < groups.length - 1));
  const slides = nonEmpty.map((nodes, i) => slideOf(nodes, i + 1, file, diagnostics));
  return { document: { type: 'deck', slides }, diagnostics };
}

export function parseMemo(markdown: string, file: string): { document: MemoDocument; diagnostics: Diagnostic[] } {
  const tree = parseMarkdown(markdown);
  const diagnostics: Diagnostic[] = [];
  const blocks = tree.children.flatMap((n) => blocksOf(n, file, diagnostics, null));
  return { document: { type: 'memo', blocks }, diagnostics };
}

function slideOf(nodes: RootContent[], number: number, file: string, diagnostics: Diagnostic[]): DocSlide {
  const first = nodes[0];
  const span = first ? spanOf(first, file) : { file, line: 1, col: 1 };
  const slide: DocSlide = { number, layout: 'bullets', options: Object.create(null), blocks: [], notes: [], source: null, span };
  let sawLayout = false;
  for (const node of nodes) {
    const blocks = blocksOf(node, file, diagnostics, slide);
    slide.blocks.push(...blocks);
    if (node.type === 'html' && DIRECTIVE.exec(node.value.trim())?.[1] === 'layout') sawLayout = true;
  }
  if (!sawLayout) {
    diagnostics.push(warning('no-layout', `slide ${number} has no \`<!-- layout: … -->\` directive; using \`bullets\``, span, 'start each slide with a layout directive'));
  }
  return slide;
}

function blocksOf(node: RootContent, file: string, diagnostics: Diagnostic[], slide: DocSlide | null): Block[] {
  const span = spanOf(node, file);
  switch (node.type) {
    case 'heading':
      return [{ type: 'heading', depth: node.depth, runs: runsOf(node.children), span }];
    case 'paragraph':
      return [{ type: 'paragraph', runs: runsOf(node.children), span }];
    case 'list':
      return [
        {
          type: 'list',
          ordered: node.ordered ?? false,
          start: node.start ?? 1,
          items: node.children.map((item): ListItem => ({ type: 'item', blocks: item.children.flatMap((c) => blocksOf(c, file, diagnostics, null)), span: spanOf(item, file) })),
          span,
        },
      ];
    case 'blockquote':
      return [{ type: 'quote', blocks: node.children.flatMap((c) => blocksOf(c, file, diagnostics, null)), span }];
    case 'table':
      return [{ type: 'table', align: node.align ?? [], rows: node.children.map((row) => row.children.map((cell) => runsOf(cell.children))), span }];
    case 'code':
      if (node.lang === 'chart') return chartOf(node.value, span, diagnostics);
      return [{ type: 'paragraph', runs: [{ text: node.value, bold: false, italic: false, code: true, href: null }], span }];
    case 'html':
      return htmlBlock(node.value, span, diagnostics, slide);
    case 'thematicBreak':
      return [{ type: 'marker', name: 'rule', value: '', span }];
    default:
      diagnostics.push(warning('unsupported-markdown', `\`${node.type}\` is not part of Briefing Markdown; it is left out`, span));
      return [];
  }
}

/** A chart block's JSON, checked: a broken chart is reported at its block and left out. */
function chartOf(json: string, span: Span, diagnostics: Diagnostic[]): Block[] {
  const problem = (message: string) => {
    diagnostics.push(warning('chart-invalid', `chart block: ${message}; it is left out`, span, 'a chart block holds JSON such as {"kind":"pie","title":"…","categories":["A","B"],"values":[60,40]}'));
    return [];
  };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return problem(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null) return problem('expected a JSON object');
  const o = raw as Record<string, unknown>;
  if (!(CHART_KINDS as readonly unknown[]).includes(o.kind)) return problem(`\`kind\` must be one of ${CHART_KINDS.join(', ')}`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(o.categories) || (o.categories as string[]).length === 0) return problem('`categories` must be a list of names');
  if (!Array.isArray(o.values) || !o.values.every((x) => typeof x === 'number' && Number.isFinite(x))) return problem('`values` must be a list of numbers');
  if ((o.values as number[]).length !== (o.categories as string[]).length) return problem('`values` needs one number per category');
  if (o.kind === 'pie' && (o.values as number[]).some((v) => v < 0)) return problem('a pie cannot show negative values');
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const title = text(o.title);
  const chart: ChartSpec = {
    kind: o.kind as ChartSpec['kind'],
    title,
    unit: text(o.unit),
    categories: o.categories as string[],
    values: o.values as number[],
    max: typeof o.max === 'number' && o.max > 0 ? o.max : null,
    alt: text(o.alt) || title,
  };
  return [{ type: 'chart', chart, span }];
}

function htmlBlock(value: string, span: Span, diagnostics: Diagnostic[], slide: DocSlide | null): Block[] {
  const m = DIRECTIVE.exec(value.trim());
  if (!m) {
    if (/^<!--[\s\S]*-->$/.test(value.trim())) return []; // an ordinary comment
    diagnostics.push(warning('raw-html', 'raw HTML is not supported; it is shown as text', span, 'write Markdown instead, or escape `<` as `\\<`'));
    return [{ type: 'paragraph', runs: [{ text: value, bold: false, italic: false, code: false, href: null }], span }];
  }
  const name = m[1]!;
  const arg = unescapeMarkdown((m[2] ?? '').trim());
  if (MARKERS.has(name)) return [{ type: 'marker', name, value: arg, span }];
  if (slide && SLIDE_DIRECTIVES.has(name)) {
    if (name === 'layout') slide.layout = arg;
    else if (name === 'notes') slide.notes.push(...arg.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean));
    else if (name === 'source') slide.source = arg.replace(/\s+/g, ' ');
    else slide.options[name] = arg.replace(/\s+/g, ' ');
    return [];
  }
  if (!slide && name === 'kicker') return [{ type: 'marker', name, value: arg.replace(/\s+/g, ' '), span }];
  diagnostics.push(warning('unknown-directive', `unknown directive \`${name}\``, span, `directives are ${[...SLIDE_DIRECTIVES, ...MARKERS].map((d) => `\`${d}\``).join(', ')}`));
  return [];
}

function runsOf(nodes: readonly PhrasingContent[], style: Omit<Run, 'text'> = { bold: false, italic: false, code: false, href: null }): Run[] {
  const runs: Run[] = [];
  const push = (text: string, s: Omit<Run, 'text'>) => {
    if (text === '') return;
    const last = runs[runs.length - 1];
    if (last && last.bold === s.bold && last.italic === s.italic && last.code === s.code && last.href === s.href) last.text += text;
    else runs.push({ text, ...s });
  };
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        push(node.value.replace(/\s*\n\s*/g, ' '), style);
        break;
      case 'strong':
        for (const r of runsOf(node.children, { ...style, bold: true })) push(r.text, r);
        break;
      case 'emphasis':
        for (const r of runsOf(node.children, { ...style, italic: true })) push(r.text, r);
        break;
      case 'delete':
        for (const r of runsOf(node.children, style)) push(r.text, r);
        break;
      case 'inlineCode':
        push(node.value, { ...style, code: true });
        break;
      case 'link':
        for (const r of runsOf(node.children, { ...style, href: linkTarget(node.url) })) push(r.text, r);
        break;
      case 'break':
        push('\n', style);
        break;
      case 'image':
        push(node.alt ?? '', style);
        break;
      case 'html':
        if (!/^<!--[\s\S]*-->$/.test(node.value)) push(node.value, style);
        break;
      default:
        if ('value' in node && typeof node.value === 'string') push(node.value, style);
        else if ('children' in node) for (const r of runsOf(node.children as PhrasingContent[], style)) push(r.text, r);
    }
  }
  return runs;
}

function spanOf(node: Nodes, file: string): Span {
  const p = node.position;
  return p ? { file, line: p.start.line, col: p.start.column, endLine: p.end.line, endCol: p.end.column } : { file, line: 1, col: 1 };
}

/** Plain text of runs, for tests and reports. */
export function plainText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}

/**
 * Only web and mail addresses, and places in the document itself (`#source-1`), become links: a
 * `javascript:`, `file:` or `data:` address in a pack or template stays text, so a PDF never
 * carries a link that runs code or opens a local file.
 */
export function linkTarget(url: string): string | null {
  if (/^#[A-Za-z0-9_.:-]+$/.test(url)) return url;
  return /^(?:https?:\/\/|mailto:)/i.test(url.trim()) && !/[\u0000-\u0020\u007f]/.test(url.trim()) ? url.trim() : null;
}
