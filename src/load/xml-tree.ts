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

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/<>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const MAX_DEPTH = 256;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

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

/** The document element of `xml`, or null when there is none. Unbalanced tags close where they can;
 * a closing tag that matches none of the 64 innermost open elements is ignored. */
export function parseXml(xml: string): XmlElement | null {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let last = 0;
  let i = xml.indexOf('<');
  while (i >= 0) {
    const top = stack[stack.length - 1]!;
    if (i > last && stack.length > 1) top.text += unescapeXml(xml.slice(last, i));
    // Comments, declarations and CDATA end at their own terminator, found once (never rescanned).
    const skip = xml.startsWith('<!--', i)
      ? xml.indexOf('-->', i + 4) + 3
      : xml.startsWith('<?', i)
        ? xml.indexOf('?>', i + 2) + 2
        : xml.startsWith('<![CDATA[', i)
          ? xml.indexOf(']]>', i + 9) + 3
          : xml.startsWith('<!', i)
            ? xml.indexOf('>', i + 2) + 1
            : -1;
    if (skip !== -1) {
      if (skip < i) break; // unterminated: the rest is not read
      last = skip;
      i = xml.indexOf('<', skip);
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(xml);
    if (!m) {
      // Not a tag: read on after it, as text.
      last = i;
      i = xml.indexOf('<', i + 1);
      continue;
    }
    last = TAG.lastIndex;
    i = xml.indexOf('<', last);
    if (m[1]) {
      // A closing tag closes the nearest open element of that name (and any left open inside it).
      for (let k = stack.length - 1; k > 0 && k >= stack.length - 64; k--)
        if (stack[k]!.name === m[2]) {
          stack.length = k;
          break;
        }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(ATTR)) attrs[a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name: m[2]!, attrs, children: [], text: '' };
    top.children.push(el);
    // Office parts nest a few dozen deep; deeper elements are kept as leaves.
    if (!m[4] && stack.length < MAX_DEPTH) stack.push(el);
  }
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
