// A small, linear XML reader for the parts of an Office package we read (masters, layouts,
// themes, relationships): elements with their attributes and children, no entities beyond the
// five predefined ones, no DTDs. It never backtracks, so a hostile part costs time in proportion
// to its size; what it cannot read is skipped rather than guessed.

export interface XmlElement {
  /** The qualified name, e.g. `p:sp`. */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The text directly inside (for `a:t`). */
  text: string;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTR = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const CLOSE_END = /\s*>/y;
/** Characters XML 1.0 does not allow anywhere in a document. */
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
/** `&` that does not start one of the five entities or a character reference. */
const BAD_AMP = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)/;
const CHAR_REF = /&#(x[0-9A-Fa-f]+|[0-9]+);/g;

/** Elements in one part, and attributes on one element: far above what Office writes. */
const MAX_ELEMENTS = 200_000;
const MAX_ATTRIBUTES = 256;
const MAX_DEPTH = 256;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

export function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const n = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '';
  });
}

function validChar(n: number): boolean {
  return (
    n === 0x9 ||
    n === 0xa ||
    n === 0xd ||
    (n >= 0x20 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd) ||
    (n >= 0x10000 && n <= 0x10ffff)
  );
}

/** Text or an attribute value that a strict reader would refuse: a bad character or reference. */
function badText(t: string): string | null {
  if (BAD_CHAR.test(t)) return 'a character XML does not allow';
  if (BAD_AMP.test(t)) return 'an `&` that starts no entity';
  for (const m of t.matchAll(CHAR_REF)) {
    const n = m[1]![0] === 'x' ? Number.parseInt(m[1]!.slice(1), 16) : Number.parseInt(m[1]!, 10);
    if (!validChar(n)) return `a reference to a character XML does not allow (${m[0]})`;
  }
  return null;
}

/**
 * The document element of `xml`, or null when there is none. Linear in the size of `xml`, with at
 * most 200,000 elements, 256 attributes each and 256 levels (more is an XmlError). Lenient by
 * default (unbalanced tags close where they can); `strict` refuses what is not well-formed XML:
 * a DOCTYPE, an unterminated comment, CDATA or tag, a mismatched or missing end tag, text outside
 * the root, a bad character, entity or character reference, a repeated attribute.
 */
export function parseXml(xml: string, strict = false): XmlElement | null {
  const fail = (why: string): never => {
    throw new XmlError(why);
  };
  if (strict) {
    const bad = badText(xml);
    if (bad) fail(`has ${bad}`);
  }
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let elements = 0;
  let last = 0;
  let i = xml.indexOf('<');
  if (
    strict &&
    xml
      .slice(0, i < 0 ? xml.length : i)
      .replace(/^\uFEFF/, '')
      .trim() !== ''
  )
    fail('has text before its root element');
  while (i >= 0) {
    const top = stack[stack.length - 1]!;
    if (i > last) {
      const text = xml.slice(last, i);
      if (stack.length > 1) top.text += unescapeXml(text);
      else if (strict && text.trim() !== '') fail('has text outside its root element');
    }
    // Comments, declarations and CDATA end at their own terminator, found once (never rescanned).
    if (xml.startsWith('<!--', i) || xml.startsWith('<?', i) || xml.startsWith('<![CDATA[', i)) {
      const [close, from] = xml.startsWith('<!--', i) ? ['-->', 4] : xml.startsWith('<?', i) ? ['?>', 2] : [']]>', 9];
      const end = xml.indexOf(close, i + from);
      if (end < 0) {
        if (strict) fail('has an unterminated comment, declaration or CDATA section');
        break; // the rest is not read
      }
      if (from === 9 && stack.length > 1) top.text += xml.slice(i + 9, end);
      last = end + close.length;
      i = xml.indexOf('<', last);
      continue;
    }
    if (xml.startsWith('<!', i)) {
      if (strict) fail('has a DOCTYPE or other declaration, which Office parts never have');
      const end = xml.indexOf('>', i + 2);
      if (end < 0) break;
      last = end + 1;
      i = xml.indexOf('<', last);
      continue;
    }
    const closing = xml[i + 1] === '/';
    NAME.lastIndex = i + (closing ? 2 : 1);
    const name = NAME.exec(xml)?.[0];
    let at = NAME.lastIndex;
    if (!name) {
      if (strict) fail('has a `<` that starts no tag');
      last = i;
      i = xml.indexOf('<', i + 1);
      continue;
    }
    if (closing) {
      CLOSE_END.lastIndex = at;
      if (!CLOSE_END.exec(xml)) {
        if (strict) fail(`has a damaged end tag \`</${name.slice(0, 40)}\``);
        last = i;
        i = xml.indexOf('<', i + 1);
        continue;
      }
      last = CLOSE_END.lastIndex;
      i = xml.indexOf('<', last);
      if (strict) {
        if (stack.length <= 1 || top.name !== name)
          fail(`has an end tag \`</${name.slice(0, 40)}\` that closes no open element`);
        stack.pop();
        continue;
      }
      // A closing tag closes the nearest open element of that name (and any left open inside it).
      for (let k = stack.length - 1; k > 0 && k >= stack.length - 64; k--)
        if (stack[k]!.name === name) {
          stack.length = k;
          break;
        }
      continue;
    }
    const attrs: Record<string, string> = Object.create(null);
    let count = 0;
    for (;;) {
      ATTR.lastIndex = at;
      const a = ATTR.exec(xml);
      if (!a) break;
      at = ATTR.lastIndex;
      if (++count > MAX_ATTRIBUTES) fail(`has an element with more than ${MAX_ATTRIBUTES} attributes`);
      if (strict && Object.hasOwn(attrs, a[1]!)) fail(`repeats the attribute \`${a[1]!.slice(0, 40)}\``);
      attrs[a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
    }
    TAG_END.lastIndex = at;
    const end = TAG_END.exec(xml);
    if (!end) {
      if (strict) fail(`has a damaged tag \`<${name.slice(0, 40)}\``);
      last = i;
      i = xml.indexOf('<', i + 1);
      continue;
    }
    last = TAG_END.lastIndex;
    i = xml.indexOf('<', last);
    if (++elements > MAX_ELEMENTS) fail(`has more than ${MAX_ELEMENTS} elements`);
    if (strict && stack.length === 1 && root.children.length > 0) fail('has more than one root element');
    const el: XmlElement = { name, attrs, children: [], text: '' };
    top.children.push(el);
    if (end[1]) continue;
    if (stack.length >= MAX_DEPTH) fail(`nests elements more than ${MAX_DEPTH} deep`);
    stack.push(el);
  }
  if (strict && stack.length > 1) fail(`does not close \`<${stack[stack.length - 1]!.name.slice(0, 40)}>\``);
  if (strict && root.children.length === 0) fail('has no root element');
  if (strict && xml.slice(last).trim() !== '') fail('has text outside its root element');
  return root.children[0] ?? null;
}

/** The first child named `name`. */
export function child(el: XmlElement | null | undefined, name: string): XmlElement | null {
  return el?.children.find((c) => c.name === name) ?? null;
}

/** Follows a path of child names. */
export function path(el: XmlElement | null | undefined, ...names: string[]): XmlElement | null {
  let at = el ?? null;
  for (const n of names) at = child(at, n);
  return at;
}

/** The first element named `name` anywhere below `el` (depth first). */
export function find(el: XmlElement | null | undefined, name: string): XmlElement | null {
  if (!el) return null;
  for (const c of el.children) {
    if (c.name === name) return c;
    const deeper = find(c, name);
    if (deeper) return deeper;
  }
  return null;
}

/** Every element named `name` below `el`. */
export function findAll(el: XmlElement | null | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    findAll(c, name, out);
  }
  return out;
}
