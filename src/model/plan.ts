// What goes into one output, in what order: the planner's decisions, before any template runs.
import type { ChartSpec } from './chart.js';
import type { Priority } from './content.js';
import type { Lang } from './lang.js';
import type { Span } from './span.js';

/** One piece of content that may be shown, or dropped when room runs out. */
export interface PlanItem {
  /** Stable reference, e.g. `economy/points/3`. */
  ref: string;
  text: string;
  /** Optional bold lead-in shown before the text (e.g. an agenda title). */
  label: string | null;
  priority: Priority;
  source: string | null;
  /** In a memo: the number of its source in the source list, for a note mark such as `[1]`. */
  note?: number | null;
  /**
   * An ask in a closing list, in two parts: `head`, what to do (its short form), and `detail`,
   * who acts and by when. `text` says both in one line, for templates that want one.
   */
  head?: string;
  detail?: string | null;
  span: Span;
}

export interface PlanFigure {
  ref: string;
  value: string;
  label: string;
  source: string | null;
  sourceShort: string | null;
  priority: Priority;
  span: Span;
}

/** A chart as a slide or page shows it: the fact it charts, in one language. */
export interface PlanChart extends ChartSpec {
  ref: string;
  source: string | null;
  sourceShort: string | null;
  /** In a memo: the number of its source in the source list, for the note mark on its title. */
  note?: number | null;
  span: Span;
}

export interface PlanQuote {
  ref: string;
  text: string;
  by: string;
  paraphrased: boolean;
  source: string | null;
  span: Span;
}

export interface PlanColumn {
  heading: string | null;
  items: PlanItem[];
}

export const SLIDE_LAYOUTS = [
  'title',
  'agenda',
  'summary',
  'bullets',
  'two-column',
  'options',
  'chart',
  'key-figure',
  'quote',
  'recommendations',
  'sources',
] as const;
export type SlideLayout = (typeof SLIDE_LAYOUTS)[number];

/** One slide as planned. Every field is present (null or empty when unused) so templates can rely on it. */
export interface SlidePlan {
  number: number;
  layout: SlideLayout;
  module: string | null;
  kicker: string | null;
  title: string;
  lead: string | null;
  items: PlanItem[];
  columns: PlanColumn[];
  figures: PlanFigure[];
  /** The chart of a `chart` slide, beside the points in `columns[0]`. */
  chart: PlanChart | null;
  quote: PlanQuote | null;
  /** A closing paragraph after the items (e.g. "about this briefing" on the sources slide). */
  closing: string | null;
  closingHeading: string | null;
  notes: string | null;
  /** Source ids the slide's content cites. */
  sources: string[];
  /** The footer source line, already formatted, or null when the slide states no facts. */
  sourceLine: string | null;
  /**
   * The number of the slide's first item in a list that runs on across slides (the asks on
   * "continued" slides go on from 5, not from 1); 1 elsewhere.
   */
  listStart: number;
}

export interface PlanSource {
  id: string;
  number: number;
  citation: string;
  short: string;
  url: string | null;
}

export interface PlanMeta {
  packId: string;
  lang: Lang;
  langTag: string;
  audience: string;
  audienceLabel: string;
  title: string;
  subtitle: string | null;
  author: string | null;
  date: string;
  dateText: string;
  bluf: string;
  marking: string | null;
}

export type DropReason = 'no-room' | 'overflow';

export interface Drop {
  ref: string;
  kind: 'point' | 'recommendation' | 'fact' | 'quote' | 'summary' | 'module';
  text: string;
  priority: Priority;
  reason: DropReason;
  /** The slide it was dropped from (decks), when there was one. */
  slide: number | null;
  span: Span;
}

export interface DeckPlan {
  type: 'deck';
  meta: PlanMeta;
  slides: SlidePlan[];
  sources: PlanSource[];
  drops: Drop[];
}

export interface MemoSection {
  module: string;
  number: number;
  title: string;
  summary: string;
  items: PlanItem[];
  /** A chart of one of the module's facts, after its points, when there is room. */
  chart: PlanChart | null;
}

export interface MemoPlan {
  type: 'memo';
  meta: PlanMeta;
  pages: number;
  header: { to: string; from: string; subject: string };
  /** Each module's takeaway (label: the module title), most relevant kept first. */
  judgments: PlanItem[];
  /** Modules with at least one point kept, in pack order. */
  sections: MemoSection[];
  recommendations: PlanItem[];
  /** Glossary terms explained (label: the term), for audiences that need them. */
  terms: PlanItem[];
  /** A line for every page footer (e.g. PRE-DECISIONAL), or null. */
  footer: string | null;
  sources: PlanSource[];
  drops: Drop[];
}
