// Recommendations: which the audience is asked about, in which order, the closing ask and its
// backup slides, and the options of an ask set side by side.
import type { LocalizedPack, LRecommendation } from '../../model/localized.js';
import type { Drop, PlanItem } from '../../model/plan.js';
import type { AudienceProfile, Strings } from '../../model/theme.js';
import { fill } from '../format.js';
import { recommendationRank, seenBy } from '../select.js';
import { blank, dropOf, punctuation, type Slide, splitEvenly, unique } from './common.js';
import { DECK_PLAN_DEFAULTS } from './defaults.js';
import type { ModuleInfo } from './modules.js';

/** A recommendation with where it comes from, in the audience's ranking. */
export type Ask = LRecommendation & { moduleIndex: number; relevance: number; order: number };

/** The recommendations an audience is asked about: those it may see, of the kinds it deals with. */
export function asksFor<
  T extends {
    id: string | null;
    audiences: string[] | null;
    replaces: readonly string[];
    kind: 'domestic' | 'international' | null;
  },
>(list: readonly T[], audience: AudienceProfile): T[] {
  const kinds = audience.recommendationKinds;
  return seenBy(list, audience.id).filter((r) => !kinds || r.kind === null || kinds.includes(r.kind));
}

/**
 * How high an ask ranks for an audience (lower first): its priority, one step higher when it is
 * written for them (as with points), lowered as its module matters less to them.
 */
export function askRank(
  r: { priority: number; audiences: string[] | null },
  relevance: number,
  audience: string,
): number {
  return recommendationRank(r.priority - (r.audiences?.includes(audience) ? 1 : 0), relevance);
}

/** Every ask, most important first: priority, then the relevance of its module for this audience. */
export function rankAsks(
  infos: readonly Pick<ModuleInfo, 'module' | 'index' | 'relevance'>[],
  audience: AudienceProfile,
): Ask[] {
  return infos
    .flatMap((m) =>
      asksFor(m.module.recommendations, audience).map((r, k) => ({
        ...r,
        moduleIndex: m.index,
        relevance: m.relevance,
        order: m.index * 100 + k,
      })),
    )
    .sort((a, b) => askRank(a, a.relevance, audience.id) - askRank(b, b.relevance, audience.id) || a.order - b.order);
}

type AskText = {
  text: { text: string };
  short: { text: string } | null;
  owner: { text: string } | null;
  timing: { text: string } | null;
};

/** How a list of asks states one: its short form (when `short` and the pack has one) or its whole text, with its owner and timing where the pack gives them. */
export function askText(r: AskText, short: boolean, pu: Record<string, string>): string {
  const base = short && r.short ? r.short.text : r.text.text;
  const details = askDetail(r, pu);
  if (details === null) return base;
  const stem = base.replace(/[.。]$/, '');
  return `${stem}${pu.parenOpen ?? ' ('}${details}${pu.parenClose ?? ')'}${base === stem ? '' : base.slice(stem.length)}`;
}

/** Who acts on an ask and by when, as the pack gives them (`the White House, immediately`), or null. */
export function askDetail(r: Pick<AskText, 'owner' | 'timing'>, pu: Record<string, string>): string | null {
  const details = [r.owner?.text, r.timing?.text].filter((x): x is string => Boolean(x));
  return details.length === 0 ? null : details.join(pu.detailSep ?? ', ');
}

/**
 * The closing ask, then its backup slides: each ask in its short form where the pack gives one
 * (the notes and the module's panel carry it in full), with its owner and timing, numbered on
 * across the slides. What does not fit the slides is reported in `drops`.
 */
export function askSlides(
  asks: readonly Ask[],
  slides: number,
  pack: LocalizedPack,
  strings: Strings,
  drops: Drop[],
): Slide[] {
  if (slides === 0) return [];
  const d = DECK_PLAN_DEFAULTS;
  const s = strings.deck;
  const { labelled } = punctuation(strings);
  const capacity = slides * d.recommendationsPerSlide;
  const shown = asks.slice(0, capacity);
  for (const r of asks.slice(capacity))
    drops.push(dropOf(r.ref, 'recommendation', r.text.text, r.priority, r.text.span));
  const groups = [
    shown.slice(0, d.recommendationsPerSlide),
    ...splitEvenly(shown.slice(d.recommendationsPerSlide), slides - 1),
  ];
  let listStart = 1;
  return groups.map((group, k) => {
    const items: PlanItem[] = group.map((r) => ({
      ref: r.ref,
      text: askText(r, true, strings.punct),
      head: (r.short ?? r.text).text,
      detail: askDetail(r, strings.punct),
      label: null,
      priority: r.priority,
      source: r.source,
      span: r.text.span,
    }));
    const slide: Slide = {
      ...blank(
        'recommendations',
        k === 0 ? (s.recommendations ?? 'Recommendations') : (s.recommendationsMore ?? 'Recommendations'),
      ),
      listStart,
      lead: k === 0 ? (s.recommendationsLead ?? null) : null,
      items,
      notes: group.map((r) => labelled(pack.modules[r.moduleIndex]!.title.text, r.text.text)).join('\n\n'),
      sources: unique(items.map((x) => x.source)),
    };
    listStart += group.length;
    return slide;
  });
}

/** The options of an ask, one column each: what it is, what speaks for it and against it. */
export function optionsSlide(r: Ask, pack: LocalizedPack, strings: Strings): Slide {
  const s = strings.deck;
  const pu = strings.punct;
  const colon = pu.colon ?? ':';
  const item = (ref: string, text: string, label: string | null): PlanItem => ({
    ref: `${r.ref}/options/${ref}`,
    text,
    label,
    priority: 1,
    source: r.source,
    span: r.text.span,
  });
  const names = (s.optionLabels ?? 'A,B,C,D').split(',');
  const columns = r.options.slice(0, 2).map((o, k) => ({
    heading: fill(s.option ?? 'Option {n}', { n: names[k] ?? String(k + 1) }),
    items: [
      item(`${k + 1}`, o.text.text, null),
      item(`${k + 1}/pros`, o.pros.text, `${s.optionPros ?? 'For'}${colon}`),
      item(`${k + 1}/cons`, o.cons.text, `${s.optionCons ?? 'Against'}${colon}`),
    ],
  }));
  return {
    // The choice, asked neutrally where the pack words it; else the ask the options are about.
    ...blank(
      'options',
      r.question?.text ??
        fill(s.optionsTitle ?? '{ask}', { ask: r.short?.text ?? pack.modules[r.moduleIndex]!.title.text }),
    ),
    kicker: s.options ?? null,
    columns,
    // The full ask, and any options beyond the two a slide shows side by side.
    notes: punctuation(strings).sentences([r.text.text, ...r.options.slice(2).map((o) => o.text.text)]),
    sources: unique([r.source]),
  };
}
