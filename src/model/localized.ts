// The content pack in one language: plain strings, still carrying their places.
import type { ChartKind } from './chart.js';
import type { Author, Priority } from './content.js';
import type { Lang } from './lang.js';
import type { Span } from './span.js';

export interface Text {
  text: string;
  span: Span;
}

export interface LSource {
  id: string;
  title: string;
  short: string | null;
  authors: Author[];
  publisher: string | null;
  year: number | null;
  /**
   * `a`, `b`, … after the year when the pack has other sources of the same authors, publisher and
   * year (Hartmann & Menon (2024a), (2024b)), so each short citation names one source; else empty.
   */
  yearLetter?: string;
  date: string | null;
  url: string | null;
  via: string | null;
  span: Span;
}

export interface LPoint {
  ref: string;
  id: string | null;
  text: Text;
  priority: Priority;
  source: string | null;
  at: string | null;
  audiences: string[] | null;
  replaces: string[];
}

export interface LFact {
  ref: string;
  id: string | null;
  value: Text;
  label: Text;
  source: string | null;
  at: string | null;
  audiences: string[] | null;
  chart: LChart | null;
}

export interface LChart {
  kind: ChartKind;
  title: Text | null;
  unit: Text | null;
  categories: Text[];
  values: number[];
  max: number | null;
  alt: Text | null;
  span: Span;
}

export interface LQuote {
  ref: string;
  text: Text;
  by: Text;
  source: string | null;
  at: string | null;
  paraphrased: boolean;
  audiences: string[] | null;
}

export interface LOption {
  text: Text;
  pros: Text;
  cons: Text;
}

export interface LRecommendation {
  ref: string;
  id: string | null;
  text: Text;
  short: Text | null;
  owner: Text | null;
  timing: Text | null;
  kind: 'domestic' | 'international' | null;
  question: Text | null;
  options: LOption[];
  priority: Priority;
  source: string | null;
  at: string | null;
  audiences: string[] | null;
  replaces: string[];
}

export interface LModule {
  id: string;
  file: string;
  title: Text;
  summary: Text;
  /** The module's claim with its evidence: the fact it cites, when it names one the audience may see. */
  judgment: { text: Text; evidence: string | null; replaces: string[] } | null;
  place: 'opening' | 'closing' | null;
  relevance: Record<string, number>;
  points: LPoint[];
  facts: LFact[];
  quotes: LQuote[];
  recommendations: LRecommendation[];
  notes: Text | null;
}

export interface LGlossaryEntry {
  term: string;
  definition: Text | null;
  span: Span;
}

export interface LocalizedPack {
  id: string;
  lang: Lang;
  /** The BCP 47 tag written into the files: the pack's `locales`, else en-US, zh-TW or zh-CN. */
  langTag: string;
  title: Text;
  subtitle: Text | null;
  date: string;
  author: Text | null;
  government: Text | null;
  bluf: Text;
  /** An audience's own bottom line and subtitle, in this language (see `forAudience`). */
  perAudience: Record<string, { bluf: Text | null; subtitle: Text | null }>;
  sources: LSource[];
  modules: LModule[];
  /** Glossary terms in this language, with definitions where the pack gives them. */
  glossary: LGlossaryEntry[];
}
