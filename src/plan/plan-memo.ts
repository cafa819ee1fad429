// plan: LocalizedPack × audience × pages → MemoPlan (sections and points, most important kept).
// Pure. Items are ranked once; the pipeline keeps the longest prefix of the ranking that fills
// exactly the requested pages (the layout stage measures), and reports the rest as dropped.
import { audienceView } from '../localize/localize-pack.js';
import type { LFact, LModule, LocalizedPack, LPoint } from '../model/localized.js';
import type { Drop, MemoPlan, MemoSection, PlanChart, PlanItem } from '../model/plan.js';
import type { AudienceProfile, Strings } from '../model/theme.js';
import { askRank, rankAsks } from './deck/asks.js';
import { dropOf, termItem } from './deck/common.js';
import { statedBy } from './deck/judgments.js';
import { planSources } from './format.js';
import {
  asksFor,
  askText,
  forAudience,
  inAudienceOrder,
  keyJudgments,
  pickText,
  planChart,
  planMeta,
  shortOf,
} from './plan-deck.js';
import { relevanceOf, seenBy, visibleTo } from './select.js';

export interface PlanMemoInput {
  pack: LocalizedPack;
  audience: AudienceProfile;
  pages: number;
  strings: Strings;
  marking: string | null;
  date: string;
}

/** An item the memo may carry; essentials are never dropped. */
export interface RankedItem {
  ref: string;
  kind: 'point' | 'recommendation' | 'summary' | 'chart' | 'term';
  module: string;
  essential: boolean;
}

/** Within one priority: the judgments first, then what to do, then the evidence (a chart before the points it sums up). */
const KIND_ORDER = Object.freeze({ summary: 0, recommendation: 1, chart: 2, point: 3, term: 4 });

/**
 * Every item, most important first: priority, then kind (judgments, recommendations, points),
 * then the module's relevance for the audience, then the author's order. Judgments of the most
 * relevant modules are essential.
 */
export function rankMemoItems(pack: LocalizedPack, profile: AudienceProfile): RankedItem[] {
  const audience = profile.id;
  // `tier` puts the memo's core first: the essential judgments, the asks, the other judgments;
  // the discussion (tier 3) follows in order of priority.
  const rows: {
    item: RankedItem;
    tier?: number;
    priority: number;
    rank?: number;
    relevance: number;
    order: number;
  }[] = [];
  let order = 0;
  const judgments = judgmentCandidates(pack, profile);
  // The deck's closing asks, ranked by the deck's own rule.
  const modules = inAudienceOrder(pack.modules, audience, profile.memo.moduleOrder)
    .map(({ module, index }) => ({ module, index, relevance: relevanceOf(module, audience) }))
    .filter((m) => m.relevance > 0);
  const closing = new Set(
    rankAsks(modules, profile)
      .slice(0, profile.memo.recommendations)
      .map((r) => r.ref),
  );
  // A point a judgment states is not ranked: the judgment, ranked above it, says it.
  const asJudgment = new Set([...judgments.map((j) => j.ref), ...statedBy(judgments, pack.modules)]);
  for (const { module: m } of inAudienceOrder(pack.modules, audience, profile.memo.moduleOrder)) {
    const relevance = relevanceOf(m, audience);
    if (relevance <= 0) continue;
    // The key judgments were chosen for this audience already: they come first, and the
    // essential ones are never dropped.
    for (const j of judgments.filter((x) => x.module === m.id)) {
      rows.push({
        item: { ref: j.ref, kind: 'summary', module: m.id, essential: j.priority === 1 },
        tier: j.priority === 1 ? 0 : 2,
        priority: j.priority,
        relevance,
        order: order++,
      });
    }
    // Points written for this audience count one priority higher (see forAudience).
    for (const p of forAudience(seenBy(m.points, audience), audience)) {
      if (asJudgment.has(p.ref)) continue;
      const targeted = p.audiences?.includes(audience) ?? false;
      rows.push({
        item: { ref: p.ref, kind: 'point', module: m.id, essential: false },
        priority: Math.max(1, p.priority - (targeted ? 1 : 0)),
        relevance,
        order: order++,
      });
    }
    for (const r of asksFor(m.recommendations, profile)) {
      // The memo asks what the deck's closing slide asks, at any length: five decisions at most,
      // ranked with the key judgments. A longer memo spends its room on the discussion.
      if (!closing.has(r.ref)) continue;
      const rank = askRank(r, relevance, audience);
      rows.push({
        item: { ref: r.ref, kind: 'recommendation', module: m.id, essential: false },
        tier: 1,
        priority: 1,
        rank,
        relevance,
        order: order++,
      });
    }
    // A chart supports the module's points: one per module, after the points of its priority.
    const charted = memoChartFact(m, profile);
    if (charted)
      rows.push({
        item: { ref: charted.ref, kind: 'chart', module: m.id, essential: false },
        priority: profile.memo.charts === 'first' ? 1 : 2,
        relevance,
        order: order++,
      });
  }
  if (profile.memo.glossary) {
    for (const g of pack.glossary)
      if (g.definition)
        rows.push({
          item: { ref: `glossary/${g.term}`, kind: 'term', module: '', essential: false },
          priority: 2,
          relevance: 0.5,
          order: order++,
        });
  }
  return rows
    .sort(
      (a, b) =>
        (a.tier ?? 3) - (b.tier ?? 3) ||
        a.priority - b.priority ||
        KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] ||
        (a.rank ?? 0) - (b.rank ?? 0) ||
        b.relevance - a.relevance ||
        a.order - b.order,
    )
    .map((r) => r.item);
}

/** The fact a module's memo section may chart: its first fact with a chart that the audience sees, unless the profile wants none. */
function memoChartFact(m: LModule, profile: AudienceProfile): LFact | null {
  if (profile.memo.charts === 'none') return null;
  // A chart compares: a single value is a figure, not a chart.
  return visibleTo(m.facts, profile.id).find((f) => f.chart && f.chart.values.length >= 2) ?? null;
}

interface JudgmentCandidate extends PlanItem {
  module: string;
}

/**
 * What the memo may state as key judgments: the points the pack writes for this audience when
 * there are at least two, else the takeaways of the most relevant modules (as for decks).
 */
function judgmentCandidates(pack: LocalizedPack, profile: AudienceProfile): JudgmentCandidate[] {
  const infos = pack.modules
    .map((module) => ({
      module,
      relevance: relevanceOf(module, profile.id),
      points: seenBy(module.points, profile.id),
    }))
    .filter((m) => m.relevance > 0);
  return keyJudgments(infos, profile.id, profile.memo.judgments, audienceView(pack, profile.id).bluf.text).map((j) => ({
    ...j,
    module: j.ref.split('/')[0]!,
  }));
}

export function planMemo(input: PlanMemoInput, keep: ReadonlySet<string>): MemoPlan {
  const { pack, audience, strings } = input;
  const meta = planMeta(pack, audience, strings, input.date, input.marking);
  const drops: Drop[] = [];
  const candidates = judgmentCandidates(pack, audience);
  const asJudgment = new Set(candidates.map((j) => j.ref));
  // Points a kept judgment states are said there; those of a judgment left out are dropped with it.
  const stated = statedBy(
    candidates.filter((j) => keep.has(j.ref)),
    pack.modules,
  );
  const sections: MemoSection[] = [];
  const judgments: PlanItem[] = [];
  const recommendations: (PlanItem & { relevance: number })[] = [];
  const askRanks = new Map<string, number>();
  const used = new Set<string>();
  for (const { module: m } of inAudienceOrder(pack.modules, audience.id, audience.memo.moduleOrder)) {
    const relevance = relevanceOf(m, audience.id);
    if (relevance <= 0) continue;
    for (const j of candidates.filter((x) => x.module === m.id)) {
      if (keep.has(j.ref)) {
        judgments.push({
          ref: j.ref,
          text: j.text,
          label: j.label,
          priority: j.priority,
          source: j.source,
          span: j.span,
        });
        if (j.source) used.add(j.source);
      } else
        drops.push({
          ref: j.ref,
          kind: /\/(?:summary|judgment)$/.test(j.ref) ? 'summary' : 'point',
          text: j.text,
          priority: j.priority,
          reason: 'no-room',
          slide: null,
          span: j.span,
        });
    }
    let items: PlanItem[] = [];
    const dropPoint = (p: LPoint) => drops.push(dropOf(p.ref, 'point', p.text.text, p.priority, p.text.span));
    const points = seenBy(m.points, audience.id).filter((p) => !asJudgment.has(p.ref) && !stated.has(p.ref));
    for (const p of points) {
      if (keep.has(p.ref))
        items.push({
          ref: p.ref,
          text: p.text.text,
          label: null,
          priority: p.priority,
          source: p.source,
          span: p.text.span,
        });
      else dropPoint(p);
    }
    // A section of one bullet is a stub under its heading: it needs a second point, or a chart.
    const charted = memoChartFact(m, audience);
    if (items.length === 1 && !(charted && keep.has(charted.ref))) {
      dropPoint(points.find((p) => p.ref === items[0]!.ref)!);
      items = [];
    }
    for (const x of items) if (x.source) used.add(x.source);
    for (const r of asksFor(m.recommendations, audience)) {
      if (keep.has(r.ref)) {
        // A one-page memo states each ask as the deck's closing slide does, short, with its owner.
        askRanks.set(r.ref, askRank(r, relevance, audience.id));
        recommendations.push({
          ref: r.ref,
          text: askText(r, input.pages === 1, strings.punct),
          label: null,
          priority: r.priority,
          source: r.source,
          span: r.text.span,
          relevance,
        });
        if (r.source) used.add(r.source);
      } else
        drops.push({
          ref: r.ref,
          kind: 'recommendation',
          text: r.text.text,
          priority: r.priority,
          reason: 'no-room',
          slide: null,
          span: r.text.span,
        });
    }
    let chart: PlanChart | null = null;
    // A chart illustrates its module's points: never a section of its own.
    if (charted && keep.has(charted.ref) && items.length > 0) {
      chart = planChart(charted, charted.source ? shortOf(pack, charted.source, strings) : null, strings);
      if (charted.source) used.add(charted.source);
    } else if (charted)
      drops.push({
        ref: charted.ref,
        kind: 'fact',
        text: charted.chart!.title?.text ?? charted.label.text,
        priority: 2,
        reason: 'no-room',
        slide: null,
        span: charted.chart!.span,
      });
    if (items.length > 0) {
      sections.push({
        module: m.id,
        number: sections.length + 1,
        title: m.title.text,
        summary: m.summary.text,
        items,
        chart,
      });
    }
  }
  // Recommendations in order of priority, then of their module's relevance for the audience.
  recommendations.sort((a, b) => (askRanks.get(a.ref) ?? 0) - (askRanks.get(b.ref) ?? 0));
  const terms: PlanItem[] = pack.glossary.filter((g) => g.definition && keep.has(`glossary/${g.term}`)).map(termItem);
  const sources = planSources(pack.sources, used.size > 0 ? used : new Set(pack.sources.map((s) => s.id)), strings);
  // Every item carries the number of its source in the list at the end, for its note mark; when
  // every item cites one source (the list may add the source it was read in), no item needs one.
  const numberOf = new Map(used.size > 1 ? sources.map((s) => [s.id, s.number]) : []);
  const noted = <T extends PlanItem>(x: T): T => ({ ...x, note: x.source ? (numberOf.get(x.source) ?? null) : null });
  for (const s of sections) {
    s.items = s.items.map(noted);
    if (s.chart) s.chart = { ...s.chart, note: s.chart.source ? (numberOf.get(s.chart.source) ?? null) : null };
  }
  return {
    type: 'memo',
    meta,
    pages: input.pages,
    header: {
      to: pickText(audience.memo.to, pack.lang) ?? meta.audienceLabel,
      from: meta.author ?? '',
      // The title heads the page already: the subject line says what this memo is about.
      subject: meta.subtitle ?? meta.title,
    },
    judgments: judgments.map(noted),
    sections,
    recommendations: recommendations.map(({ relevance: _, ...r }) => noted(r)),
    terms: terms.map(noted),
    footer: pickText(audience.memo.footer ?? {}, pack.lang),
    sources,
    drops,
  };
}
