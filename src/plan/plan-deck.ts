// plan: LocalizedPack × audience × N → DeckPlan of exactly N slides.
// Pure. Chooses which slides exist (by value for the audience), which points each carries, and
// what was left out. The layout stage later proves that each slide fits and may drop more.
// Each kind of slide and each selection rule lives in ./deck/; this file reads like the running
// order: cover, bottom line, (agenda), why it matters, the findings, the synthesis, the ask,
// (terms), (sources).

import { audienceView } from '../localize/localize-pack.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { error } from '../model/diagnostic.js';
import type { LocalizedPack } from '../model/localized.js';
import type { DeckPlan, Drop, PlanMeta, SlidePlan } from '../model/plan.js';
import type { AudienceProfile, Strings } from '../model/theme.js';
import { askSlides, optionsSlide, rankAsks } from './deck/asks.js';
import { dropOf, type Slide } from './deck/common.js';
import { DECK_PLAN_DEFAULTS } from './deck/defaults.js';
import {
  agendaSlide,
  glossarySlide,
  sourcesSlide,
  summarySlide,
  titleSlide,
  withAgendaCount,
} from './deck/frame-slides.js';
import { keyJudgments, statedBy } from './deck/judgments.js';
import { moduleSlides } from './deck/module-slides.js';
import { type ModuleInfo, moduleInfos, partsFor } from './deck/modules.js';
import { selectSlides } from './deck/selection.js';
import { formatDate, planSources, sourceLine } from './format.js';

export { asksFor, askText } from './deck/asks.js';
export { splitEvenly } from './deck/common.js';
export { DECK_PLAN_DEFAULTS } from './deck/defaults.js';
export { dropFromSlide } from './deck/drop.js';
export { judgmentOf, keyJudgments, mainSource } from './deck/judgments.js';
export { forAudience, inAudienceOrder, planChart, shortOf } from './deck/modules.js';

export interface PlanDeckInput {
  pack: LocalizedPack;
  audience: AudienceProfile;
  slides: number;
  strings: Strings;
  marking: string | null;
  /** The document date (ISO); the pack's date unless overridden. */
  date: string;
}

export function planMeta(
  pack: LocalizedPack,
  audience: AudienceProfile,
  strings: Strings,
  date: string,
  marking: string | null,
): PlanMeta {
  const view = audienceView(pack, audience.id);
  return {
    packId: pack.id,
    lang: pack.lang,
    langTag: pack.langTag,
    audience: audience.id,
    audienceLabel: pickText(audience.label, pack.lang) ?? audience.id,
    title: pack.title.text,
    subtitle: view.subtitle?.text ?? null,
    author: pack.author?.text ?? null,
    date,
    dateText: formatDate(date, strings),
    bluf: view.bluf.text,
    marking,
  };
}

export function pickText(map: Record<string, string>, lang: string): string | null {
  return map[lang] ?? map['*'] ?? map.en ?? Object.values(map)[0] ?? null;
}

export function planDeck(input: PlanDeckInput): { plan: DeckPlan | null; diagnostics: Diagnostic[] } {
  const { pack, audience, strings } = input;
  const n = input.slides;
  const d = DECK_PLAN_DEFAULTS;
  if (!Number.isInteger(n) || n < d.minSlides) {
    const message = `a deck needs at least ${d.minSlides} slides (title, bottom line, recommendations); asked for ${n}`;
    return {
      plan: null,
      diagnostics: [error('too-few-slides', message, undefined, `ask for \`--slides ${d.minSlides}\` or more`)],
    };
  }
  const meta = planMeta(pack, audience, strings, input.date, input.marking);
  // The bottom line and the key judgments: what matters most to this audience, said once. A
  // point stated on the summary slide does not count towards its module's slides.
  const base = moduleInfos(pack, audience, strings);
  const judgments = keyJudgments(base, audience.id, audience.deck.judgments, meta.bluf);
  const onSummary = new Set([...judgments.map((j) => j.ref), ...statedBy(judgments, pack.modules)]);
  const infos = base.map((m) => ({
    ...m,
    maxParts: partsFor(m.points.filter((p) => !onSummary.has(p.ref)).length),
  }));
  const asks = rankAsks(infos, audience);
  const defined = pack.glossary.filter((g) => g.definition).length;
  const { selection, diagnostics } = selectSlides(n, infos, asks, defined, pack, audience);
  if (!selection) return { plan: null, diagnostics };
  const drops: Drop[] = [];

  const summary = summarySlide(meta, judgments, pack, strings);

  // The modules, in the audience's order: why it matters first, the synthesis last.
  const closing = asks.slice(0, d.recommendationsPerSlide);
  const shown: ModuleInfo[] = [];
  const leftOut: ModuleInfo[] = [];
  const modules: Slide[] = infos.flatMap((m, i) => {
    const parts = selection.partsOf(i);
    if (parts === 0) {
      leftOut.push(m);
      for (const p of m.points) drops.push(dropOf(p.ref, 'point', p.text.text, p.priority, p.text.span));
      return [];
    }
    shown.push(m);
    const figuresSlide = selection.has('figures', i);
    const quoteSlide = selection.has('quote', i);
    return moduleSlides({ m, parts, figuresSlide, quoteSlide, audience, strings, onSummary, closing, drops });
  });

  // The ask: the options of an ask that has them, the closing slide, and its backup slides.
  const options = selection.chosen.flatMap((c) =>
    c.kind === 'options' ? [optionsSlide(asks[c.ask]!, pack, strings)] : [],
  );
  const ask = askSlides(asks, selection.askSlides, pack, strings, drops);

  const frame = selection.frame;
  const agenda = frame.agenda ? agendaSlide(shown, leftOut, ask.length > 0, pack, strings) : null;
  const glossary = frame.glossary ? glossarySlide([...modules, summary, ...ask], pack, strings) : null;
  const citing = [...modules, ...ask, summary];
  const used = new Set<string>(citing.flatMap((x) => x.sources));
  const sources = frame.sources ? sourcesSlide(used, citing, modules, meta, pack, strings) : null;

  // Assembled in the audience's order; the summary comes first when the profile has no place for it.
  const slides: Slide[] = [titleSlide(meta, pack, strings)];
  const sections = audience.deck.sections;
  if (frame.summary && !sections.includes('summary')) slides.push(summary);
  for (const section of sections) {
    if (section === 'summary' && frame.summary) slides.push(summary);
    else if (section === 'agenda' && agenda) slides.push(agenda);
    else if (section === 'modules') slides.push(...modules);
    else if (section === 'recommendations') slides.push(...options, ...ask);
    else if (section === 'glossary' && glossary) slides.push(glossary);
    else if (section === 'sources' && sources) slides.push(sources);
  }
  if (slides.length !== n)
    return { plan: null, diagnostics: [error('internal-plan', `planned ${slides.length} slides instead of ${n}`)] };
  const numbered: SlidePlan[] = withAgendaCount(
    slides.map((slide, i) => ({
      ...slide,
      number: i + 1,
      sourceLine: sourceLine(slide.sources, pack.sources, strings),
    })),
    strings,
  );
  return {
    plan: { type: 'deck', meta, slides: numbered, sources: planSources(pack.sources, used, strings), drops },
    diagnostics: [],
  };
}
