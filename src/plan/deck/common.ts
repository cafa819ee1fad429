// What every slide of the deck planner is made of: an empty slide, items, drops, notes text.
import type { Drop, PlanItem, SlideLayout, SlidePlan } from '../../model/plan.js';
import type { Strings } from '../../model/theme.js';
import { splitSentences } from '../sentences.js';

/** A slide before it is numbered. */
export type Slide = Omit<SlidePlan, 'number'>;

export function blank(layout: SlideLayout, title: string): Slide {
  return {
    layout,
    module: null,
    kicker: null,
    // A title is a headline: no closing full stop (an abbreviation's stop, as in `U.S.`, stays).
    title: title.replace(/(?<![A-Z])\.$|。$/u, ''),
    lead: null,
    items: [],
    columns: [],
    figures: [],
    chart: null,
    quote: null,
    closing: null,
    closingHeading: null,
    notes: null,
    sources: [],
    sourceLine: null,
    listStart: 1,
  };
}

/** A glossary term as an item: the term as its label, its definition as the text. */
export function termItem(g: { term: string; definition: { text: string; span: PlanItem['span'] } | null }): PlanItem {
  return {
    ref: `glossary/${g.term}`,
    text: g.definition!.text,
    label: g.term,
    priority: 2,
    source: null,
    span: g.definition!.span,
  };
}

export function metaItem(ref: string, text: string, span: PlanItem['span'], label: string | null = null): PlanItem {
  return { ref, text, label, priority: 1, source: null, span };
}

export function dropOf(
  ref: string,
  kind: Drop['kind'],
  text: string,
  priority: Drop['priority'],
  span: Drop['span'],
  reason: Drop['reason'] = 'no-room',
  slide: number | null = null,
): Drop {
  return { ref, kind, text, priority, reason, slide, span };
}

/** The language's punctuation for run-in labels and asides: `label: text`, `text (aside)`. */
export function punctuation(strings: Strings) {
  const pu = strings.punct;
  return {
    labelled: (label: string, text: string) => `${label}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${text}`,
    paren: (text: string) => `${pu.parenOpen ?? ' ('}${text}${pu.parenClose ?? ')'}`,
    /** Joins sentences with the language's separator, skipping empty ones, ending each. */
    sentences: (parts: readonly (string | null)[]) => sentences(parts, pu.sentenceSep ?? '. '),
  };
}

function sentences(parts: readonly (string | null)[], sep: string): string {
  const end = sep.trim();
  return parts
    .filter((p): p is string => Boolean(p))
    .map((p) => (/[.!?。！？][”’」』)）"']*$/.test(p) ? p : `${p}${end}`))
    .join(sep === '. ' ? ' ' : '');
}

/** A text's sentences: split once per text, however many slides share it out. */
const split = new Map<string, string[]>();
export function sentencesOf(text: string): string[] {
  let s = split.get(text);
  if (!s) {
    if (split.size > 1000) split.clear();
    s = splitSentences(text);
    split.set(text, s);
  }
  return s;
}

/** Splits a list into `parts` contiguous groups of nearly equal size, in order. */
export function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let k = 0; k < parts; k++) {
    const size = Math.ceil((items.length - start) / (parts - k));
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

export function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
