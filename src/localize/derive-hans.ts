// Simplified Chinese derived from Traditional: OpenCC's Taiwan-phrase → mainland conversion
// (軟體 → 软件), with glossary terms protected from it (OpenCC over-converts some terms, e.g.
// 建立 → 创建) and replaced by their fixed zh-Hans forms, and 「」『』‧ turned into “” ‘’ ·.
import { createRequire } from 'node:module';
import type { GlossaryEntry } from '../model/content.js';

export type Converter = (text: string) => string;

/** OpenCC `twp → cn`, loaded only when Simplified Chinese is derived. */
export function openccTaiwanToMainland(): Converter {
  const require = createRequire(import.meta.url);
  const opencc = require('opencc-js/t2cn') as { Converter(o: { from: string; to: string }): Converter };
  return opencc.Converter({ from: 'twp', to: 'cn' });
}

// Taiwan's interpunct in names (山姆‧奧特曼, U+2027) is the middle dot on the mainland (萨姆·奥尔特曼).
const QUOTES: Readonly<Record<string, string>> = Object.freeze({
  '「': '“',
  '」': '”',
  '『': '‘',
  '』': '’',
  '‧': '·',
});

interface Term {
  hant: string;
  hans: string | undefined;
}

/**
 * The zh-Hant terms as a trie of UTF-16 units: finding the longest term at a position costs at
 * most the longest term's length, however large the glossary.
 */
interface Node {
  next: Map<string, Node>;
  term: Term | null;
}

// The glossary is the same for every string of a pack, so its trie is built once per glossary.
const tries = new WeakMap<readonly GlossaryEntry[], Node>();

function termTrie(glossary: readonly GlossaryEntry[]): Node {
  let root = tries.get(glossary);
  if (!root) {
    root = { next: new Map(), term: null };
    for (const g of glossary) {
      const hant = g.terms['zh-Hant'];
      if (!hant) continue;
      let node = root;
      for (let i = 0; i < hant.length; i++) {
        let child = node.next.get(hant[i]!);
        if (!child) {
          child = { next: new Map(), term: null };
          node.next.set(hant[i]!, child);
        }
        node = child;
      }
      // A term listed twice keeps its first entry.
      node.term ??= { hant, hans: g.terms['zh-Hans'] };
    }
    tries.set(glossary, root);
  }
  return root;
}

/** The longest glossary term at `start`, or null. */
function termAt(root: Node, text: string, start: number): Term | null {
  let found: Term | null = null;
  let node: Node | undefined = root;
  for (let i = start; i < text.length; i++) {
    node = node.next.get(text[i]!);
    if (!node) break;
    if (node.term) found = node.term;
  }
  return found;
}

/**
 * Cuts the text at glossary terms (the longest one at each position) and converts only the text
 * between them, so a term cannot be converted and nothing in the author's text can be mistaken for
 * a term, however many terms there are.
 */
export function deriveHans(text: string, glossary: readonly GlossaryEntry[], convert: Converter): string {
  const root = termTrie(glossary);
  let out = '';
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    const term = termAt(root, text, i);
    if (!term) {
      i++;
      continue;
    }
    if (i > plain) out += convert(text.slice(plain, i));
    out += term.hans ?? convert(term.hant);
    i += term.hant.length;
    plain = i;
  }
  if (text.length > plain) out += convert(text.slice(plain));
  return out.replace(/[「」『』‧]/g, (q) => QUOTES[q]!);
}
