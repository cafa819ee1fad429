// layout: LaidDeck → LaidHandout, the deck as a PDF. Pure. Every slide becomes a page drawn from
// the same boxes as the PPTX: masters, shapes, charts (their marks), and each text box's
// paragraphs broken into lines by the engine that measured them, at the sizes fitting chose. With
// `notes`, each page is A4 portrait: the slide at the top, its speaker notes below.
import type {
  FontStyle,
  LaidDeck,
  LaidHandout,
  LaidPage,
  LaidSlide,
  Placed,
  SlideParagraph,
  SlideShape,
  SlideTextBox,
  Tag,
} from '../model/layout.js';
import { breakLines, type Line, measureText, noLoneLastCharacter, withSpace } from './break-lines.js';
import type { FaceChain, FontBook } from './font-metrics.js';
import { PAGE_SIZES } from './layout-memo.js';
import { chartMarkPieces, transformPlaced } from './placed.js';
import { Structure, tagged } from './structure.js';

export interface LayoutHandoutInput {
  deck: LaidDeck;
  fonts: FontBook;
  /** Fonts of runs set in the heading face, when the theme has one. */
  headingFonts?: FontBook;
  /**
   * Fitting measured every box a little narrower (theme.deck.fit.widthReserve) to leave room for
   * PowerPoint's own line breaking. The handout sets lines itself, at the full width, as PowerPoint
   * would: never more lines than fitting counted. Notes use the reserve as a margin.
   */
  widthReserve: number;
  notes: boolean;
  /** Notes pages: the paper, text colours, the footer (`{title}`, `{n}`, `{total}`). */
  page?: 'a4' | 'letter';
  colors: { ink: string; muted: string; rule: string };
  notesFooter?: string;
}

export interface HandoutResult {
  handout: LaidHandout;
  /** Code points no font had, with the slide they are on. */
  missing: { codePoint: number; slide: number }[];
  /** Slides whose notes had to be set smaller than 8 pt, or did not fit at all. */
  crowdedNotes: number[];
}

const NOTES_MARGIN = 42;

export function layoutHandout(input: LayoutHandoutInput): HandoutResult {
  const { deck } = input;
  const missing = new Map<number, number>();
  const fontsUsed: Record<string, string> = {};
  const books: { book: FontBook; heading: boolean }[] = [{ book: input.fonts, heading: false }];
  if (input.headingFonts && input.headingFonts !== input.fonts) books.push({ book: input.headingFonts, heading: true });
  for (const { book, heading } of books) {
    for (const style of ['regular', 'bold', 'italic', 'boldItalic'] as const) {
      for (const [i, f] of book.styles[style].faces.entries()) fontsUsed[fontKey(style, i, heading)] = f.file;
    }
  }
  /** The book a run was set in: headings by their face name. */
  const bookOf = (face: string) =>
    input.headingFonts && face === input.headingFonts.face && face !== input.fonts.face
      ? { book: input.headingFonts, heading: true }
      : { book: input.fonts, heading: false };

  // The tagged PDF's structure: a section per slide, its title a heading (the cover's the document's
  // H1), its text paragraphs and lists, its charts and pictures figures with their alternative text.
  // Masters' decoration is an artifact; slide numbers, footers and markings are page furniture.
  const structure = new Structure();
  /** A slide's section, made when the slide is laid out; its speaker notes go in it too. */
  const sections = new Map<number, number>();

  const slidePieces = (slide: LaidSlide): Placed[] => {
    const items: Placed[] = [];
    const master = deck.masters.find((m) => m.name === slide.master);
    const background = slide.background ?? master?.background ?? 'FFFFFF';
    if (background.toUpperCase() !== 'FFFFFF')
      items.push({ type: 'rect', x: 0, y: 0, w: deck.width, h: deck.height, fill: background });
    for (const shape of master?.shapes ?? []) items.push(...shapePieces(shape, slide.number));
    const title = slideTitle(slide);
    const sect = structure.add('Sect', 0, title !== null ? { bookmark: 1, title } : {});
    sections.set(slide.number, sect);
    // A chart's labels are part of its figure, which its alternative text describes as a whole.
    const chart = slide.shapes.find((x) => x.type === 'chart');
    const figure = chart?.type === 'chart' ? structure.add('Figure', sect, { alt: chart.chart.alt }) : null;
    for (const shape of slide.shapes) {
      const pieces = shape.type === 'text' ? [] : shapePieces(shape, slide.number);
      if (shape.type === 'chart') items.push(...tagged(pieces, figure!));
      else if (shape.type === 'image') items.push(...tagged(pieces, structure.add('Figure', sect, { alt: shape.alt })));
      else if (shape.type === 'text')
        items.push(...textPieces(shape, slide.number, textTag(shape, slide.number, sect, figure)));
      else items.push(...pieces);
    }
    if (master?.slideNumber) {
      const n = master.slideNumber;
      const text = String(slide.number);
      const chain = input.fonts.styles.regular;
      const w = measureText(text, chain, n.size);
      const { ascent, descent } = vertical(chain, n.size);
      items.push({
        type: 'text',
        x: n.x + n.w - w,
        y: n.y + (n.h - (ascent + descent)) / 2 + ascent,
        text,
        font: fontKey('regular', 0, false),
        size: n.size,
        color: n.color,
        charSpacing: 0,
        href: null,
        tag: 'page',
      });
    }
    return items;
  };

  /**
   * What a text box is in the structure: the slide's heading, a chart's label, page furniture, or
   * flowing text (paragraphs and lists, tagged paragraph by paragraph in textPieces).
   */
  const textTag = (box: SlideTextBox, slide: number, sect: number, figure: number | null): Tag | { flow: number } => {
    if (box.placeholder === 'title') return structure.add(slide === 1 ? 'H1' : 'H2', sect);
    if (figure !== null && /^Chart (key|category|value)/.test(box.name)) return figure;
    if (box.role === 'marking' || box.name === 'Footer text') return 'page';
    return { flow: sect };
  };

  const shapePieces = (shape: SlideShape, slide: number): Placed[] => {
    switch (shape.type) {
      case 'rect':
        return [{ type: 'rect', x: shape.x, y: shape.y, w: shape.w, h: shape.h, fill: shape.fill }];
      case 'line':
        return [
          {
            type: 'line',
            x1: shape.x,
            y1: shape.y,
            x2: shape.x + shape.w,
            y2: shape.y + shape.h,
            color: shape.color,
            width: shape.width,
          },
        ];
      case 'image':
        return [{ type: 'image', x: shape.x, y: shape.y, w: shape.w, h: shape.h, file: shape.file }];
      case 'chart':
        return chartMarkPieces(shape.marks);
      case 'text':
        // Text on a master is page furniture.
        return textPieces(shape, slide, 'page');
    }
  };

  /** A text box as PowerPoint sets it: insets, vertical anchor, paragraph spacing, exact line pitch, hanging bullets. */
  const textPieces = (box: SlideTextBox, slide: number, tag: Tag | { flow: number }): Placed[] => {
    const inner = {
      x: box.x + box.insets.l,
      y: box.y + box.insets.t,
      w: box.w - box.insets.l - box.insets.r,
      h: box.h - box.insets.t - box.insets.b,
    };
    const laid = box.paragraphs.map((p) => ({ p, lines: linesOf(p, inner.w, slide) }));
    const height = laid.reduce(
      (h, { p, lines }, i) => h + (i > 0 ? p.spaceBefore : 0) + lines.length * p.lineHeight + p.spaceAfter,
      0,
    );
    let y =
      box.valign === 'middle'
        ? inner.y + (inner.h - height) / 2
        : box.valign === 'bottom'
          ? inner.y + inner.h - height
          : inner.y;
    const items: Placed[] = [];
    let list: number | null = null;
    laid.forEach(({ p, lines }, i) => {
      if (i > 0) y += p.spaceBefore;
      // Flowing text: a bulleted paragraph is a list item (its bullet the label), others paragraphs.
      let label: Tag;
      let body: Tag;
      if (typeof tag !== 'object') label = body = tag;
      else if (p.bullet) {
        list ??= structure.add('L', tag.flow);
        ({ label, body } = structure.item(list));
      } else {
        list = null;
        label = body = structure.add('P', tag.flow);
      }
      const pieces: Placed[] = [];
      const indent = p.bullet?.indent ?? 0;
      const first = p.runs[0];
      lines.forEach((line, k) => {
        const run0 = p.runs[line.fragments[0]?.run ?? 0] ?? first;
        const chain0 = run0 ? chainOf(run0.face, run0.style) : input.fonts.styles.regular;
        const { ascent, descent } = vertical(chain0, run0?.size ?? 12);
        const baseline = y + (p.lineHeight - (ascent + descent)) / 2 + ascent;
        const room = inner.w - indent;
        const dx = p.align === 'center' ? (room - line.width) / 2 : p.align === 'right' ? room - line.width : 0;
        if (k === 0 && p.bullet && first) {
          const mark = p.bullet.type === 'char' ? p.bullet.char : `${p.bullet.start}.`;
          const chain = chainOf(first.face, p.bullet.type === 'char' ? 'regular' : first.style);
          const face = Math.max(
            0,
            chain.faces.findIndex((f) => [...mark].every((ch) => f.advance(ch.codePointAt(0)!) !== null)),
          );
          const { heading } = bookOf(first.face);
          pieces.push({
            type: 'text',
            x: inner.x,
            y: baseline,
            text: mark,
            font: fontKey(p.bullet.type === 'char' ? 'regular' : first.style, face, heading),
            size: first.size,
            color: p.bullet.color,
            charSpacing: 0,
            href: null,
            tag: label,
            from: { box: box.name, paragraph: i, line: k },
          });
        }
        for (const [j, f] of line.fragments.entries()) {
          const run = p.runs[f.run]!;
          const { heading } = bookOf(run.face);
          pieces.push({
            type: 'text',
            x: inner.x + indent + dx + f.x,
            y: baseline,
            text: withSpace(f.text, line, j),
            font: fontKey(run.style, f.face, heading),
            size: run.size,
            color: run.color,
            charSpacing: run.charSpacing,
            href: run.href,
            from: { box: box.name, paragraph: i, line: k },
          });
        }
        y += p.lineHeight;
      });
      items.push(...tagged(pieces, body, structure));
      y += p.spaceAfter;
    });
    return items;
  };

  /**
   * The faces a run is drawn in. Fitting measured digits and ASCII punctuation in Chinese text at
   * the widest of the faces (`widestWeak`: viewers disagree on which face sets them), so a deck
   * fits in each; here they are drawn in one face, the Latin one, and are placed at its advances,
   * with no gap after a figure such as 2025 before 年. Narrower characters never need more lines.
   */
  const drawn = new Map<FaceChain, FaceChain>();
  const chainOf = (face: string, style: FontStyle): FaceChain => {
    const chain = bookOf(face).book.styles[style];
    if (!chain.widestWeak) return chain;
    let plain = drawn.get(chain);
    if (!plain) {
      plain = { ...chain, widestWeak: false };
      drawn.set(chain, plain);
    }
    return plain;
  };

  const linesOf = (p: SlideParagraph, width: number, slide: number): Line[] => {
    const indent = p.bullet?.indent ?? 0;
    const broken = breakLines(
      p.runs.map((r) => ({
        text: r.text,
        chain: chainOf(r.face, r.style),
        size: r.size,
        letterSpacing: r.charSpacing,
      })),
      width - indent,
    );
    for (const cp of broken.missing) if (!missing.has(cp)) missing.set(cp, slide);
    return broken.lines;
  };

  const crowdedNotes: number[] = [];
  let pages: LaidPage[];
  let width = deck.width;
  let height = deck.height;
  if (!input.notes) {
    pages = deck.slides.map((s) => ({ number: s.number, items: slidePieces(s), fill: 1 }));
  } else {
    const paper = PAGE_SIZES[input.page ?? 'a4'];
    width = paper.width;
    height = paper.height;
    const m = NOTES_MARGIN;
    const scale = (width - 2 * m) / deck.width;
    const slideH = deck.height * scale;
    const c = input.colors;
    pages = deck.slides.map((s) => {
      const items: Placed[] = slidePieces(s).map((it) => transformPlaced(it, scale, m, m));
      // A hairline frame, so a white slide reads as a slide on the page.
      for (const [x1, y1, x2, y2] of [
        [m, m, m + deck.width * scale, m],
        [m, m + slideH, m + deck.width * scale, m + slideH],
        [m, m, m, m + slideH],
        [m + deck.width * scale, m, m + deck.width * scale, m + slideH],
      ] as const) {
        items.push({ type: 'line', x1, y1, x2, y2, color: c.rule, width: 0.5 });
      }
      const top = m + slideH + 24;
      const bottom = height - m - 24;
      const notes = notesPieces(s, m, top, width - 2 * m, bottom - top, sections.get(s.number)!);
      if (notes.crowded) crowdedNotes.push(s.number);
      items.push(...notes.items);
      const footer = (input.notesFooter ?? '{title} · {n} / {total}')
        .replace('{title}', deck.title)
        .replace('{n}', String(s.number))
        .replace('{total}', String(deck.slides.length));
      items.push(...plainLine(footer, m, height - m, 8, c.muted, width - 2 * m, s.number));
      return { number: s.number, items, fill: 1 };
    });
  }

  /** Speaker notes: paragraphs at 11 pt, smaller (down to 7 pt) when they are long. */
  function notesPieces(
    slide: LaidSlide,
    x: number,
    y: number,
    w: number,
    h: number,
    sect: number,
  ): { items: Placed[]; crowded: boolean } {
    const paragraphs = slide.notes.split(/\n\n+/).filter((t) => t.trim() !== '');
    const chain = input.fonts.styles.regular;
    const paras = paragraphs.map(() => structure.add('P', sect));
    for (let size = 11; size >= 7; size -= 0.5) {
      const pitch = size * 1.35;
      const gap = size * 0.6;
      const broken = paragraphs.map((t) =>
        noLoneLastCharacter(
          (width) => breakLines([{ text: t, chain, size, letterSpacing: 0 }], width),
          w * (1 - input.widthReserve),
          size,
        ),
      );
      const total = broken.reduce((sum, b, i) => sum + (i > 0 ? gap : 0) + b.lines.length * pitch, 0);
      if (total > h && size > 7) continue;
      const items: Placed[] = [];
      let top = y;
      const { ascent, descent } = vertical(chain, size);
      broken.forEach((b, i) => {
        if (i > 0) top += gap;
        const para = paras[i]!;
        for (const line of b.lines) {
          if (top + pitch > y + h + 0.01) break;
          const baseline = top + (pitch - (ascent + descent)) / 2 + ascent;
          for (const [j, f] of line.fragments.entries())
            items.push({
              type: 'text',
              x: x + f.x,
              y: baseline,
              text: withSpace(f.text, line, j),
              font: fontKey('regular', f.face, false),
              size,
              color: input.colors.ink,
              charSpacing: 0,
              href: null,
              tag: para,
            });
          top += pitch;
        }
        for (const cp of b.missing) if (!missing.has(cp)) missing.set(cp, slide.number);
      });
      return { items, crowded: size < 8 || total > h };
    }
    return { items: [], crowded: paragraphs.length > 0 };
  }

  function plainLine(
    text: string,
    x: number,
    baselineY: number,
    size: number,
    color: string,
    w: number,
    slide: number,
  ): Placed[] {
    const broken = breakLines([{ text, chain: input.fonts.styles.regular, size, letterSpacing: 0 }], w);
    for (const cp of broken.missing) if (!missing.has(cp)) missing.set(cp, slide);
    return (broken.lines[0]?.fragments ?? []).map((f) => ({
      type: 'text',
      x: x + f.x,
      y: baselineY,
      text: f.text,
      font: fontKey('regular', f.face, false),
      size,
      color,
      charSpacing: 0,
      href: null,
      tag: 'page',
    }));
  }

  return {
    handout: {
      type: 'handout',
      notes: input.notes,
      width,
      height,
      lang: deck.lang,
      title: deck.title,
      author: deck.author,
      subject: deck.subject,
      date: deck.date,
      fonts: fontsUsed,
      pages,
      structure: structure.nodes,
    },
    missing: [...missing].map(([codePoint, slide]) => ({ codePoint, slide })),
    crowdedNotes,
  };
}

/**
 * A slide's title as one line (a bookmark, an SVG's title): its paragraphs joined, a break it was
 * written with read as a space where it has one (Chinese has none); null when it has no title.
 */
export function slideTitle(slide: LaidSlide): string | null {
  const title = slide.shapes.find((x): x is SlideTextBox => x.type === 'text' && x.placeholder === 'title');
  if (!title) return null;
  return title.paragraphs
    .map((p) =>
      p.runs
        .map((r) => r.text)
        .join('')
        .replace(/ ?\n/g, (m) => (m === '\n' ? '' : ' ')),
    )
    .join(' ');
}

function vertical(chain: FaceChain, size: number): { ascent: number; descent: number } {
  const f = chain.faces[0]!;
  return { ascent: (f.ascender / f.unitsPerEm) * size, descent: (-f.descender / f.unitsPerEm) * size };
}

/** The renderer's name for a face: the style, `-ea` for the East Asian face, `h-` for heading fonts. */
function fontKey(style: FontStyle, face: number, heading: boolean): string {
  return `${heading ? 'h-' : ''}${face === 0 ? style : `${style}-ea`}`;
}
