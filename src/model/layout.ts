// The laid-out output in the target's own terms: slides and pages, boxes in points, sizes chosen.
// Renderers translate this and never measure.

import type { ChartSpec } from './chart.js';
import type { Lang } from './lang.js';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** What every layout writes into its output about the document: language, title, author, subject, date. */
export interface LayoutMeta {
  lang: Lang;
  /** BCP 47 tag written on every run and into the PDF metadata. */
  langTag: string;
  /** Between the parts of a footer or a table row: ` · `, or `｜` in Traditional Chinese. */
  separator?: string;
  title: string;
  author: string | null;
  subject: string | null;
  date: string;
}

export interface Color {
  /** Six hex digits, no `#`. */
  hex: string;
}

/** A run of text as PowerPoint will receive it. */
export interface TextRun {
  text: string;
  style: FontStyle;
  size: number;
  color: string;
  /** Typeface names written into the file: Latin (e.g. `Calibri`) and East Asian (e.g. `Microsoft JhengHei`). */
  face: string;
  eaFace: string;
  /** BCP 47 tag (e.g. `en-US`). */
  lang: string;
  href: string | null;
  /** Extra letter spacing in points (small caps labels). */
  charSpacing: number;
}

export interface SlideParagraph {
  runs: TextRun[];
  /** The theme's text role it is set in (`body`, `column`, `heading`…): its size is a step of that role. */
  role: string;
  align: 'left' | 'center' | 'right';
  bullet:
    | null
    | { type: 'char'; char: string; color: string; indent: number }
    | { type: 'number'; start: number; color: string; indent: number };
  spaceBefore: number;
  spaceAfter: number;
  /** Exact line pitch in points. */
  lineHeight: number;
  /** How many lines the measuring engine broke this paragraph into. */
  lines: number;
}

export interface SlideTextBox {
  type: 'text';
  name: string;
  role: string;
  /** A title placeholder (for outline view, accessibility) rather than a plain text box. */
  placeholder: 'title' | null;
  x: number;
  y: number;
  w: number;
  h: number;
  insets: { l: number; r: number; t: number; b: number };
  valign: 'top' | 'middle' | 'bottom';
  paragraphs: SlideParagraph[];
  fit: BoxFit;
}

export interface SlideRect {
  type: 'rect';
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

export interface SlideLine {
  type: 'line';
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  width: number;
}

export interface SlideImage {
  type: 'image';
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Absolute path of a PNG or JPEG file. */
  file: string;
  alt: string;
}

/**
 * A chart: native and editable in the PPTX, drawn as vector graphics in a PDF. It carries no
 * text: its labels are text boxes beside it, measured like all slide text (src/layout/layout-chart.ts).
 */
export interface SlideChart {
  type: 'chart';
  name: string;
  /** The graphic frame. */
  x: number;
  y: number;
  w: number;
  h: number;
  chart: ChartSpec;
  /** Where the plot sits (points, on the slide): the pie's square, or the bars' extent. */
  plot: { x: number; y: number; w: number; h: number };
  /** The value axis's ends (bar, column, line). */
  axis: { min: number; max: number } | null;
  /** Gap between bars as a percentage of a bar's thickness. */
  gapWidth: number;
  /** One colour per category (pie) or one for the series (others), six hex digits. */
  colors: string[];
  /** What the chart draws, in slide points. */
  marks: ChartMark[];
}

/** A piece of a chart's graphics, in points; angles in degrees clockwise from 12 o'clock. */
export type ChartMark =
  | { type: 'wedge'; cx: number; cy: number; r: number; start: number; end: number; color: string }
  | { type: 'rect'; x: number; y: number; w: number; h: number; color: string }
  | { type: 'polyline'; points: { x: number; y: number }[]; color: string; width: number }
  | { type: 'dot'; cx: number; cy: number; r: number; color: string };

export type SlideShape = SlideTextBox | SlideRect | SlideLine | SlideImage | SlideChart;

/** What the fit report says about one text box. */
export interface BoxFit {
  box: string;
  size: number;
  minSize: number;
  maxSize: number;
  linesUsed: number;
  linesAvailable: number;
  /** Free height in points at the chosen size. */
  slack: number;
  overflow: boolean;
}

export interface LaidSlide {
  number: number;
  layout: string;
  master: string;
  background: string | null;
  shapes: SlideShape[];
  notes: string;
  /** Footer source line (drawn by the master's footer style), or null. */
  sourceLine: string | null;
}

export interface LaidDeck {
  type: 'deck';
  width: number;
  height: number;
  lang: string;
  title: string;
  author: string | null;
  subject: string | null;
  date: string;
  masters: DeckMaster[];
  slides: LaidSlide[];
  fit: BoxFit[][];
  /** The template's colours and fonts, written into the PPTX theme (what PowerPoint offers next). */
  theme?: DeckTheme;
  /**
   * The organisation's PowerPoint template the deck is built on: its masters, layouts and theme
   * replace ours, content slides sit on `content` and the cover on `cover` (parts of the file).
   */
  reference?: {
    /** The file, the folder it must stay inside, and its SHA-256 as checked (it is read again to be written). */
    file: string;
    root: string;
    digest: string;
    content: { part: string; titleType: 'title' | 'ctrTitle' };
    cover: { part: string; titleType: 'title' | 'ctrTitle' };
  };
}

/**
 * The deck's theme as PowerPoint keeps it: the colour scheme's twelve slots (six hex digits each)
 * and the heading (major) and body (minor) fonts, Latin and East Asian.
 */
export interface DeckTheme {
  colors: {
    dk1: string;
    lt1: string;
    dk2: string;
    lt2: string;
    accents: [string, string, string, string, string, string];
    hlink: string;
    folHlink: string;
  };
  major: { latin: string; ea: string };
  minor: { latin: string; ea: string };
}

/** A slide master: fixed decoration, the title placeholder and the footer. */
export interface DeckMaster {
  name: string;
  background: string;
  shapes: SlideShape[];
  title: { x: number; y: number; w: number; h: number } | null;
  slideNumber: { x: number; y: number; w: number; h: number; size: number; color: string; face: string } | null;
}

/**
 * A PDF's logical structure (ISO 32000-1 §14.8.4 standard types): each node names its parent; node 0
 * is the Document. Placed pieces point at the node they are content of, and a node comes in the
 * reading order where its first piece is drawn, so layout draws in reading order. A node with no
 * piece is left out.
 */
export type StructRole =
  | 'Document'
  | 'Sect'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'P'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Figure'
  | 'Link'
  | 'Table'
  | 'TR'
  | 'TH'
  | 'TD'
  | 'BlockQuote';

export interface StructNode {
  role: StructRole;
  parent: number | null;
  /** Alternative text (figures), or a title for navigation (sections). */
  alt?: string;
  title?: string;
  /** A bookmark (outline entry) with `title` at this level, in a PDF of more than one page. */
  bookmark?: 1 | 2;
}

/**
 * What a placed piece is in the document's structure: a node's index, `'page'` for page furniture
 * (running heads, footers, page numbers), and nothing for decoration (rules, panels). The last two
 * are artifacts, which assistive technology skips.
 */
export type Tag = number | 'page';

interface Tagged {
  tag?: Tag;
}

/** A piece of text drawn at a fixed place on a page: baseline `y`, left `x`. */
export interface PlacedText extends Tagged {
  type: 'text';
  x: number;
  y: number;
  text: string;
  font: string;
  size: number;
  color: string;
  /** Extra space between characters (Chinese justification, letter-spaced labels). */
  charSpacing: number;
  /** A link: a URL, or `#name` for a named destination in the same PDF. */
  href: string | null;
  /** A named destination at this piece, for `#name` links (a memo's source list entries). */
  dest?: string;
  /**
   * Where the piece comes from on a slide: the text box (its shape name), the paragraph and the
   * line within it. Set by the handout's layout; the SVG renderer groups a line's pieces by it.
   */
  from?: { box: string; paragraph: number; line: number };
}

export interface PlacedRect extends Tagged {
  type: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill: string;
}

export interface PlacedLine extends Tagged {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
}

export interface PlacedImage extends Tagged {
  type: 'image';
  x: number;
  y: number;
  w: number;
  h: number;
  file: string;
}

/** A chart's pieces in a PDF: a pie slice (degrees clockwise from 12 o'clock), a line through points, a dot. */
export interface PlacedWedge extends Tagged {
  type: 'wedge';
  cx: number;
  cy: number;
  r: number;
  start: number;
  end: number;
  fill: string;
}

export interface PlacedPolyline extends Tagged {
  type: 'polyline';
  points: { x: number; y: number }[];
  color: string;
  width: number;
}

export interface PlacedDot extends Tagged {
  type: 'dot';
  cx: number;
  cy: number;
  r: number;
  fill: string;
}

export type Placed = PlacedText | PlacedRect | PlacedLine | PlacedImage | PlacedWedge | PlacedPolyline | PlacedDot;

export interface LaidPage {
  number: number;
  items: Placed[];
  /** How far down the content reaches, as a share of the text area (0..1). */
  fill: number;
}

/** Pages of placed pieces, as the PDF renderer draws them: a memo, or a deck's handout. */
export interface LaidPdf {
  type: 'memo' | 'handout';
  width: number;
  height: number;
  lang: string;
  title: string;
  author: string | null;
  subject: string | null;
  date: string;
  /** Font key → file the renderer embeds. */
  fonts: Record<string, string>;
  pages: LaidPage[];
  /** The logical structure the PDF is tagged with; placed pieces point into it. */
  structure: StructNode[];
}

/** A deck as a PDF: one page per slide, or with `notes` one A4 page per slide with its notes. */
export interface LaidHandout extends LaidPdf {
  type: 'handout';
  notes: boolean;
}

export interface LaidMemo extends LaidPdf {
  type: 'memo';
  fit: MemoFit;
}

export interface MemoFit {
  pages: number;
  lastPageFill: number;
  bodySize: number;
  /** Each page's text area: points used and available, the free height, and how many more body lines it could take. */
  pageFits: { page: number; used: number; available: number; slack: number; spareLines: number }[];
  /** Every block of text, in reading order. */
  boxes: MemoBoxFit[];
}

/** What the fit report says about one block of a memo: where it starts, how many pages it spans, its size and lines. */
export interface MemoBoxFit {
  box: string;
  page: number;
  pages: number;
  size: number;
  linesUsed: number;
}
