// The look: colours, fonts per language, sizes and geometry (templates/theme.yaml).
import type { Lang } from './lang.js';

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
  };
  fonts: Partial<Record<Lang, { deck: FontFiles; memo: FontFiles }>>;
  deck: {
    width: number;
    height: number;
    margin: { left: number; right: number };
    fit: { widthReserve: number; spareLines: number };
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

export interface AudienceProfile {
  id: string;
  /** Localized display texts, already picked for the output language when used. */
  label: Record<string, string>;
  description: Record<string, string>;
  memoTo: Record<string, string>;
  file: string;
}
