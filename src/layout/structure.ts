// The logical structure of a PDF, built while laying it out: headings, paragraphs, lists, figures.
// Layout tags each placed piece with its node; the renderer turns nodes into a tagged PDF.
import type { Placed, StructNode, StructRole, Tag } from '../model/layout.js';

export class Structure {
  readonly nodes: StructNode[] = [{ role: 'Document', parent: null }];

  /** A new node under `parent` (the Document by default); its index. */
  add(role: StructRole, parent = 0, extra: Pick<StructNode, 'alt' | 'title' | 'bookmark'> = {}): number {
    this.nodes.push({ role, parent, ...extra });
    return this.nodes.length - 1;
  }

  /** A list item under `list`: its label and body nodes. */
  item(list: number): { label: number; body: number } {
    const li = this.add('LI', list);
    return { label: this.add('Lbl', li), body: this.add('LBody', li) };
  }
}

/**
 * The pieces, tagged as content of `tag`, except pieces already tagged. Text that links somewhere
 * becomes a Link node under `tag`, one per run of linked pieces, so its annotation is tagged too.
 */
export function tagged(items: readonly Placed[], tag: Tag, structure?: Structure): Placed[] {
  let link: { href: string; node: number } | null = null;
  return items.map((it) => {
    if (it.tag !== undefined) return it;
    if (it.type === 'text' && it.href && structure && typeof tag === 'number') {
      if (link?.href !== it.href) link = { href: it.href, node: structure.add('Link', tag) };
      return { ...it, tag: link.node };
    }
    link = null;
    return { ...it, tag };
  });
}
