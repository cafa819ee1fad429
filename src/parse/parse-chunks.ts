// parse, incrementally: Briefing Markdown → Document, one top-level block (or list item, or
// slide) at a time, each parsed once per distinct text. The fitting search (src/pipeline.ts)
// renders the template again for every attempt, and two attempts differ by a few items: the rest
// of the document is the same text, already parsed. Pure, apart from the parsers' own memory.
//
// Splitting is only done where CommonMark cannot join what comes before and after: after a blank
// line, before a line that starts at column 0 (outside a code fence or an HTML comment), and
// between the items of a top-level list. A document with constructs that reach across blocks
// (link reference definitions, raw HTML blocks, thematic breaks other than
// a deck's `---`) is parsed whole, as before. tests/parse.test.ts compares both ways on every
// built-in output and on hostile Markdown.
import type { Diagnostic } from '../model/diagnostic.js';
import type { Block, DeckDocument, DocSlide, List, MemoDocument } from '../model/document.js';
import type { Span } from '../model/span.js';
import { markdownProblem, parseDeck, parseMemo } from './parse-briefing.js';

/** How much parsing a parser did, in characters, against how much it was asked to parse. */
export interface ParseWork {
  /** Characters of Markdown asked for, over every call. */
  asked: number;
  /** Characters actually parsed (chunks not seen before, or whole documents). */
  parsed: number;
}

interface Chunk {
  text: string;
  /** 1-based line of the chunk's first line in the document. */
  line: number;
  /** The list marker's kind (`-`, `*`, `+`, `.`, `)`) when the chunk is one top-level list item. */
  list: string | null;
}

const UNSAFE = [
  // Link reference definitions are document-wide.
  /^ {0,3}\[[^\]]*\]:/m,
  // HTML blocks that run past blank lines (CommonMark's kinds 1, 3, 4 and 5), and those that take
  // the lines after them up to a blank one (kinds 6 and 7), where a fence is not a fence.
  /^ {0,3}<(?:\?|![A-Za-z[]|\/?[A-Za-z])/m,
  // Tabs make columns hard to tell without the parser.
  /\t/,
];
const THEMATIC = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ITEM = /^(?:([-+*])|\d{1,9}([.)]))( +)(\S)/;

/**
 * The document's chunks, or null when it must be parsed whole. `slides`: split only at a deck's
 * slide separators (`---` after a blank line), each chunk one slide without its separator.
 */
export function splitChunks(markdown: string, slides: boolean): Chunk[] | null {
  for (const re of UNSAFE) if (re.test(markdown)) return null;
  const lines = markdown.split('\n');
  const chunks: Chunk[] = [];
  let start = 0;
  let list: string | null = null;
  let fence: { char: string; length: number } | null = null;
  let comment = false;
  /** The column a top-level list item's content starts at, while every line since is within it. */
  let within: number | null = null;
  const cut = (end: number, next: string | null) => {
    chunks.push({ text: trimBlankEnd(lines.slice(start, end)), line: start + 1, list });
    start = end;
    list = next;
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (fence) {
      const m = FENCE.exec(text);
      if (m && m[1]![0] === fence.char && m[1]!.length >= fence.length && m[2]!.trim() === '') fence = null;
      continue;
    }
    if (comment) {
      if (text.includes('-->')) comment = false;
      continue;
    }
    const afterBlank = i > 0 && lines[i - 1]!.trim() === '';
    const top = text !== '' && text[0] !== ' ';
    if (slides) {
      if (THEMATIC.test(text) && !(text === '---' && (afterBlank || i === 0))) return null;
      if (text === '---' && (afterBlank || i === 0)) {
        cut(i, null);
        start = i + 1; // the separator belongs to neither slide
      }
    } else if (top) {
      const item = ITEM.exec(text);
      const kind = item ? (item[1] ?? item[2]!) : null;
      if (item && THEMATIC.test(text)) return null;
      // After a blank line, a line at column 0 starts a new block; a list item at column 0 starts
      // a new item of the list being read, as long as nothing has ended that list (a line the
      // item's content does not hold: a lazy line, a heading) or could join the next line to it.
      const content = item ? item[0].length - 1 - (item[3]!.length > 4 ? item[3]!.length - 1 : 0) : null;
      if (i > start && (afterBlank || (list !== null && within !== null && kind !== null))) {
        cut(i, kind);
        within = content;
      } else if (i === start) {
        list = kind;
        within = content;
      } else within = null; // a lazy line or a block that ended the item: no more cuts before a blank line
    } else if (text.trim() !== '') {
      const indent = text.length - text.trimStart().length;
      // Indented code at the top level: the parser reads what follows it in its own way.
      if (!slides && indent >= 4 && (within === null || indent < within)) return null;
      if (within !== null && indent < within) within = null;
    }
    const f = FENCE.exec(text);
    if (f && !(f[1]![0] === '`' && f[2]!.includes('`'))) fence = { char: f[1]![0]!, length: f[1]!.length };
    else if (/^ {0,3}<!--/.test(text) && !text.slice(text.indexOf('<!--') + 4).includes('-->')) comment = true;
  }
  // An unclosed fence or comment runs to the end: parse whole, as the parser reads it.
  if (fence || comment) return null;
  chunks.push({ text: trimBlankEnd(lines.slice(start)), line: start + 1, list });
  return chunks;
}

/** A copy of `value` with every span moved down by `lines`. Parsed blocks are never changed in place. */
function shifted<T>(value: T, lines: number): T {
  if (lines === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => shifted(v, lines)) as T;
  const out: Record<string, unknown> = {};
  const from = value as Record<string, unknown>;
  for (const k in from) out[k] = shifted(from[k], lines);
  if (typeof out.file === 'string' && typeof out.line === 'number' && typeof out.col === 'number') {
    out.line = (out.line as number) + lines;
    if (typeof out.endLine === 'number') out.endLine = (out.endLine as number) + lines;
  }
  return out as T;
}

/**
 * What one fitting search has parsed, by text, and placed, by text and line: a chunk at the
 * line it had in an earlier attempt is the very same value, not a copy. It lives as long as the
 * search.
 */
function remembered<T>(work: ParseWork): (key: string, line: number, size: number, make: () => T) => T {
  const seen = new Map<string, T>();
  const placed = new Map<string, T>();
  return (key, line, size, make) => {
    const where = `${line}\n${key}`;
    const done = placed.get(where);
    if (done !== undefined) return done;
    let hit = seen.get(key);
    if (hit === undefined) {
      hit = make();
      seen.set(key, hit);
      work.parsed += size;
    }
    const moved = shifted(hit, line - 1);
    placed.set(where, moved);
    return moved;
  };
}

type Parsed<D> = { document: D; diagnostics: Diagnostic[] };

/**
 * A parser for one fitting search: the document is split into chunks (or parsed whole when it
 * cannot be), checked against the whole document's limits, and put together by `assemble` from
 * chunks parsed once per distinct text.
 */
function incremental<D>(
  slides: boolean,
  whole: (markdown: string, file: string) => Parsed<D>,
  empty: D,
  assemble: (chunks: Chunk[], file: string, memo: ReturnType<typeof remembered<Parsed<D>>>) => Parsed<D>,
): { parse: (markdown: string, file: string) => Parsed<D>; work: ParseWork } {
  const work: ParseWork = { asked: 0, parsed: 0 };
  const memo = remembered<Parsed<D>>(work);
  const parse = (markdown: string, file: string): Parsed<D> => {
    work.asked += markdown.length;
    const chunks = splitChunks(markdown, slides);
    if (!chunks) {
      work.parsed += markdown.length;
      return whole(markdown, file);
    }
    // The limits hold for the whole document; a chunk is within them when its document is.
    const problem = markdownProblem(markdown, file);
    if (problem) return { document: empty, diagnostics: [problem] };
    return assemble(chunks, file, memo);
  };
  return { parse, work };
}

/** A memo parser for one fitting search: each distinct chunk of text is parsed once. */
export function memoParser(): { parse: (markdown: string, file: string) => Parsed<MemoDocument>; work: ParseWork } {
  return incremental<MemoDocument>(false, parseMemo, { type: 'memo', blocks: [] }, (chunks, file, memo) => {
    const blocks: Block[] = [];
    const diagnostics: Diagnostic[] = [];
    // The marker kind of the list the last chunk ended with, if it did.
    let open: string | null = null;
    for (const c of chunks) {
      const own = memo(`${file}\n${c.text}`, c.line, c.text.length, () => parseMemo(c.text, file));
      const parsed = memo(`${file}\n${c.text}`, 1, c.text.length, () => parseMemo(c.text, file));
      diagnostics.push(...own.diagnostics);
      const [head, ...rest] = own.document.blocks;
      const first = parsed.document.blocks[0];
      // A list's items, parsed one by one, make one list again: same kind of marker, nothing between.
      if (
        head?.type === 'list' &&
        first?.type === 'list' &&
        c.list !== null &&
        open !== null &&
        markerKind(c.text, first.items[0]!.span) === open
      ) {
        const prev = blocks[blocks.length - 1] as List;
        blocks[blocks.length - 1] = {
          ...prev,
          items: [...prev.items, ...head.items],
          span: { ...prev.span, endLine: head.span.endLine, endCol: head.span.endCol },
        };
        blocks.push(...rest);
      } else blocks.push(...own.document.blocks);
      // Open: the chunk ends with a list (nothing after it, not even what makes no block).
      const last = parsed.document.blocks.at(-1);
      open =
        last?.type === 'list' && c.text.split('\n').length <= (last.span.endLine ?? Number.POSITIVE_INFINITY)
          ? markerKind(c.text, last.items.at(-1)!.span)
          : null;
    }
    return { document: { type: 'memo', blocks }, diagnostics };
  });
}

/** A deck parser for one fitting search: each distinct slide is parsed once. */
export function deckParser(): { parse: (markdown: string, file: string) => Parsed<DeckDocument>; work: ParseWork } {
  return incremental<DeckDocument>(
    true,
    (markdown, file) => parseDeck(markdown, file),
    { type: 'deck', slides: [] },
    (chunks, file, memo) => {
      const slides: DocSlide[] = [];
      const diagnostics: Diagnostic[] = [];
      chunks.forEach((c, i) => {
        // As parseDeck: an empty first or last part (a template that starts or ends with `---`) is no slide.
        const keepEmpty = i > 0 && i < chunks.length - 1;
        const number = slides.length + 1;
        const own = memo(`${file}\n${number}\n${keepEmpty}\n${c.text}`, c.line, c.text.length, () =>
          parseDeck(c.text, file, { first: number, keepEmpty }),
        );
        diagnostics.push(...own.diagnostics);
        slides.push(...own.document.slides);
      });
      return { document: { type: 'deck', slides }, diagnostics };
    },
  );
}

/** Blank lines at a chunk's end change nothing in it: without them, the same block is the same text. */
function trimBlankEnd(lines: readonly string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end).join('\n');
}

/** `-`, `*`, `+`, `.` or `)`: the marker of the list item at `span` in `text`, the kinds CommonMark keeps apart. */
function markerKind(text: string, span: Span): string | null {
  const line = text.split('\n', span.line)[span.line - 1] ?? '';
  const m = /^(?:([-+*])|\d{1,9}([.)]))/.exec(line.slice(span.col - 1));
  return m ? (m[1] ?? m[2]!) : null;
}
