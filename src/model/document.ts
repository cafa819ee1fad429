// Briefing Markdown parsed into a typed tree: what the templates said, with their places.
import type { ChartSpec } from './chart.js';
import type { Span } from './span.js';

export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  code: boolean;
  href: string | null;
}

export interface Heading {
  type: 'heading';
  depth: number;
  runs: Run[];
  span: Span;
}

export interface Paragraph {
  type: 'paragraph';
  runs: Run[];
  span: Span;
}

export interface ListItem {
  type: 'item';
  blocks: Block[];
  span: Span;
}

export interface List {
  type: 'list';
  ordered: boolean;
  start: number;
  items: ListItem[];
  span: Span;
}

export interface BlockQuote {
  type: 'quote';
  blocks: Block[];
  span: Span;
}

export interface Table {
  type: 'table';
  align: ('left' | 'right' | 'center' | null)[];
  /** Row 0 is the header row; each cell is a list of runs. */
  rows: Run[][][];
  span: Span;
}

/** A directive between blocks: `<!-- column -->`, `<!-- region: header -->`. */
export interface Marker {
  type: 'marker';
  name: string;
  value: string;
  span: Span;
}

/** A ```` ```chart ```` block: a chart to draw (docs/briefing-markdown.md). */
export interface ChartBlock {
  type: 'chart';
  chart: ChartSpec;
  span: Span;
}

export type Block = Heading | Paragraph | List | BlockQuote | Table | Marker | ChartBlock;

export interface DocSlide {
  number: number;
  layout: string;
  options: Record<string, string>;
  blocks: Block[];
  notes: string[];
  source: string | null;
  span: Span;
}

export interface DeckDocument {
  type: 'deck';
  slides: DocSlide[];
}

export interface MemoDocument {
  type: 'memo';
  blocks: Block[];
}

export type BriefingDocument = DeckDocument | MemoDocument;
