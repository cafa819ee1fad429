// The content pack as loaded from YAML: still multilingual, every value with its place.

import type { ChartKind } from './chart.js';
import type { Lang } from './lang.js';
import type { Span } from './span.js';

/**
 * A value a user writes either once for every language (`any`) or per language tag (`byLang`).
 */
export interface Localized {
  any: string | null;
  byLang: Record<string, { text: string; span: Span }>;
  span: Span;
}

export type Priority = 1 | 2 | 3;

/**
 * An author of a source: the name as printed in the full reference, and the name a short citation
 * uses (a person's family name, an organisation's short form).
 */
export interface Author {
  name: string;
  cite: string;
  /** The name written as one string, so `cite` is a guess. */
  guessed: boolean;
  /** Written as `… et al.`: the short citation says so. */
  andOthers: boolean;
}

export interface Source {
  id: string;
  title: Localized;
  /** A short form for footers, e.g. `Kahl & Mitre, Foreign Affairs (2025)`; derived when absent. */
  short: Localized | null;
  authors: Author[];
  publisher: Localized | null;
  year: number | null;
  date: string | null;
  url: string | null;
  /** The id of the source through which this one reaches the pack (a summary, a translation). */
  via: string | null;
  span: Span;
}

export interface GlossaryEntry {
  /** The term in each language: `{ en: AGI, zh-Hant: 通用人工智慧, zh-Hans: 通用人工智能 }`. */
  terms: Record<string, string>;
  /** A plain-language explanation, for audiences that need terms explained. */
  definition: Localized | null;
  span: Span;
}

export interface Point {
  id: string | null;
  text: Localized;
  priority: Priority;
  source: string | null;
  /** Where in the source: a locator such as `¶11`. */
  at: string | null;
  audiences: string[] | null;
  /** The ids of the points in the same module that this one stands in for, for its audiences. */
  replaces: string[];
  span: Span;
}

export interface Fact {
  id: string | null;
  value: Localized;
  label: Localized;
  source: string | null;
  /** Where in the source: a locator such as `¶11`. */
  at: string | null;
  audiences: string[] | null;
  chart: Chart | null;
  span: Span;
}

/** A chart of a fact's numbers (docs/content-format.md). */
export interface Chart {
  kind: ChartKind;
  title: Localized | null;
  unit: Localized | null;
  categories: Localized[];
  values: number[];
  max: number | null;
  alt: Localized | null;
  span: Span;
  /** Where `values` is written, for errors about them. */
  valuesSpan: Span;
}

export interface Quote {
  text: Localized;
  by: Localized;
  source: string | null;
  /** Where in the source: a locator such as `¶11`. */
  at: string | null;
  paraphrased: boolean;
  audiences: string[] | null;
  span: Span;
}

export interface Option {
  text: Localized;
  pros: Localized;
  cons: Localized;
  span: Span;
}

export interface Recommendation {
  id: string | null;
  text: Localized;
  short: Localized | null;
  owner: Localized | null;
  timing: Localized | null;
  kind: 'domestic' | 'international' | null;
  question: Localized | null;
  options: Option[];
  priority: Priority;
  source: string | null;
  /** Where in the source: a locator such as `¶11`. */
  at: string | null;
  audiences: string[] | null;
  /** The ids of the recommendations in the same module that this one stands in for, for its audiences. */
  replaces: string[];
  span: Span;
}

export interface Module {
  id: string;
  file: string;
  title: Localized;
  summary: Localized;
  /** The module's claim in one sentence, with the id of the fact that is its evidence. */
  /** `replaces`: the ids of the points it states, left out wherever the judgment is shown. */
  judgment: { text: Localized; evidence: string | null; replaces: string[]; span: Span } | null;
  /** `opening`: read first, as why the subject matters; `closing`: read last, as the synthesis before the ask. */
  place: 'opening' | 'closing' | null;
  /** 0..1 per audience id; an audience missing here counts as 0.5. */
  relevance: Record<string, number>;
  /** Where each audience's relevance is written. */
  relevanceSpans: Record<string, Span>;
  points: Point[];
  facts: Fact[];
  quotes: Quote[];
  recommendations: Recommendation[];
  notes: Localized | null;
  span: Span;
}

export interface ContentPack {
  id: string;
  dir: string;
  file: string;
  languages: string[];
  /** The BCP 47 tag written into the files for a language, where the pack says (`en: en-GB`). */
  locales: Partial<Record<Lang, string>>;
  title: Localized;
  subtitle: Localized | null;
  date: string;
  author: Localized | null;
  /** Whose policy the briefing analyses, such as `Washington`. */
  government: Localized | null;
  bluf: Localized;
  /**
   * An audience's own bottom line and subtitle (by audience id), where the pack gives them. A
   * plain record, not a Map, so it survives the prepared cache's JSON; read with Object.hasOwn.
   */
  perAudience: Record<string, { bluf: Localized | null; subtitle: Localized | null; span: Span }>;
  sources: Source[];
  glossary: GlossaryEntry[];
  modules: Module[];
  span: Span;
  /** Real paths of the files read: pack.yaml and the module files. */
  inputs?: string[];
}
