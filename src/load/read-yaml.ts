// Reads one YAML file into plain data plus a way to find the place of any value in it.
// Input: a path. Output: the parsed value, a span lookup, diagnostics. Side effects: reads the file.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Span } from '../model/span.js';

export type Path = readonly (string | number)[];

export interface YamlFile {
  file: string;
  value: unknown;
  /** The place of the value at `path`; with `key`, the place of the map key itself. */
  spanAt(path: Path, key?: boolean): Span;
}

/** Refuse files larger than this: content and templates are hand-written, not data dumps. */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
const MAX_ALIASES = 100;
/** Deeper nesting is no content format's and would exhaust the parser's memory. */
export const MAX_NESTING = 64;
const MAX_INDENT = 256;

/**
 * Finds nesting deeper than the limit before the YAML parser sees it: flow brackets outside
 * quotes and comments, and block indentation. Linear in the text's length.
 */
function nestingProblem(text: string): { line: number; col: number; what: string } | null {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: string | null = null;
  let comment = false;
  let atLineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    col++;
    if (ch === '\n') {
      line++;
      col = 0;
      comment = false;
      atLineStart = true;
      indent = 0;
      if (quote === "'") continue;
      continue;
    }
    if (atLineStart) {
      if (ch === ' ' || ch === '-') {
        indent++;
        if (indent > MAX_INDENT) return { line, col, what: `indentation deeper than ${MAX_INDENT} columns` };
        continue;
      }
      atLineStart = false;
    }
    if (comment) continue;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > MAX_NESTING) return { line, col, what: `brackets nested deeper than ${MAX_NESTING} levels` };
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return null;
}

export function readYamlFile(path: string, display: string): { file: YamlFile | null; diagnostics: Diagnostic[] } {
  const whole: Span = { file: display, line: 1, col: 1 };
  let bytes: Buffer;
  try {
    if (statSync(path).size > MAX_YAML_BYTES) {
      return {
        file: null,
        diagnostics: [error('file-too-large', `file is larger than ${MAX_YAML_BYTES / 1024 / 1024} MiB`, whole, 'split the content into several modules')],
      };
    }
    bytes = readFileSync(path);
  } catch (cause) {
    return { file: null, diagnostics: [error('unreadable-file', `cannot read file: ${(cause as Error).message}`, whole)] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return {
      file: null,
      diagnostics: [error('not-utf8', 'file is not valid UTF-8', { ...whole, line: lineOfFirstBadByte(bytes) }, 'save the file as UTF-8')],
    };
  }
  return parseYamlText(text, display);
}

export function parseYamlText(text: string, display: string): { file: YamlFile | null; diagnostics: Diagnostic[] } {
  const whole: Span = { file: display, line: 1, col: 1 };
  if (text.trim() === '') {
    return { file: null, diagnostics: [error('empty-file', 'file is empty', whole, 'see docs/content-format.md for what it must contain')] };
  }
  const deep = nestingProblem(text);
  if (deep) {
    return { file: null, diagnostics: [error('yaml-too-deep', `YAML: ${deep.what}`, { file: display, line: deep.line, col: deep.col }, 'content and templates need a few levels of nesting; flatten the structure')] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, merge: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    const message = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error';
    diagnostics.push(error('yaml-syntax', `YAML: ${lowerFirst(message)}`, { file: display, line: pos.line, col: pos.col }, yamlHint(e.code)));
  }
  if (diagnostics.length > 0) return { file: null, diagnostics };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    return {
      file: null,
      diagnostics: [error('yaml-aliases', `YAML: ${lowerFirst((cause as Error).message)}`, whole, 'write the values out instead of using many aliases')],
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
  return { file: { file: display, value, spanAt }, diagnostics };
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
