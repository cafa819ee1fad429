// The look: colours, fonts per language, sizes and geometry (templates/theme.yaml).

import type { Lang } from './lang.js';
import type { Reference } from './reference.js';

export interface FontFiles {
  face: string;
  regular: string;
  bold: string;
  italic: string;
  boldItalic: string;
  /** The East Asian face: written into the PPTX `ea` slot, measured and embedded from `ea` files. */
  eaFace?: string;
  ea?: { regular: string; bold: string };
  /** Chinese output: CJK and ambiguous punctuation (“”—…) take the East Asian face first. */
  preferEa?: boolean;
}

export interface RoleStyle {
  max: number;
  min: number;
  lineHeight: number;
  bold?: boolean;
  italic?: boolean;
  caps?: boolean;
  letterSpacing?: number;
  /** Space after each paragraph, as a share of the font size. */
  paragraphSpace?: number;
  /** Set in the theme's heading fonts (`deckHeadings`), when it has them. */
  heading?: boolean;
  /**
   * The steps of the theme's type scale this role may use (`steps: body` names `deck.scale.body`):
   * the fitter picks only these sizes, largest first. Resolved at load to the steps between `min`
   * and `max`, largest first; without it, any half-point size between them.
   */
  steps?: string | number[];
}

export interface Theme {
  /** The folder the theme's relative font paths are resolved against. */
  dir: string;
  colors: {
    primary: string;
    accent: string;
    ink: string;
    muted: string;
    rule: string;
    panel: string;
    inverse: string;
    inverseMuted: string;
    /** Marking banners (classification, handling). */
    marking: string;
    /** Chart colours, in order: a pie's parts, or the series; made from the palette when absent. */
    chart?: string[];
  };
  /** Per language: body fonts, and optionally other fonts for headings (titles, kickers, figures). */
  fonts: Partial<
    Record<Lang, { deck: FontFiles; memo: FontFiles; deckHeadings?: FontFiles; memoHeadings?: FontFiles }>
  >;
  /** An image on the cover slide and the memo's first page (PNG or JPEG, relative to the theme's folder). */
  logo?: { file: string; width: number };
  /** A line shown on every content slide (top right) and in the memo footer, per language. */
  footerText?: Partial<Record<Lang | '*', string>>;
  /**
   * The organisation's PowerPoint template (.potx or .pptx, relative to the theme's folder): the
   * deck carries its masters, layouts and theme, and our boxes keep to its placeholders and clear
   * of its pictures. The loader resolves the path and reads the layouts (`referenceLayout`).
   */
  reference?: string;
  referenceLayout?: Reference;
  deck: {
    width: number;
    height: number;
    margin: { left: number; right: number };
    fit: { widthReserve: number; spareLines: number };
    /** Named lists of sizes (a type scale): `body: [22, 18, 15]`. Roles draw their `steps` from it. */
    scale?: Record<string, number[]>;
    roles: Record<string, RoleStyle>;
    bullet: { char: string; indent: number };
    lineHeightScale?: Partial<Record<Lang, number>>;
  };
  memo: {
    page: Partial<Record<Lang, 'letter' | 'a4'>>;
    margin: { top: number; bottom: number; left: number; right: number };
    bodySizes: number[];
    lineHeight: number;
    lineHeightScale?: Partial<Record<Lang, number>>;
    /** Justify paragraphs by character spacing (Chinese). */
    justify?: Partial<Record<Lang, boolean>>;
    maxJustifySpacing?: number;
    minLastPageFill: number;
  };
}

/** Words the reader sees that are not content (templates/strings/<lang>.yaml). */
export interface Strings {
  lang: string;
  dateFormat: 'long' | 'iso';
  /** Locale for dates, e.g. `en-GB` for 20 October 2025. */
  dateLocale?: string;
  deck: Record<string, string>;
  memo: Record<string, string>;
  /** Punctuation that differs by language: `colon` after labels, `listSep` between list items. */
  punct: Record<string, string>;
  citation: Record<string, string>;
}

/** The parts of a deck after its title slide, in the order an audience profile lists them. */
export const DECK_SECTIONS = ['summary', 'agenda', 'modules', 'recommendations', 'glossary', 'sources'] as const;
export type DeckSection = (typeof DECK_SECTIONS)[number];

/**
 * Who is in the room (templates/audiences/<id>.yaml): how a briefing is shaped for them. It
 * names no module of any pack: selection comes from the pack's relevance and priorities.
 */
export interface AudienceProfile {
  id: string;
  /** The audiences it extends, nearest first: the pack's relevance and items for them are its own too. */
  ancestors: string[];
  /** Localized texts (a map from language tag, or `*` for every language). */
  label: Record<string, string>;
  description: Record<string, string>;
  /** A banner shown at the top and bottom of every slide and page unless `--marking` says otherwise. */
  marking: Record<string, string> | null;
  /**
   * The kinds of recommendation this audience is asked about (`international` for partner
   * governments: what to do together); null for every kind. A recommendation with no kind counts
   * for every audience.
   */
  recommendationKinds: ('domestic' | 'international')[] | null;
  deck: {
    sections: DeckSection[];
    /** Modules in the pack's order, or the most relevant first. */
    moduleOrder: 'pack' | 'relevance';
    /** At most this many key judgments on the bottom-line slide. */
    judgments: number;
    /** What the panel beside a module's points shows: its figures, or what to do about it. */
    sidePanel: 'figures' | 'recommendations';
    /** Value of optional slides, relative to a module's main slide (100 × relevance). */
    /** `options`: a slide setting out the options of an ask that has them (0: never). */
    weights: { parts: number; figures: number; quotes: number; recommendations: number; options: number };
  };
  memo: {
    to: Record<string, string>;
    /** A line in every page footer, e.g. PRE-DECISIONAL. */
    footer: Record<string, string> | null;
    judgments: number;
    moduleOrder: 'pack' | 'relevance';
    /** Explain the glossary terms the memo uses. */
    glossary: boolean;
    /**
     * Where charts rank: with the most important points (`first`, for readers who want the
     * numbers up front), with the supporting ones (`supporting`), or not at all (`none`).
     */
    charts: 'first' | 'supporting' | 'none';
    /**
     * The most asks the memo carries (the deck's closing asks, best first), ranked with the key
     * judgments; 0 for a memo that only informs. Default 5.
     */
    recommendations: number;
  };
  file: string;
}
