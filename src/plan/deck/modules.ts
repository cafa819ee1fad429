// What a module offers an audience: its points, its chart, its figure cards and quotes, in the
// order the audience reads the modules.
import { describeChart } from '../../model/chart.js';
import type { LFact, LModule, LocalizedPack, LPoint } from '../../model/localized.js';
import type { PlanChart, PlanFigure, PlanQuote } from '../../model/plan.js';
import type { AudienceProfile, Strings } from '../../model/theme.js';
import { isQuantity } from '../../quantity.js';
import { shortCitation } from '../format.js';
import { relevanceOf, seenBy, visibleTo } from '../select.js';
import { DECK_PLAN_DEFAULTS } from './defaults.js';

export interface ModuleInfo {
  module: LModule;
  index: number;
  relevance: number;
  points: LPoint[];
  /** The first charted fact the audience sees, shown as a chart beside the module's points. */
  chart: PlanChart | null;
  /** The other facts that are quantities, for figure cards. */
  figures: PlanFigure[];
  quotes: PlanQuote[];
  maxParts: number;
}

/** The modules this audience sees (relevant, with points), in its reading order. */
export function moduleInfos(pack: LocalizedPack, audience: AudienceProfile, strings: Strings): ModuleInfo[] {
  return inAudienceOrder(pack.modules, audience.id, audience.deck.moduleOrder)
    .map(({ module, index }) => {
      const facts = visibleTo(module.facts, audience.id);
      // A chart compares: one value is a figure, not a chart.
      const charted = facts.find((f) => f.chart && f.chart.values.length >= 2);
      const sourceOf = (f: LFact) => (f.source ? shortOf(pack, f.source, strings) : null);
      const chart = charted ? planChart(charted, sourceOf(charted), strings) : null;
      // A figure card states a quantity; a year or the count of a list is not one.
      const figures: PlanFigure[] = facts
        .filter((f) => f !== charted && isQuantity(f.value.text))
        .map((f) => ({
          ref: f.ref,
          value: f.value.text,
          label: f.label.text,
          source: f.source,
          sourceShort: sourceOf(f),
          priority: 2,
          span: f.value.span,
        }));
      // Only words as spoken go between quotation marks: a paraphrase (known through a
      // translation or summary) is never set as a quotation.
      const quotes: PlanQuote[] = visibleTo(module.quotes, audience.id)
        .filter((q) => !q.paraphrased)
        .map((q) => ({
          ref: q.ref,
          text: q.text.text,
          by: q.by.text,
          paraphrased: q.paraphrased,
          source: q.source,
          span: q.text.span,
        }));
      const points = seenBy(module.points, audience.id);
      const maxParts = partsFor(points.length);
      return { module, index, relevance: relevanceOf(module, audience.id), points, chart, figures, quotes, maxParts };
    })
    .filter((m) => m.relevance > 0 && m.points.length > 0);
}

/**
 * The pack's modules in the order an audience reads them: the author's, or the most relevant
 * first; either way a module placed `opening` (why it matters) comes first and one placed
 * `closing` (the synthesis) last.
 */
export function inAudienceOrder<T extends { relevance: Record<string, number>; place?: 'opening' | 'closing' | null }>(
  modules: readonly T[],
  audience: string,
  order: 'pack' | 'relevance',
): { module: T; index: number }[] {
  const rank = (m: T) => (m.place === 'opening' ? 0 : m.place === 'closing' ? 2 : 1);
  const byRelevance = (a: T, b: T) => (order === 'pack' ? 0 : relevanceOf(b, audience) - relevanceOf(a, audience));
  return modules
    .map((module, index) => ({ module, index }))
    .sort((a, b) => rank(a.module) - rank(b.module) || byRelevance(a.module, b.module) || a.index - b.index);
}

/** How many slides a module's points can fill: a later part needs three points of its own. */
export function partsFor(points: number): number {
  return Math.max(1, Math.floor(points / Math.max(DECK_PLAN_DEFAULTS.minPointsPerPart, 3)));
}

/**
 * Points in the order they should be chosen for an audience. A point written for this audience
 * counts one priority higher than a general one (a targeted supporting point ranks with, and
 * ahead of, the general essentials); then the author's order.
 */
export function forAudience<T extends { priority: number; audiences: string[] | null }>(
  points: readonly T[],
  audience: string,
): T[] {
  return points
    .map((p, index) => {
      const targeted = p.audiences?.includes(audience) ?? false;
      return { p, index, rank: p.priority - (targeted ? 1 : 0), targeted: targeted ? 0 : 1 };
    })
    .sort((a, b) => a.rank - b.rank || a.targeted - b.targeted || a.index - b.index)
    .map((x) => x.p);
}

/** A fact's chart in the plan's language: its title defaults to the fact's label, its alternative text describes the data. */
export function planChart(fact: LFact, sourceShort: string | null, strings: Strings): PlanChart {
  const c = fact.chart!;
  const pu = strings.punct;
  const title = c.title?.text ?? fact.label.text;
  const unit = c.unit?.text ?? '';
  const categories = c.categories.map((x) => x.text);
  const data = describeChart({ categories, values: c.values, unit }, pu.listSep ?? ', ', pu.labelGap ?? ' ');
  const alt = c.alt?.text ?? `${title}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${data}`;
  return {
    ref: fact.ref,
    kind: c.kind,
    title,
    unit,
    categories,
    values: c.values,
    max: c.max,
    alt,
    source: fact.source,
    sourceShort,
    span: c.span,
  };
}

export function shortOf(pack: LocalizedPack, id: string, strings: Strings): string | null {
  const source = pack.sources.find((x) => x.id === id);
  return source ? shortCitation(source, strings) : null;
}
