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
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
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
  options ??= {
    extensions: [gfmTable(), gfmStrikethrough(), cjkFriendlyExtension()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown()],
  };
  return fromMarkdown(markdown, options);
}

/**
 * Limits on what a template may write, checked in one pass before the Markdown parser sees it. A
 * template is data written by someone else (docs/security.md), and the parser's time and stack
 * grow faster than its input for deep nesting (`> > > …`, lists in lists) and for long runs of
 * unmatched markup (`[[[[…`, `*a *a …`). Content never counts: it is escaped (`\*`).
 */
export const MARKDOWN_LIMITS = Object.freeze({
  /** Block quotes and list items nested on one line. */
  containers: 32,
  /** Columns of indentation. */
  indent: 256,
  /** Unescaped markup characters (`*`, `_`, `~`, `[`, `]`, `` ` ``, `<`, `|`) in one paragraph. */
  markup: 4_000,
  /** Cells in a table row. */
  columns: 64,
  /** Lines with text in one document (each at most a paragraph, list item or table row): a 50-page memo has some 2,500. */
  lines: 10_000,
  /** Table cells in one document. */
  cells: 10_000,
});

export function markdownProblem(markdown: string, file: string): Diagnostic | null {
  let line = 0;
  let markup = 0;
  let fence: string | null = null;
  let filled = 0;
  let allCells = 0;
  for (let start = 0; start <= markdown.length; ) {
    let end = markdown.indexOf('\n', start);
    if (end < 0) end = markdown.length;
    line++;
    const text = markdown.slice(start, end);
    start = end + 1;
    let i = 0;
    let col = 0;
    let containers = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === ' ' || ch === '\t') {
        col += ch === '\t' ? 4 : 1;
        i++;
      } else if (
        ch === '>' ||
        ((ch === '-' || ch === '*' || ch === '+') && (text[i + 1] === ' ' || i + 1 === text.length))
      ) {
        containers++;
        i++;
      } else if (ch >= '0' && ch <= '9') {
        let j = i;
        while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
        if ((text[j] === '.' || text[j] === ')') && (text[j + 1] === ' ' || j + 1 === text.length)) {
          containers++;
          i = j + 1;
        } else break;
      } else break;
      if (containers > MARKDOWN_LIMITS.containers || col > MARKDOWN_LIMITS.indent) {
        return error(
          'markdown-too-deep',
          `the template wrote Markdown nested deeper than ${MARKDOWN_LIMITS.containers} block quotes or lists (or indented more than ${MARKDOWN_LIMITS.indent} columns)`,
          { file, line, col: i + 1 },
          'see the output with `--emit markdown`, and flatten the structure the template writes',
        );
      }
    }
    const rest = text.slice(i);
    if (/^(```|~~~)/.test(rest)) {
      const mark = rest.slice(0, 3);
      fence = fence === null ? mark : fence === mark ? null : fence;
      continue;
    }
    if (fence !== null) continue;
    if (rest.trim() === '') {
      markup = 0;
      continue;
    }
    let cells = 0;
    for (let j = 0; j < rest.length; j++) {
      const ch = rest[j]!;
      if (ch === '\\') j++;
      else if ('*_~[]`<|'.includes(ch)) {
        markup++;
        if (ch === '|') cells++;
      }
    }
    if (markup > MARKDOWN_LIMITS.markup) {
      return error(
        'markdown-too-complex',
        `the template wrote a paragraph with more than ${MARKDOWN_LIMITS.markup.toLocaleString('en')} markup characters`,
        { file, line, col: 1 },
        'see the output with `--emit markdown`: a template writes a little markup around content, which is escaped',
      );
    }
    if (cells > MARKDOWN_LIMITS.columns) {
      return error(
        'markdown-too-complex',
        `the template wrote a table row with more than ${MARKDOWN_LIMITS.columns} cells`,
        { file, line, col: 1 },
        'see the output with `--emit markdown`',
      );
    }
    // The document as a whole: the fitting search lays it out several times, so its size is bounded.
    allCells += cells;
    if (++filled > MARKDOWN_LIMITS.lines || allCells > MARKDOWN_LIMITS.cells) {
      const what =
        allCells > MARKDOWN_LIMITS.cells
          ? `${MARKDOWN_LIMITS.cells.toLocaleString('en')} table cells`
          : `${MARKDOWN_LIMITS.lines.toLocaleString('en')} lines of text`;
      return error(
        'markdown-too-long',
        `the template wrote a document of more than ${what}, far more than any briefing can show`,
        { file, line, col: 1 },
        'see the output with `--emit markdown`: write each item of the plan once',
      );
    }
  }
  return null;
}

/**
 * `first`: the number of the first slide (when parsing one slide of a larger deck); `keepEmpty`:
 * an empty document is one empty slide (a slide between two separators), not none.
 */
export function parseDeck(
  markdown: string,
  file: string,
  part: { first: number; keepEmpty: boolean } = { first: 1, keepEmpty: false },
): { document: DeckDocument; diagnostics: Diagnostic[] } {
  const problem = markdownProblem(markdown, file);
  if (problem) return { document: { type: 'deck', slides: [] }, diagnostics: [problem] };
  const tree = parseMarkdown(markdown);
  const diagnostics: Diagnostic[] = [];
  const groups: RootContent[][] = [[]];
  // Where each part starts: an empty slide is placed on the line after its separator.
  const starts = [1];
  for (const node of tree.children) {
    if (node.type === 'thematicBreak') {
      groups.push([]);
      starts.push((node.position?.end.line ?? 0) + 1);
    } else groups[groups.length - 1]!.push(node);
  }
  // A template that starts or ends with `---` does not mean an empty slide.
  const nonEmpty = groups.flatMap((g, i) =>
    g.length > 0 || (i > 0 && i < groups.length - 1) || part.keepEmpty ? [{ nodes: g, line: starts[i]! }] : [],
  );
  const slides = nonEmpty.map(({ nodes, line }, i) => slideOf(nodes, i + part.first, file, diagnostics, line));
  return { document: { type: 'deck', slides }, diagnostics };
}

export function parseMemo(markdown: string, file: string): { document: MemoDocument; diagnostics: Diagnostic[] } {
  const problem = markdownProblem(markdown, file);
  if (problem) return { document: { type: 'memo', blocks: [] }, diagnostics: [problem] };
  const tree = parseMarkdown(markdown);
  const diagnostics: Diagnostic[] = [];
  const blocks = tree.children.flatMap((n) => blocksOf(n, file, diagnostics, null));
  return { document: { type: 'memo', blocks }, diagnostics };
}

function slideOf(
  nodes: RootContent[],
  number: number,
  file: string,
  diagnostics: Diagnostic[],
  line: number,
): DocSlide {
  const first = nodes[0];
  const span = first ? spanOf(first, file) : { file, line, col: 1 };
  const slide: DocSlide = {
    number,
    layout: 'bullets',
    options: Object.create(null),
    blocks: [],
    notes: [],
    source: null,
    span,
  };
  let sawLayout = false;
  for (const node of nodes) {
    const blocks = blocksOf(node, file, diagnostics, slide);
    slide.blocks.push(...blocks);
    if (node.type === 'html' && DIRECTIVE.exec(node.value.trim())?.[1] === 'layout') sawLayout = true;
  }
  if (!sawLayout) {
    diagnostics.push(
      warning(
        'no-layout',
        `slide ${number} has no \`<!-- layout: … -->\` directive; using \`bullets\``,
        span,
        'start each slide with a layout directive',
      ),
    );
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
          items: node.children.map(
            (item): ListItem => ({
              type: 'item',
              blocks: item.children.flatMap((c) => blocksOf(c, file, diagnostics, null)),
              span: spanOf(item, file),
            }),
          ),
          span,
        },
      ];
    case 'blockquote':
      return [{ type: 'quote', blocks: node.children.flatMap((c) => blocksOf(c, file, diagnostics, null)), span }];
    case 'table':
      return [
        {
          type: 'table',
          align: node.align ?? [],
          rows: node.children.map((row) => row.children.map((cell) => runsOf(cell.children))),
          span,
        },
      ];
    case 'code':
      if (node.lang === 'chart') return chartOf(node.value, span, diagnostics);
      return [
        { type: 'paragraph', runs: [{ text: node.value, bold: false, italic: false, code: true, href: null }], span },
      ];
    case 'html':
      return htmlBlock(node.value, span, diagnostics, slide);
    case 'thematicBreak':
      return [{ type: 'marker', name: 'rule', value: '', span }];
    default:
      diagnostics.push(
        warning('unsupported-markdown', `\`${node.type}\` is not part of Briefing Markdown; it is left out`, span),
      );
      return [];
  }
}

/** As for a pack's charts (src/load/load-pack.ts): exact arithmetic, and no more than a layout can draw. */
const CHART_MAGNITUDE = 1e15;
const CHART_CATEGORIES = 24;

/** A chart block's JSON, checked: a broken chart is reported at its block and left out. */
function chartOf(json: string, span: Span, diagnostics: Diagnostic[]): Block[] {
  const problem = (message: string) => {
    diagnostics.push(
      warning(
        'chart-invalid',
        `chart block: ${message}; it is left out`,
        span,
        'a chart block holds JSON such as {"kind":"pie","title":"…","categories":["A","B"],"values":[60,40]}',
      ),
    );
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
  if (!(CHART_KINDS as readonly unknown[]).includes(o.kind))
    return problem(`\`kind\` must be one of ${CHART_KINDS.join(', ')}`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(o.categories) || (o.categories as string[]).length === 0)
    return problem('`categories` must be a list of names');
  if (
    !Array.isArray(o.values) ||
    !o.values.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= CHART_MAGNITUDE)
  )
    return problem(`\`values\` must be a list of numbers no larger than ${CHART_MAGNITUDE} in size`);
  if ((o.categories as string[]).length > CHART_CATEGORIES)
    return problem(`a chart has at most ${CHART_CATEGORIES} categories`);
  if (typeof o.max === 'number' && !(Number.isFinite(o.max) && o.max <= CHART_MAGNITUDE))
    return problem(`\`max\` must be a number no larger than ${CHART_MAGNITUDE}`);
  if ((o.values as number[]).length !== (o.categories as string[]).length)
    return problem('`values` needs one number per category');
  if (o.kind === 'pie' && (o.values as number[]).some((v) => v < 0))
    return problem('a pie cannot show negative values');
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
    diagnostics.push(
      warning(
        'raw-html',
        'raw HTML is not supported; it is shown as text',
        span,
        'write Markdown instead, or escape `<` as `\\<`',
      ),
    );
    return [{ type: 'paragraph', runs: [{ text: value, bold: false, italic: false, code: false, href: null }], span }];
  }
  const name = m[1]!;
  const arg = unescapeMarkdown((m[2] ?? '').trim());
  if (MARKERS.has(name)) return [{ type: 'marker', name, value: arg, span }];
  if (slide && SLIDE_DIRECTIVES.has(name)) {
    if (name === 'layout') slide.layout = arg;
    else if (name === 'notes')
      slide.notes.push(
        ...arg
          .split(/\n\s*\n/)
          .map((p) => p.replace(/\s+/g, ' ').trim())
          .filter(Boolean),
      );
    else if (name === 'source') slide.source = arg.replace(/\s+/g, ' ');
    else slide.options[name] = arg.replace(/\s+/g, ' ');
    return [];
  }
  if (!slide && name === 'kicker') return [{ type: 'marker', name, value: arg.replace(/\s+/g, ' '), span }];
  diagnostics.push(
    warning(
      'unknown-directive',
      `unknown directive \`${name}\``,
      span,
      `directives are ${[...SLIDE_DIRECTIVES, ...MARKERS].map((d) => `\`${d}\``).join(', ')}`,
    ),
  );
  return [];
}

function runsOf(
  nodes: readonly PhrasingContent[],
  style: Omit<Run, 'text'> = { bold: false, italic: false, code: false, href: null },
): Run[] {
  const runs: Run[] = [];
  const push = (text: string, s: Omit<Run, 'text'>) => {
    if (text === '') return;
    const last = runs[runs.length - 1];
    if (last && last.bold === s.bold && last.italic === s.italic && last.code === s.code && last.href === s.href)
      last.text += text;
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
  return p
    ? { file, line: p.start.line, col: p.start.column, endLine: p.end.line, endCol: p.end.column }
    : { file, line: 1, col: 1 };
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
