// Reads one YAML file into plain data plus a way to find the place of any value in it.
// Input: a path. Output: the parsed value, a span lookup, diagnostics. Side effects: reads the file.
// The file may be hostile (docs/security.md): its size, nesting, aliases and tags are limited with
// the YAML library's own lexer and document tree, before any value is built from it.
import {
  CST,
  Composer,
  type Document,
  type DocumentOptions,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  Lexer,
  LineCounter,
  type Node,
  type ParseOptions,
  type SchemaOptions,
  Parser,
  YAMLParseError,
} from 'yaml';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';
import { printable } from '../printable.js';
import { LIMITS, readConfined } from './confined.js';

export type Path = readonly (string | number)[];

export interface YamlFile {
  file: string;
  /** The file's real path (the display name for text that came from no file). */
  real: string;
  value: unknown;
  /** The place of the value at `path`; with `key`, the place of the map key itself. */
  spanAt(path: Path, key?: boolean): Span;
}

/** Refuse files larger than this: content and templates are hand-written, not data dumps. */
export const MAX_YAML_BYTES = LIMITS.yaml;
/** The YAML library's own guard against alias bombs (aliases counted in a node, per alias). */
const MAX_ALIASES = 100;
/** Values in one file once aliases are expanded: a large module has a few thousand. */
export const MAX_VALUES = 200_000;
/**
 * Aliases in one file: the built-in theme has a dozen. Resolving one costs time in proportion to
 * the aliases and anchors before it (the YAML library's own cache), so their number is bounded.
 */
export const MAX_ALIAS_NODES = 1_000;
/** Deeper nesting is no content format's, and would exhaust the parser's stack. */
export const MAX_NESTING = 64;
/** Block nesting, counted as indentation columns plus the indicators (`- `, `? `, `: `) on a line. */
const MAX_BLOCK_DEPTH = 256;
/** Tags a hand-written file may use: the core schema's own. `!!binary`, `!!timestamp`, `!!set`… are refused. */
const CORE_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

/**
 * Nesting deeper than the limits, or more values than a file may hold, found with the YAML library's lexer (so quotes, comments and
 * apostrophes in plain text are read exactly as the parser reads them) before the parser, whose
 * time and stack grow faster than linearly with depth, sees the text. Linear in the text's length.
 */
function nestingProblem(text: string, lexemes: string[]): { offset: number; what: string } | null {
  let flow = 0;
  let lineDepth = 0;
  let atLineStart = true;
  let offset = 0;
  let values = 0;
  let aliases = 0;
  for (const token of new Lexer().lex(text)) {
    lexemes.push(token);
    const type = CST.tokenType(token);
    if (type === 'alias' && ++aliases > MAX_ALIAS_NODES)
      return { offset, what: `more than ${MAX_ALIAS_NODES.toLocaleString('en')} aliases` };
    if (
      type === 'scalar' ||
      type === 'single-quoted-scalar' ||
      type === 'double-quoted-scalar' ||
      type === 'flow-map-start' ||
      type === 'flow-seq-start' ||
      type === 'seq-item-ind'
    ) {
      if (++values > MAX_VALUES) return { offset, what: `more than ${MAX_VALUES.toLocaleString('en')} values` };
    }
    if (type === 'newline') {
      atLineStart = true;
      lineDepth = 0;
    } else if (type === 'space' && atLineStart) {
      lineDepth += token.length;
    } else {
      atLineStart = false;
      if (type === 'flow-map-start' || type === 'flow-seq-start') {
        if (++flow > MAX_NESTING) return { offset, what: `brackets nested deeper than ${MAX_NESTING} levels` };
      } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
        if (flow > 0) flow--;
      } else if (flow === 0 && (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')) {
        lineDepth += 1;
      }
      if (flow === 0 && lineDepth > MAX_BLOCK_DEPTH)
        return { offset, what: `indentation and nesting deeper than ${MAX_BLOCK_DEPTH} levels` };
    }
    // The lexer's own markers (document start, scalar start, flow error end) are not source text.
    if (token !== '\u0002' && token !== '\u001f' && token !== '\u0018') offset += token.length;
  }
  return null;
}

/**
 * Values the document would have with every alias expanded (each alias counts its anchor's whole
 * size), computed on the document tree in one pass: anchors are recorded in document order as the
 * walk meets them, as YAML defines (an alias names the closest anchor before it). A value that
 * contains an alias to itself is infinite; an alias to no anchor is reported where it is. The
 * library's `maxAliasCount` bounds the uses of one anchor, not the total, so 99 aliases to one
 * long list pass it.
 */
function expandedSize(doc: Document): { size: number; loop: Node | null; unresolved: Node | null } {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  const anchors = new Map<string, unknown>();
  let loop: Node | null = null;
  let unresolved: Node | null = null;
  const sizeOf = (node: unknown): number => {
    if (node === null || node === undefined || loop || unresolved) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) {
      loop = node as Node;
      return 0;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    open.add(node);
    let n = 1;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) unresolved = node;
      else if (open.has(target)) loop = node;
      else n = sizeOf(target);
    } else if (isPair(node)) n = sizeOf(node.key) + sizeOf(node.value);
    else if (isCollection(node)) {
      for (const item of node.items) {
        n += sizeOf(item);
        if (n > MAX_VALUES) break;
      }
    }
    open.delete(node);
    sizes.set(node, n);
    return n;
  };
  const size = sizeOf(doc.contents);
  return { size, loop, unresolved };
}

/**
 * The first node with a tag outside the core schema's, or the first `__proto__` key (which
 * JavaScript objects cannot hold as an ordinary key, and no format of ours uses).
 */
function treeProblem(doc: Document): { node: Node; kind: 'proto' | 'tag' | 'duplicate' } | null {
  let found: { node: Node; kind: 'proto' | 'tag' | 'duplicate' } | null = null;
  const walk = (node: unknown, depth: number): void => {
    if (found || node === null || node === undefined || depth > MAX_BLOCK_DEPTH + MAX_NESTING) return;
    if (isPair(node)) {
      if (isScalar(node.key) && node.key.value === '__proto__') {
        found = { node: node.key as Node, kind: 'proto' };
        return;
      }
      walk(node.key, depth + 1);
      walk(node.value, depth + 1);
      return;
    }
    if (isScalar(node) || isCollection(node)) {
      const tag = (node as { tag?: string }).tag;
      if (tag && !CORE_TAGS.has(tag)) {
        found = { node: node as Node, kind: 'tag' };
        return;
      }
      if (isMap(node)) {
        // Keys are unique in a map. Checked here with a set: the YAML library's own check
        // compares every key with every other, which takes minutes for a map of 30,000 keys.
        const seen = new Set<unknown>();
        for (const pair of node.items) {
          if (!isScalar(pair.key) || pair.key.value === '<<') continue;
          const key = pair.key.value;
          if (seen.has(key)) {
            found = { node: pair.key as Node, kind: 'duplicate' };
            return;
          }
          seen.add(key);
        }
      }
      if (isCollection(node)) for (const item of node.items) walk(item, depth + 1);
    }
  };
  walk(doc.contents, 0);
  return found;
}

export function readYamlFile(
  path: string,
  display: string,
  root: string | null = null,
): { file: YamlFile | null; diagnostics: Diagnostic[]; bytes: number } {
  const whole: Span = { file: display, line: 1, col: 1 };
  const read = readConfined(path, root, MAX_YAML_BYTES);
  if (!read.ok)
    return {
      file: null,
      diagnostics: [error(read.code, `\`${display}\` ${read.message}`, whole, read.hint)],
      bytes: 0,
    };
  const bytes = read.bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return {
      file: null,
      diagnostics: [
        error(
          'not-utf8',
          'file is not valid UTF-8',
          { ...whole, line: lineOfFirstBadByte(bytes) },
          'save the file as UTF-8',
        ),
      ],
      bytes: bytes.length,
    };
  }
  return { ...parseYamlText(text, display, read.real), bytes: bytes.length };
}

export function parseYamlText(
  text: string,
  display: string,
  real = display,
): { file: YamlFile | null; diagnostics: Diagnostic[] } {
  const whole: Span = { file: display, line: 1, col: 1 };
  if (text.trim() === '') {
    return {
      file: null,
      diagnostics: [error('empty-file', 'file is empty', whole, 'see docs/content-format.md for what it must contain')],
    };
  }
  if (text.length > MAX_YAML_BYTES) {
    return {
      file: null,
      diagnostics: [
        error(
          'file-too-large',
          `file is larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB`,
          whole,
          'split the content into several files',
        ),
      ],
    };
  }
  const lexemes: string[] = [];
  const deep = nestingProblem(text, lexemes);
  const lineCounter = new LineCounter();
  if (deep) {
    const at = positionOf(text, deep.offset);
    const values = deep.what.startsWith('more than');
    if (deep.what.endsWith('aliases')) {
      return {
        file: null,
        diagnostics: [
          error(
            'yaml-aliases',
            `YAML: ${deep.what}`,
            { file: display, ...at },
            'write the values out instead of using aliases',
          ),
        ],
      };
    }
    return {
      file: null,
      diagnostics: [
        error(
          values ? 'yaml-too-large' : 'yaml-too-deep',
          `YAML: ${deep.what}`,
          { file: display, ...at },
          values
            ? 'split the content into several files'
            : 'content and templates need a few levels of nesting; flatten the structure',
        ),
      ],
    };
  }
  // `logLevel: 'error'`: the library would print its own warnings to stderr (a list used as a key).
  const doc = lexedDocument(lexemes, text.length, lineCounter, {
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    merge: true,
    logLevel: 'error',
  });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    // The library's own words for a second document name its own API; say what it means here.
    const message =
      e.code === 'MULTIPLE_DOCS'
        ? 'a second document starts here, and a file holds one'
        : (e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error');
    const hint =
      e.code === 'MULTIPLE_DOCS'
        ? 'remove the `---` line (and `...`), or move what follows it into a file of its own'
        : yamlHint(e.code);
    diagnostics.push(
      error('yaml-syntax', `YAML: ${lowerFirst(message)}`, { file: display, line: pos.line, col: pos.col }, hint),
    );
  }
  if (diagnostics.length > 0) return { file: null, diagnostics };
  const foreign = treeProblem(doc);
  if (foreign?.kind === 'duplicate') {
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-syntax',
          'YAML: map keys must be unique',
          spanOfRange(foreign.node.range, lineCounter, display),
          yamlHint('DUPLICATE_KEY'),
        ),
      ],
    };
  }
  if (foreign?.kind === 'proto') {
    return {
      file: null,
      diagnostics: [
        error(
          'unknown-key',
          'YAML: `__proto__` cannot be used as a key',
          spanOfRange(foreign.node.range, lineCounter, display),
          'rename or remove the key',
        ),
      ],
    };
  }
  if (foreign) {
    const tag = String((foreign.node as { tag?: string }).tag).replace(/^tag:yaml\.org,2002:/, '!!');
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-tag',
          `YAML: the tag \`${printable(tag, 40)}\` is not used in content or templates`,
          spanOfRange(foreign.node.range, lineCounter, display),
          'remove the tag and write the value as plain text, a number, a list or a map (quote dates and other text)',
        ),
      ],
    };
  }
  const expanded = expandedSize(doc);
  if (expanded.unresolved) {
    const name = printable((expanded.unresolved as unknown as { source: string }).source, 40);
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-aliases',
          `YAML: the alias \`*${name}\` names no anchor before it`,
          spanOfRange((expanded.unresolved as Node).range, lineCounter, display),
          `write \`&${name}\` on the value it stands for, before this line`,
        ),
      ],
    };
  }
  if (expanded.loop) {
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-aliases',
          'YAML: a value contains an alias to itself',
          spanOfRange((expanded.loop as Node).range, lineCounter, display),
          'write the value out instead of using an alias',
        ),
      ],
    };
  }
  if (expanded.size > MAX_VALUES) {
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-aliases',
          `YAML: the file has more than ${MAX_VALUES.toLocaleString('en')} values once its aliases are expanded`,
          whole,
          'write the values out instead of using aliases, or split the file',
        ),
      ],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    return {
      file: null,
      diagnostics: [
        error(
          'yaml-aliases',
          `YAML: ${lowerFirst((cause as Error).message)}`,
          whole,
          'write the values out instead of using many aliases',
        ),
      ],
    };
  }
  const spanOfNode = (node: Node | null | undefined): Span => {
    const range = node?.range;
    if (!range) return whole;
    const start = lineCounter.linePos(range[0]);
    const end = lineCounter.linePos(range[1]);
    return { file: display, line: start.line, col: start.col, endLine: end.line, endCol: end.col };
  };
  const spanAt = (path: Path, key = false): Span => {
    if (key && path.length > 0) {
      const parent = doc.getIn(path.slice(0, -1), true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
        if (pair) return spanOfNode(pair.key as Node);
      }
    }
    // Walk down as far as the path exists, so a missing value points at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (node && typeof node === 'object' && 'range' in node) return spanOfNode(node as Node);
    }
    return whole;
  };
  return { file: { file: display, real, value, spanAt }, diagnostics };
}

/**
 * The YAML library's `parseDocument`, from the lexemes the depth check has already read (its
 * parser would lex the text again): the same parser and composer, fed the same tokens.
 */
function lexedDocument(
  lexemes: readonly string[],
  length: number,
  lineCounter: LineCounter,
  options: DocumentOptions & ParseOptions & SchemaOptions,
): Document {
  const parser = new Parser(lineCounter.addNewLine);
  function* tokens() {
    lineCounter.addNewLine(0);
    for (const lexeme of lexemes) yield* parser.next(lexeme);
    yield* parser.end();
  }
  let doc: Document | null = null;
  for (const next of new Composer(options).compose(tokens(), true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'a second document'));
      break;
    }
  }
  return doc!;
}

function spanOfRange(range: readonly number[] | null | undefined, lineCounter: LineCounter, file: string): Span {
  if (!range) return { file, line: 1, col: 1 };
  const start = lineCounter.linePos(range[0]!);
  return { file, line: start.line, col: start.col };
}

/** Line and column of an offset, counted directly (the line counter is filled by the parser). */
function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a map; remove or rename one of them';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the closing bracket or quote';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a value containing `: ` must be quoted';
    default:
      return 'quote text values that contain `:`, `#`, `[` or start with a special character';
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1).replace(/\.$/, '') : s;
}

function lineOfFirstBadByte(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}
