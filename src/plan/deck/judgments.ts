// Key judgments: what the bottom-line slide and the memo state for each module, with the figures
// they rest on.
import type { LModule, LocalizedPack, LPoint } from '../../model/localized.js';
import type { PlanItem } from '../../model/plan.js';
import type { Strings } from '../../model/theme.js';
import { figuresIn } from '../../quantity.js';
import { priorityFromRelevance } from '../select.js';
import { shortOf } from './modules.js';

/**
 * An audience's key judgments: the points the pack writes for it (most important and most
 * relevant first) when there are at least three, else the judgments of its most relevant
 * modules; either way in the audience's module order. A point that restates a figure of the
 * bottom line, which sits above the judgments, gives way to one that does not.
 */
export function keyJudgments(
  infos: readonly { module: LModule; relevance: number; points: LPoint[] }[],
  audience: string,
  limit: number,
  bottomLine = '',
): PlanItem[] {
  const said = figuresIn(bottomLine);
  const repeats = (text: string) => [...figuresIn(text)].some((f) => said.has(f));
  const ranked = infos
    .flatMap((m, order) =>
      m.points
        .filter((p) => p.audiences?.includes(audience))
        .map((p) => ({ m, p, order, again: repeats(p.text.text) ? 1 : 0 })),
    )
    .sort(
      (a, b) => a.again - b.again || a.p.priority - b.p.priority || b.m.relevance - a.m.relevance || a.order - b.order,
    );
  // One judgment per module before a second from any, so that labels do not repeat.
  const firsts = ranked.filter((x, i) => ranked.findIndex((y) => y.m === x.m) === i);
  const targeted = [...firsts, ...ranked.filter((x) => !firsts.includes(x))]
    .slice(0, limit)
    .sort((a, b) => a.order - b.order || a.m.points.indexOf(a.p) - b.m.points.indexOf(b.p));
  if (targeted.length >= Math.min(3, limit)) {
    return targeted.map(({ m, p }) => ({
      ref: p.ref,
      text: p.text.text,
      label: m.module.title.text,
      priority: p.priority,
      source: p.source,
      span: p.text.span,
    }));
  }
  // The three most relevant are essential; a fourth and later judgment may give way when the
  // slide or page is full.
  const rank = new Map(
    [...infos]
      .sort((a, b) => b.relevance - a.relevance)
      .slice(0, limit)
      .map((m, i) => [m.module.id, i]),
  );
  return infos
    .filter((m) => rank.has(m.module.id))
    .map((m) => {
      const p = priorityFromRelevance(m.relevance);
      return judgmentOf(m.module, rank.get(m.module.id)! < 3 ? p : (Math.max(2, p) as PlanItem['priority']));
    });
}

/**
 * A module's key judgment: its `judgment` (the claim with its figure, sourced to its evidence)
 * where the pack writes one, else its takeaway.
 */
export function judgmentOf(m: LModule, priority: PlanItem['priority']): PlanItem {
  const label = m.title.text;
  // Without a written judgment, the module's first essential point that carries a figure (else
  // its first essential point) states it better than its slide title would; said there, it is not
  // said again on the slide.
  const essential = m.judgment ? [] : m.points.filter((p) => !p.audiences && p.priority === 1);
  const figured = essential.find((p) => figuresIn(p.text.text).size > 0) ?? essential[0];
  if (figured)
    return {
      ref: figured.ref,
      text: figured.text.text,
      label,
      priority,
      source: figured.source,
      span: figured.text.span,
    };
  if (!m.judgment)
    return {
      ref: `${m.id}/summary`,
      text: asSentence(m.summary.text),
      label,
      priority,
      source: mainSource(m),
      span: m.summary.span,
    };
  const evidence = m.judgment.evidence === null ? undefined : m.facts.find((f) => f.id === m.judgment!.evidence);
  return {
    ref: `${m.id}/judgment`,
    text: m.judgment.text.text,
    label,
    priority,
    source: evidence?.source ?? mainSource(m),
    span: m.judgment.text.span,
  };
}

/**
 * The points that shown judgments state (their `replaces`), by ref: a briefing that gives the
 * judgment does not say them again.
 */
export function statedBy(judgments: readonly Pick<PlanItem, 'ref'>[], modules: readonly LModule[]): Set<string> {
  const out = new Set<string>();
  for (const j of judgments) {
    if (!j.ref.endsWith('/judgment')) continue;
    const m = modules.find((x) => `${x.id}/judgment` === j.ref);
    for (const id of m?.judgment?.replaces ?? []) {
      const p = m!.points.find((x) => x.id === id);
      if (p) out.add(p.ref);
    }
  }
  return out;
}

/** A takeaway written as a headline, ended as the sentence a key judgment is. */
function asSentence(text: string): string {
  if (/[.!?。！？…]["”’」』)）]*$/.test(text)) return text;
  return /[\u3400-\u9fff]/.test(text) ? `${text}。` : `${text}.`;
}

/** A module's takeaway sums up its points: it is sourced to what most of them cite. */
export function mainSource(m: LModule): string | null {
  const counts = new Map<string, number>();
  for (const p of m.points) if (p.source) counts.set(p.source, (counts.get(p.source) ?? 0) + 1);
  let best: string | null = null;
  for (const [id, n] of counts) if (best === null || n > counts.get(best)!) best = id;
  return best;
}

/** The evidence behind key judgments, for the speaker: each cited fact's value and label, and its source. */
export function evidenceNotes(judgments: readonly PlanItem[], pack: LocalizedPack, strings: Strings): string | null {
  const pu = strings.punct;
  const lines = judgments.flatMap((j) => {
    const m = j.ref.endsWith('/judgment') ? pack.modules.find((x) => `${x.id}/judgment` === j.ref) : undefined;
    const fact = m?.judgment?.evidence ? m.facts.find((f) => f.id === m.judgment!.evidence) : undefined;
    if (!fact) return [];
    const short = fact.source ? shortOf(pack, fact.source, strings) : null;
    const cited = short ? `${pu.parenOpen ?? ' ('}${short}${pu.parenClose ?? ')'}` : '';
    return [`${fact.value.text}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${fact.label.text}${cited}`];
  });
  return lines.length > 0 ? lines.join('\n\n') : null;
}
