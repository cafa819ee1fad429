// plan: LocalizedPack × audience × pages → MemoPlan (sections and points, most important kept).
// Pure. Items are ranked once; the pipeline keeps the longest prefix of the ranking that fills
// exactly the requested pages (the layout stage measures), and reports the rest as dropped.
import type { LocalizedPack } from '../model/localized.js';
import type { Drop, MemoPlan, MemoSection, PlanItem } from '../model/plan.js';
import type { AudienceProfile, Strings } from '../model/theme.js';
import { planSources } from './format.js';
import { pickText, planMeta } from './plan-deck.js';
import { priorityFromRelevance, relevanceOf, visibleTo } from './select.js';

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
  kind: 'point' | 'recommendation' | 'summary';
  module: string;
  essential: boolean;
}

/** Within one priority: the judgments first, then what to do, then the evidence. */
const KIND_ORDER = Object.freeze({ summary: 0, recommendation: 1, point: 2 });

/**
 * Every item, most important first: priority, then kind (judgments, recommendations, points),
 * then the module's relevance for the audience, then the author's order. Judgments of the most
 * relevant modules are essential.
 */
export function rankMemoItems(pack: LocalizedPack, audience: string): RankedItem[] {
  const rows: { item: RankedItem; priority: number; relevance: number; order: number }[] = [];
  let order = 0;
  for (const m of pack.modules) {
    const relevance = relevanceOf(m, audience);
    if (relevance <= 0) continue;
    const summaryPriority = priorityFromRelevance(relevance);
    rows.push({ item: { ref: `${m.id}/summary`, kind: 'summary', module: m.id, essential: summaryPriority === 1 }, priority: summaryPriority, relevance, order: order++ });
    for (const p of visibleTo(m.points, audience)) rows.push({ item: { ref: p.ref, kind: 'point', module: m.id, essential: false }, priority: p.priority, relevance, order: order++ });
    for (const r of visibleTo(m.recommendations, audience)) rows.push({ item: { ref: r.ref, kind: 'recommendation', module: m.id, essential: false }, priority: r.priority, relevance, order: order++ });
  }
  return rows
    .sort((a, b) => a.priority - b.priority || KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || b.relevance - a.relevance || a.order - b.order)
    .map((r) => r.item);
}

export function planMemo(input: PlanMemoInput, keep: ReadonlySet<string>): MemoPlan {
  const { pack, audience, strings } = input;
  const meta = planMeta(pack, audience, strings, input.date, input.marking);
  const drops: Drop[] = [];
  const sections: MemoSection[] = [];
  const judgments: PlanItem[] = [];
  const recommendations: PlanItem[] = [];
  const used = new Set<string>();
  for (const m of pack.modules) {
    const relevance = relevanceOf(m, audience.id);
    if (relevance <= 0) continue;
    const items: PlanItem[] = [];
    for (const p of visibleTo(m.points, audience.id)) {
      if (keep.has(p.ref)) {
        items.push({ ref: p.ref, text: p.text.text, label: null, priority: p.priority, source: p.source, span: p.text.span });
        if (p.source) used.add(p.source);
      } else drops.push({ ref: p.ref, kind: 'point', text: p.text.text, priority: p.priority, reason: 'no-room', slide: null, span: p.text.span });
    }
    for (const r of visibleTo(m.recommendations, audience.id)) {
      if (keep.has(r.ref)) {
        recommendations.push({ ref: r.ref, text: r.text.text, label: null, priority: r.priority, source: r.source, span: r.text.span });
        if (r.source) used.add(r.source);
      } else drops.push({ ref: r.ref, kind: 'recommendation', text: r.text.text, priority: r.priority, reason: 'no-room', slide: null, span: r.text.span });
    }
    const summaryRef = `${m.id}/summary`;
    const summaryPriority = priorityFromRelevance(relevance);
    if (keep.has(summaryRef)) {
      judgments.push({ ref: summaryRef, text: m.summary.text, label: m.title.text, priority: summaryPriority, source: null, span: m.summary.span });
    } else {
      drops.push({ ref: summaryRef, kind: 'summary', text: m.summary.text, priority: summaryPriority, reason: 'no-room', slide: null, span: m.summary.span });
    }
    if (items.length > 0) {
      sections.push({ module: m.id, number: sections.length + 1, title: m.title.text, summary: m.summary.text, items });
    }
  }
  // Recommendations in order of priority, then as the modules list them.
  recommendations.sort((a, b) => a.priority - b.priority);
  const sources = planSources(pack.sources, used.size > 0 ? used : new Set(pack.sources.map((s) => s.id)), strings);
  return {
    type: 'memo',
    meta,
    pages: input.pages,
    header: {
      to: pickText(audience.memoTo, pack.lang) ?? meta.audienceLabel,
      from: meta.author ?? '',
      subject: meta.subtitle ? `${meta.title}${strings.punct.subtitleSep ?? ': '}${meta.subtitle}` : meta.title,
    },
    judgments,
    sections,
    recommendations,
    sources,
    drops,
  };
}
