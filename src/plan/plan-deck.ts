// plan: LocalizedPack × audience × N → DeckPlan of exactly N slides.
// Pure. Chooses which slides exist (by value for the audience), which points each carries, and
// what was left out. The layout stage later proves that each slide fits and may drop more.

import { audienceView } from '../localize/localize-pack.js';
import { describeChart } from '../model/chart.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import { LENGTH_LIMITS } from '../model/limits.js';
import type { LFact, LModule, LocalizedPack, LPoint } from '../model/localized.js';
import type { DeckPlan, Drop, PlanChart, PlanFigure, PlanItem, PlanMeta, PlanQuote, SlideLayout, SlidePlan } from '../model/plan.js';
import type { AudienceProfile, DeckSection, Strings } from '../model/theme.js';
import { fill, formatDate, planSources, shortCitation, sourceLine } from './format.js';
import { priorityFromRelevance, recommendationRank, relevanceOf, visibleTo } from './select.js';
import { isQuantity } from '../quantity.js';
import { splitSentences } from './sentences.js';

export const DECK_PLAN_DEFAULTS = Object.freeze({
  minSlides: 3,
  /** Points on a module's only slide, and on each slide when it has several. */
  pointsSingle: 5,
  pointsPerPart: 4,
  pointsTwoColumn: 3,
  /** A slide part is only worth having with at least this many points. */
  minPointsPerPart: 2,
  /** The closing ask: at most this many decisions; the rest go to backup slides after it. */
  recommendationsPerSlide: 5,
  /** Recommendations in the panel beside a module's points. */
  panelRecommendations: 2,
  figuresPerSlide: 3,
  /** Shorter decks cite their sources in each slide's footer and in the notes, without a slide. */
  sourcesFrom: 12,
  /** An agenda earns its slide only in a long deck. */
  agendaFrom: 12,
  glossaryFrom: 7,
  /** A terms slide needs at least this many defined terms, and shows at most `glossaryTerms`. */
  minGlossaryTerms: 3,
  glossaryTerms: 6,
});

export interface PlanDeckInput {
  pack: LocalizedPack;
  audience: AudienceProfile;
  slides: number;
  strings: Strings;
  marking: string | null;
  /** The document date (ISO); the pack's date unless overridden. */
  date: string;
}

interface ModuleInfo {
  module: LModule;
  index: number;
  relevance: number;
  points: LPoint[];
  /** The first charted fact the audience sees, shown as a chart beside the module's points. */
  chart: PlanChart | null;
  /** The other facts. */
  figures: PlanFigure[];
  quotes: PlanQuote[];
  maxParts: number;
}

type Candidate =
  | { kind: 'part'; module: number; part: number; value: number }
  | { kind: 'figures'; module: number; value: number }
  | { kind: 'quote'; module: number; value: number }
  | { kind: 'recommendations'; part: number; value: number }
  | { kind: 'options'; ask: number; value: number };

export function planMeta(pack: LocalizedPack, audience: AudienceProfile, strings: Strings, date: string, marking: string | null): PlanMeta {
  return {
    packId: pack.id,
    lang: pack.lang,
    langTag: pack.langTag,
    audience: audience.id,
    audienceLabel: pickText(audience.label, pack.lang) ?? audience.id,
    title: pack.title.text,
    subtitle: audienceView(pack, audience.id).subtitle?.text ?? null,
    author: pack.author?.text ?? null,
    date,
    dateText: formatDate(date, strings),
    bluf: audienceView(pack, audience.id).bluf.text,
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
  const s = strings.deck;
  const pu = strings.punct;
  const profile = audience.deck;
  const w = profile.weights;
  /** `label: text` with the language's colon. */
  const labelled = (label: string, text: string) => `${label}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${text}`;
  const paren = (text: string) => `${pu.parenOpen ?? ' ('}${text}${pu.parenClose ?? ')'}`;
  const meta = planMeta(pack, audience, strings, input.date, input.marking);
  if (!Number.isInteger(n) || n < d.minSlides) {
    return { plan: null, diagnostics: [error('too-few-slides', `a deck needs at least ${d.minSlides} slides (title, bottom line, recommendations); asked for ${n}`, undefined, `ask for \`--slides ${d.minSlides}\` or more`)] };
  }

  const ordered = inAudienceOrder(pack.modules, audience.id, profile.moduleOrder);
  const infos: ModuleInfo[] = ordered
    .map(({ module, index }) => {
      const relevance = relevanceOf(module, audience.id);
      const points = visibleTo(module.points, audience.id);
      const facts = visibleTo(module.facts, audience.id);
      // A chart compares: one value is a figure, not a chart.
      const charted = facts.find((f) => f.chart && f.chart.values.length >= 2);
      const chart = charted ? planChart(charted, charted.source ? shortOf(pack, charted.source, strings) : null, strings) : null;
      // A figure card states a quantity; a year or the count of a list is not one.
      const figures: PlanFigure[] = facts.filter((f) => f !== charted && isQuantity(f.value.text)).map((f) => ({
        ref: f.ref,
        value: f.value.text,
        label: f.label.text,
        source: f.source,
        sourceShort: f.source ? shortOf(pack, f.source, strings) : null,
        priority: 2,
        span: f.value.span,
      }));
      const quotes: PlanQuote[] = visibleTo(module.quotes, audience.id).map((q) => ({
        ref: q.ref,
        text: q.text.text,
        by: q.by.text,
        paraphrased: q.paraphrased,
        source: q.source,
        span: q.text.span,
      }));
      const maxParts = Math.max(1, Math.floor(points.length / Math.max(d.minPointsPerPart, 3)));
      return { module, index, relevance, points, chart, figures, quotes, maxParts };
    })
    .filter((m) => m.relevance > 0 && m.points.length > 0);

  // Recommendations: priority first, then the relevance of their module for this audience.
  const recommendations = infos
    .flatMap((m) => asksFor(m.module.recommendations, audience).map((r, order) => ({ ...r, moduleIndex: m.index, relevance: m.relevance, order: m.index * 100 + order })))
    .sort((a, b) => recommendationRank(a.priority, a.relevance) - recommendationRank(b.priority, b.relevance) || a.order - b.order);
  const recParts = Math.max(1, Math.ceil(recommendations.length / d.recommendationsPerSlide));
  // The closing ask: the most important decisions. A module's panel may show one of them in full
  // only when the closing slide can list it in its short form, so nothing is said twice.
  const inClosing = new Set(recommendations.slice(0, d.recommendationsPerSlide).map((r) => r.ref));
  const defined = pack.glossary.filter((g) => g.definition);

  // The sections this audience gets at this length; everything else competes for the rest.
  const wants = (section: DeckSection) => profile.sections.includes(section);
  const hasRecommendations = wants('recommendations') && recommendations.length > 0;
  // Slides every deck of length m has; agenda, sources and glossary come in at longer lengths.
  const withSummary = wants('summary') || !wants('modules');
  const fixedFor = (m: number) =>
    1 + (withSummary ? 1 : 0) + (hasRecommendations ? 1 : 0) + (wants('sources') && m >= d.sourcesFrom ? 1 : 0) + (wants('agenda') && m >= d.agendaFrom ? 1 : 0) + (wants('glossary') && defined.length >= d.minGlossaryTerms && m >= d.glossaryFrom ? 1 : 0);
  const withSources = wants('sources') && n >= d.sourcesFrom;
  const withAgenda = wants('agenda') && n >= d.agendaFrom;
  const withGlossary = wants('glossary') && defined.length >= d.minGlossaryTerms && n >= d.glossaryFrom;
  const fixed = fixedFor(n);

  const candidates: Candidate[] = [];
  if (wants('modules')) {
    infos.forEach((m, i) => {
      for (let part = 1; part <= m.maxParts; part++) candidates.push({ kind: 'part', module: i, part, value: m.relevance * (part === 1 ? 100 : w.parts / (part - 1)) });
      // A figures slide needs at least two figures; a single one goes beside the points instead.
      if (m.figures.length >= 2) candidates.push({ kind: 'figures', module: i, value: m.relevance * w.figures });
      if (m.quotes.length > 0) candidates.push({ kind: 'quote', module: i, value: m.relevance * w.quotes });
    });
  }
  if (hasRecommendations) for (let part = 2; part <= recParts; part++) candidates.push({ kind: 'recommendations', part, value: w.recommendations / (part - 1) });
  // Options are a choice: an ask of the closing slide with two or more options, each with its
  // trade-offs, may get a slide that sets them side by side.
  if (hasRecommendations && w.options > 0) {
    recommendations.slice(0, d.recommendationsPerSlide).forEach((r, ask) => {
      if (r.options.length >= 2) candidates.push({ kind: 'options', ask, value: w.options });
    });
  }
  const budget = n - fixed;
  if (budget > candidates.length || budget < 0) {
    // The lengths this pack and audience can fill: every m whose free slides (m - fixedFor(m),
    // which never falls as m grows) are between 0 and the candidates. The same answer whatever
    // length was asked for.
    const fits = (m: number) => m - fixedFor(m) >= 0 && m - fixedFor(m) <= candidates.length;
    let least = d.minSlides;
    while (least < LENGTH_LIMITS.slides.max && !fits(least)) least++;
    let most = least;
    while (most < LENGTH_LIMITS.slides.max && fits(most + 1)) most++;
    return {
      plan: null,
      diagnostics: [
        budget < 0
          ? error('too-few-slides', `the \`${audience.id}\` briefing needs at least ${least} slides; asked for ${n}`, { file: audience.file, line: 1, col: 1 }, `ask for \`--slides ${least}\` or more`)
          : error('too-many-slides', `the pack \`${pack.id}\` has content for at most ${most} slides for the \`${audience.id}\` audience; asked for ${n}`, { ...pack.title.span, line: 1, col: 1 }, `ask for \`--slides ${most}\` or fewer, or add points, figures or quotes to the modules`),
      ],
    };
  }
  // The most valuable first (stable: equal values keep the audience's module order), but never a
  // slide before the one it continues: a later part needs the earlier one, figures and quotes
  // need the module's main slide, whatever weights a profile gives them.
  const pool = candidates
    .map((c, order) => ({ c, order }))
    .sort((a, b) => b.c.value - a.c.value || a.order - b.order)
    .map((x) => x.c);
  const chosen: Candidate[] = [];
  const ready = (c: Candidate) =>
    c.kind === 'options'
      ? true
      : c.kind === 'recommendations'
      ? c.part === 2 || chosen.some((x) => x.kind === 'recommendations' && x.part === c.part - 1)
      : c.kind === 'part' && c.part === 1
        ? true
        : chosen.some((x) => x.kind === 'part' && x.module === c.module && x.part === (c.kind === 'part' ? c.part - 1 : 1));
  while (chosen.length < budget) {
    const next = pool.findIndex(ready);
    if (next < 0) break;
    chosen.push(pool.splice(next, 1)[0]!);
  }
  const partsOf = (i: number) => chosen.filter((c) => c.kind === 'part' && c.module === i).length;
  const has = (kind: 'figures' | 'quote', i: number) => chosen.some((c) => c.kind === kind && c.module === i);
  const recSlides = hasRecommendations ? 1 + chosen.filter((c) => c.kind === 'recommendations').length : 0;

  const drops: Drop[] = [];
  const blank = (layout: SlideLayout, title: string): Omit<SlidePlan, 'number'> => ({
    layout,
    module: null,
    kicker: null,
    title,
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
  });

  const titleSlide: Omit<SlidePlan, 'number'> = {
    ...blank('title', meta.title),
    kicker: fill(s.briefingFor ?? '{audience}', { audience: meta.audienceLabel }),
    lead: meta.subtitle,
    items: [
      metaItem('meta/date', meta.dateText, pack.bluf.span),
      ...(meta.author ? [metaItem('meta/author', fill(s.preparedBy ?? '{author}', { author: meta.author }), pack.author?.span ?? pack.bluf.span)] : []),
    ],
    notes: sentences([meta.subtitle, meta.author ? fill(s.preparedBy ?? '{author}', { author: meta.author }) : null, meta.dateText], pu.sentenceSep ?? '. '),
  };

  // Bottom line and key judgments: the takeaways of the modules that matter most to this
  // audience, in the order the audience reads them; the most relevant are the last to go.
  // When the pack writes points for this audience, those are its key judgments ("what it means
  // for business"); otherwise each module's takeaway.
  const judgments = keyJudgments(infos, audience.id, profile.judgments);
  const onSummary = new Set(judgments.map((j) => j.ref));
  const summarySlide: Omit<SlidePlan, 'number'> = {
    ...blank('summary', s.bottomLine ?? 'Bottom line'),
    kicker: s.keyJudgments ?? null,
    lead: meta.bluf,
    items: judgments,
    // The slide says the judgments; the notes give the figures they rest on, with their sources.
    notes: evidenceNotes(judgments, pack, strings),
    sources: unique(judgments.map((j) => j.source)),
  };

  const moduleSlides: Omit<SlidePlan, 'number'>[] = [];
  const shownModules: ModuleInfo[] = [];
  infos.forEach((m, i) => {
    const parts = partsOf(i);
    if (parts === 0) {
      for (const p of m.points) drops.push(dropOf(p.ref, 'point', p.text.text, p.priority, p.text.span));
      return;
    }
    shownModules.push(m);
    const title = m.module.title.text;
    const figuresSlide = has('figures', i);
    // A panel states in full only asks that the closing slide recaps in their short form.
    const moduleRecs = asksFor(m.module.recommendations, audience).filter((r) => inClosing.has(r.ref) && r.short !== null);
    // A chart is the module's evidence at a glance: it takes the panel beside the points on the
    // module's first slide, for every audience.
    const figuresPanel = m.figures.length > 0 && !figuresSlide ? 'figures' : null;
    const panel = m.chart ? 'chart' : profile.sidePanel === 'recommendations' && moduleRecs.length > 0 ? 'recommendations' : figuresPanel;
    const twoColumn = parts === 1 && panel !== null;
    const perPart = twoColumn ? d.pointsTwoColumn : parts === 1 ? d.pointsSingle : d.pointsPerPart;
    // Points already stated as key judgments are not repeated.
    const candidates = m.points.filter((p) => !onSummary.has(p.ref));
    const selected = new Set(forAudience(candidates, audience.id).slice(0, perPart * parts).map((p) => p.ref));
    const shown = candidates.filter((p) => selected.has(p.ref));
    const left = candidates.filter((p) => !selected.has(p.ref));
    for (const p of left) drops.push(dropOf(p.ref, 'point', p.text.text, p.priority, p.text.span));
    const groups = splitEvenly(shown, parts);
    groups.forEach((group, k) => {
      const items = group.map(pointItem);
      const sources = unique(items.map((x) => x.source));
      const base = {
        // A later part is headed by the module's topic, so its finding is not said twice.
        ...blank('bullets', k === 0 ? m.module.summary.text : fill(s.continued ?? '{title}', { title })),
        module: m.module.id,
        kicker: k === 0 ? title : null,
        items,
        notes: notesForPart(m, k, groups.length, left, s),
        sources,
      };
      if (k === 0 && m.chart) {
        moduleSlides.push({ ...base, layout: 'chart', items: [], columns: [{ heading: null, items }], chart: m.chart, sources: unique([...sources, m.chart.source]) });
      } else if (twoColumn && panel === 'recommendations') {
        // Beside the evidence, what to do about it (for decision-makers: the decision needed).
        const recs: PlanItem[] = [...moduleRecs]
          .sort((a, b) => a.priority - b.priority)
          .slice(0, d.panelRecommendations)
          .map((r) => ({ ref: r.ref, text: r.text.text, label: null, priority: r.priority, source: r.source, span: r.text.span }));
        moduleSlides.push({ ...base, layout: 'two-column', items: [], columns: [{ heading: null, items }, { heading: s.panelRecommendations ?? null, items: recs }], sources: unique([...sources, ...recs.map((x) => x.source)]) });
      } else if (twoColumn) {
        const figures = m.figures.slice(0, d.figuresPerSlide);
        const facts: PlanItem[] = figures.map((f) => ({ ref: f.ref, text: f.label, label: f.value, priority: 2, source: f.source, span: f.span }));
        const allSources = unique([...sources, ...facts.map((x) => x.source)]);
        moduleSlides.push({ ...base, layout: 'two-column', items: [], columns: [{ heading: null, items }, { heading: s.figures ?? null, items: facts }], sources: allSources });
      } else {
        moduleSlides.push(base);
      }
    });
    if (figuresSlide) {
      const figures = m.figures.slice(0, d.figuresPerSlide);
      moduleSlides.push({
        ...blank('key-figure', fill(s.inNumbers ?? '{module}', { module: title })),
        module: m.module.id,
        kicker: title,
        figures,
        notes: figures.map((f) => `${labelled(f.value, f.label)}${f.sourceShort ? paren(f.sourceShort) : ''}`).join('\n\n'),
        sources: unique(figures.map((f) => f.source)),
      });
    }
    if (has('quote', i)) {
      const quote = m.quotes[0]!;
      moduleSlides.push({
        // The module's topic, not its finding: the finding is the title of its main slide.
        ...blank('quote', title),
        module: m.module.id,
        quote,
        notes: sentences([`${quote.by}${quote.paraphrased ? paren(s.paraphrased ?? 'paraphrased') : ''}`, m.module.notes?.text ?? null], pu.sentenceSep ?? '. '),
        sources: unique([quote.source]),
      });
    }
  });

  // Recommendations, most important first, spread over the slides they were given.
  const recommendationSlides: Omit<SlidePlan, 'number'>[] = [];
  if (recSlides > 0) {
    const capacity = recSlides * d.recommendationsPerSlide;
    const shown = recommendations.slice(0, capacity);
    for (const r of recommendations.slice(capacity)) drops.push(dropOf(r.ref, 'recommendation', r.text.text, r.priority, r.text.span));
    let listStart = 1;
    // The closing slide holds the first asks; backup slides after it hold the rest.
    const groups = [shown.slice(0, d.recommendationsPerSlide), ...splitEvenly(shown.slice(d.recommendationsPerSlide), recSlides - 1)];
    groups.forEach((group, k) => {
      // Each ask in its short form where the pack gives one (the notes and the module's panel
      // carry it in full), with its owner and timing.
      const items: PlanItem[] = group.map((r) => ({ ref: r.ref, text: askText(r, true, pu), label: null, priority: r.priority, source: r.source, span: r.text.span }));
      recommendationSlides.push({
        ...blank('recommendations', k === 0 ? (s.recommendations ?? 'Recommendations') : (s.recommendationsMore ?? 'Recommendations')),
        listStart,
        lead: k === 0 ? (s.recommendationsLead ?? null) : null,
        items,
        notes: group.map((r) => labelled(pack.modules[r.moduleIndex]!.title.text, r.text.text)).join('\n\n'),
        sources: unique(items.map((x) => x.source)),
      });
      listStart += group.length;
    });
  }

  // The options of an ask, one column each: what it is, what speaks for it and against it.
  const optionSlides: Omit<SlidePlan, 'number'>[] = chosen
    .filter((c): c is Extract<Candidate, { kind: 'options' }> => c.kind === 'options')
    .map((c) => {
      const r = recommendations[c.ask]!;
      const item = (ref: string, text: string, label: string | null): PlanItem => ({ ref: `${r.ref}/options/${ref}`, text, label, priority: 1, source: r.source, span: r.text.span });
      const columns = r.options.slice(0, 2).map((o, k) => ({
        heading: fill(s.option ?? 'Option {n}', { n: (s.optionLabels ?? 'A,B,C,D').split(',')[k] ?? String(k + 1) }),
        items: [item(`${k + 1}`, o.text.text, null), item(`${k + 1}/pros`, o.pros.text, `${s.optionPros ?? 'For'}${pu.colon ?? ':'}`), item(`${k + 1}/cons`, o.cons.text, `${s.optionCons ?? 'Against'}${pu.colon ?? ':'}`)],
      }));
      return {
        ...blank('options', fill(s.optionsTitle ?? '{ask}', { ask: r.short?.text ?? pack.modules[r.moduleIndex]!.title.text })),
        kicker: s.options ?? null,
        columns,
        notes: sentences([r.text.text, ...r.options.slice(2).map((o) => o.text.text)], pu.sentenceSep ?? '. '),
        sources: unique([r.source]),
      };
    });

  const agendaSlide: Omit<SlidePlan, 'number'> = {
    ...blank('agenda', s.agenda ?? 'Agenda'),
    items: [
      ...shownModules.map((m) => ({ ref: `${m.module.id}/title`, text: '', label: m.module.title.text, priority: 1 as const, source: null, span: m.module.title.span })),
      ...(recSlides > 0 ? [metaItem('agenda/recommendations', '', pack.bluf.span, s.recommendations ?? 'Recommendations')] : []),
    ],
    notes: shownModules.map((m) => labelled(m.module.title.text, m.module.summary.text)).join('\n\n'),
  };

  // Terms explained: the defined glossary terms the deck uses, then others, up to a slide's worth.
  const deckText = [...moduleSlides, summarySlide, ...recommendationSlides].flatMap((x) => [x.title, ...x.items.map((i) => i.text), ...x.columns.flatMap((c) => c.items.map((i) => i.text))]).join(' ');
  const terms = pack.glossary
    .filter((g) => g.definition)
    .map((g, order) => ({ g, order, used: deckText.includes(g.term) }))
    .sort((a, b) => Number(b.used) - Number(a.used) || a.order - b.order)
    .slice(0, d.glossaryTerms)
    .sort((a, b) => a.order - b.order);
  const glossarySlide: Omit<SlidePlan, 'number'> = {
    ...blank('bullets', s.glossary ?? 'Terms explained'),
    lead: s.glossaryLead ?? null,
    items: terms.map(({ g }) => ({ ref: `glossary/${g.term}`, text: g.definition!.text, label: g.term, priority: 2, source: null, span: g.definition!.span })),
    notes: terms.map(({ g }) => labelled(g.term, g.definition!.text)).join('\n\n'),
  };

  const body = [...moduleSlides, ...recommendationSlides, summarySlide, agendaSlide];
  const used = new Set<string>(body.flatMap((x) => x.sources));
  const list = planSources(pack.sources, used.size > 0 ? used : new Set(pack.sources.map((x) => x.id)), strings);
  const sourcesSlide: Omit<SlidePlan, 'number'> = {
    ...blank('sources', s.sources ?? 'Sources'),
    lead: s.sourcesLead ?? null,
    items: list.map((x) => ({ ref: `sources/${x.id}`, text: x.citation, label: null, priority: 1, source: null, span: pack.bluf.span })),
    closingHeading: s.about ?? null,
    closing: s.aboutText
      ? fill(s.aboutText, { author: meta.author ?? '', audience: meta.audienceLabel, date: meta.dateText }) +
        (moduleSlides.some((x) => x.quote?.paraphrased) ? (s.aboutQuotes ?? '') : '') +
        (moduleSlides.some((x) => x.figures.length > 0 || x.columns.length > 0 || x.chart) ? (s.aboutFigures ?? '') : '')
      : null,
    notes: list.map((x) => `${x.citation}${x.url ? `${pu.urlSep ?? ' '}${x.url}` : ''}`).join('\n\n'),
  };

  // Assemble in the audience's order; the summary comes first when the profile has no place for it.
  const slides: Omit<SlidePlan, 'number'>[] = [titleSlide];
  if (withSummary && !wants('summary')) slides.push(summarySlide);
  for (const section of profile.sections) {
    if (section === 'summary' && withSummary) slides.push(summarySlide);
    else if (section === 'agenda' && withAgenda) slides.push(agendaSlide);
    else if (section === 'modules') slides.push(...moduleSlides);
    else if (section === 'recommendations') slides.push(...optionSlides, ...recommendationSlides);
    else if (section === 'glossary' && withGlossary) slides.push(glossarySlide);
    else if (section === 'sources' && withSources) slides.push(sourcesSlide);
  }

  if (slides.length !== n) {
    return { plan: null, diagnostics: [error('internal-plan', `planned ${slides.length} slides instead of ${n}`)] };
  }
  const numbered: SlidePlan[] = slides.map((slide, i) => ({ ...slide, number: i + 1, sourceLine: sourceLine(slide.sources, pack.sources, strings) }));
  return { plan: { type: 'deck', meta, slides: numbered, sources: planSources(pack.sources, used, strings), drops }, diagnostics: [] };
}

/** A fact's chart in the plan's language: its title defaults to the fact's label, its alternative text describes the data. */
export function planChart(fact: LFact, sourceShort: string | null, strings: Strings): PlanChart {
  const c = fact.chart!;
  const pu = strings.punct;
  const title = c.title?.text ?? fact.label.text;
  const unit = c.unit?.text ?? '';
  const categories = c.categories.map((x) => x.text);
  const alt = c.alt?.text ?? `${title}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${describeChart({ categories, values: c.values, unit }, pu.listSep ?? ', ', pu.labelGap ?? ' ')}`;
  return { ref: fact.ref, kind: c.kind, title, unit, categories, values: c.values, max: c.max, alt, source: fact.source, sourceShort, span: c.span };
}

/**
 * An audience's key judgments: the points the pack writes for it (most important and most
 * relevant first) when there are at least three, else the takeaways of its most relevant
 * modules; either way in the audience's module order.
 */
export function keyJudgments(infos: readonly { module: LModule; relevance: number; points: LPoint[] }[], audience: string, limit: number): PlanItem[] {
  const ranked = infos
    .flatMap((m, order) => m.points.filter((p) => p.audiences?.includes(audience)).map((p) => ({ m, p, order })))
    .sort((a, b) => a.p.priority - b.p.priority || b.m.relevance - a.m.relevance || a.order - b.order);
  // One judgment per module before a second from any, so that labels do not repeat.
  const firsts = ranked.filter((x, i) => ranked.findIndex((y) => y.m === x.m) === i);
  const targeted = [...firsts, ...ranked.filter((x) => !firsts.includes(x))]
    .slice(0, limit)
    .sort((a, b) => a.order - b.order || a.m.points.indexOf(a.p) - b.m.points.indexOf(b.p));
  if (targeted.length >= Math.min(3, limit)) {
    return targeted.map(({ m, p }) => ({ ref: p.ref, text: p.text.text, label: m.module.title.text, priority: p.priority, source: p.source, span: p.text.span }));
  }
  // The three most relevant are essential; a fourth and later judgment may give way when the
  // slide or page is full.
  const rank = new Map([...infos].sort((a, b) => b.relevance - a.relevance).slice(0, limit).map((m, i) => [m.module.id, i]));
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
  if (!m.judgment) return { ref: `${m.id}/summary`, text: m.summary.text, label, priority, source: mainSource(m), span: m.summary.span };
  const evidence = m.judgment.evidence === null ? undefined : m.facts.find((f) => f.id === m.judgment!.evidence);
  return { ref: `${m.id}/judgment`, text: m.judgment.text.text, label, priority, source: evidence?.source ?? mainSource(m), span: m.judgment.text.span };
}

/** The evidence behind key judgments, for the speaker: each cited fact's value and label, and its source. */
function evidenceNotes(judgments: readonly PlanItem[], pack: LocalizedPack, strings: Strings): string | null {
  const pu = strings.punct;
  const lines = judgments.flatMap((j) => {
    const m = j.ref.endsWith('/judgment') ? pack.modules.find((x) => `${x.id}/judgment` === j.ref) : undefined;
    const fact = m?.judgment?.evidence ? m.facts.find((f) => f.id === m.judgment!.evidence) : undefined;
    if (!fact) return [];
    const short = fact.source ? shortOf(pack, fact.source, strings) : null;
    return [`${fact.value.text}${pu.colon ?? ':'}${pu.labelGap ?? ' '}${fact.label.text}${short ? `${pu.parenOpen ?? ' ('}${short}${pu.parenClose ?? ')'}` : ''}`];
  });
  return lines.length > 0 ? lines.join('\n\n') : null;
}

/** A module's takeaway sums up its points: it is sourced to what most of them cite. */
export function mainSource(m: LModule): string | null {
  const counts = new Map<string, number>();
  for (const p of m.points) if (p.source) counts.set(p.source, (counts.get(p.source) ?? 0) + 1);
  let best: string | null = null;
  for (const [id, n] of counts) if (best === null || n > counts.get(best)!) best = id;
  return best;
}

/**
 * The pack's modules in the order an audience reads them: the author's, or the most relevant
 * first; either way a module placed `opening` (why it matters) comes first and one placed
 * `closing` (the synthesis) last.
 */
export function inAudienceOrder<T extends { relevance: Record<string, number>; place?: 'opening' | 'closing' | null }>(modules: readonly T[], audience: string, order: 'pack' | 'relevance'): { module: T; index: number }[] {
  const rank = (m: T) => (m.place === 'opening' ? 0 : m.place === 'closing' ? 2 : 1);
  const indexed = modules.map((module, index) => ({ module, index }));
  return indexed.sort((a, b) => rank(a.module) - rank(b.module) || (order === 'pack' ? 0 : relevanceOf(b.module, audience) - relevanceOf(a.module, audience)) || a.index - b.index);
}

/**
 * Points in the order they should be chosen for an audience. A point written for this audience
 * counts one priority higher than a general one (a targeted supporting point ranks with, and
 * ahead of, the general essentials); then the author's order.
 */
export function forAudience<T extends { priority: number; audiences: string[] | null }>(points: readonly T[], audience: string): T[] {
  return points
    .map((p, index) => {
      const targeted = p.audiences?.includes(audience) ?? false;
      return { p, index, rank: p.priority - (targeted ? 1 : 0), targeted: targeted ? 0 : 1 };
    })
    .sort((a, b) => a.rank - b.rank || a.targeted - b.targeted || a.index - b.index)
    .map((x) => x.p);
}

/**
 * Drops the least important item of one slide, for when it does not fit even at the smallest
 * font size. Returns null when only essentials are left.
 */
export function dropFromSlide(plan: DeckPlan, slideNumber: number): DeckPlan | null {
  const slide = plan.slides[slideNumber - 1];
  if (!slide) return null;
  type Loc = { list: 'items' | 'figures'; column: number; index: number; priority: number };
  const locs: Loc[] = [];
  for (const [index, x] of slide.items.entries()) locs.push({ list: 'items', column: -1, index, priority: x.priority });
  for (const [column, c] of slide.columns.entries()) for (const [index, x] of c.items.entries()) locs.push({ list: 'items', column, index, priority: x.priority });
  for (const [index, x] of slide.figures.entries()) locs.push({ list: 'figures', column: -1, index, priority: x.priority });
  const droppable = locs.filter((l) => l.priority > 1);
  if (droppable.length === 0 || locs.length <= 1) return null;
  // The lowest priority; among equals, the last one.
  const victim = droppable.reduce((a, b) => (b.priority >= a.priority ? b : a));
  const next: SlidePlan = { ...slide, items: [...slide.items], columns: slide.columns.map((c) => ({ ...c, items: [...c.items] })), figures: [...slide.figures] };
  let dropped: Drop;
  if (victim.list === 'figures') {
    const [f] = next.figures.splice(victim.index, 1);
    dropped = dropOf(f!.ref, 'fact', `${f!.value} ${f!.label}`, f!.priority, f!.span, 'overflow', slideNumber);
  } else {
    const list = victim.column >= 0 ? next.columns[victim.column]!.items : next.items;
    const [x] = list.splice(victim.index, 1);
    const kind = x!.ref.includes('/recommendations/') ? 'recommendation' : /\/(?:summary|judgment)$/.test(x!.ref) ? 'summary' : 'point';
    dropped = dropOf(x!.ref, kind, x!.label ? `${x!.label}: ${x!.text}` : x!.text, x!.priority, x!.span, 'overflow', slideNumber);
  }
  const slides = numberAsks(plan.slides.map((s, i) => (i === slideNumber - 1 ? next : s)));
  return { ...plan, slides, drops: [...plan.drops, dropped] };
}

/** The asks numbered on across their slides, after an item was dropped from one. */
function numberAsks(slides: readonly SlidePlan[]): SlidePlan[] {
  let next = 1;
  return slides.map((s) => {
    if (s.layout !== 'recommendations') return s;
    const numbered = s.listStart === next ? s : { ...s, listStart: next };
    next += s.items.length;
    return numbered;
  });
}

type Ask = { ref: string; text: { text: string }; short: { text: string } | null; owner: { text: string } | null; timing: { text: string } | null };

/** How a list of asks states one: its short form (when `short` and the pack has one) or its whole text, with its owner and timing where the pack gives them. */
export function askText(r: Ask, short: boolean, pu: Record<string, string>): string {
  const base = short && r.short ? r.short.text : r.text.text;
  const details = [r.owner?.text, r.timing?.text].filter((x): x is string => Boolean(x));
  if (details.length === 0) return base;
  const stem = base.replace(/[.。]$/, '');
  return `${stem}${pu.parenOpen ?? ' ('}${details.join(pu.detailSep ?? ', ')}${pu.parenClose ?? ')'}${base === stem ? '' : base.slice(stem.length)}`;
}

/** The recommendations an audience is asked about: those it may see, of the kinds it deals with. */
export function asksFor<T extends { audiences: string[] | null; kind: 'domestic' | 'international' | null }>(list: readonly T[], audience: AudienceProfile): T[] {
  const kinds = audience.recommendationKinds;
  return visibleTo(list, audience.id).filter((r) => !kinds || r.kind === null || kinds.includes(r.kind));
}

function pointItem(p: LPoint): PlanItem {
  return { ref: p.ref, text: p.text.text, label: null, priority: p.priority, source: p.source, span: p.text.span };
}

function metaItem(ref: string, text: string, span: PlanItem['span'], label: string | null = null): PlanItem {
  return { ref, text, label, priority: 1, source: null, span };
}

function dropOf(ref: string, kind: Drop['kind'], text: string, priority: Drop['priority'], span: Drop['span'], reason: Drop['reason'] = 'no-room', slide: number | null = null): Drop {
  return { ref, kind, text, priority, reason, slide, span };
}

/**
 * Speaker notes for part `k` of a module's slides: the module's notes shared out by sentence, so
 * no two slides repeat them; the last part also lists the points no slide could carry.
 */
function notesForPart(m: ModuleInfo, k: number, parts: number, left: readonly LPoint[], s: Record<string, string>): string | null {
  const said = sentencesOf(m.module.notes?.text ?? '');
  const share = splitEvenly(said, parts)[k] ?? [];
  const out = share.length > 0 ? [share.join('').trim()] : [];
  if (k === parts - 1 && left.length > 0) out.push(s.notOnSlides ?? 'Also in the research, not on these slides:', ...left.map((p) => `– ${p.text.text}`));
  return out.length > 0 ? out.join('\n\n') : null;
}

/** A module's notes are shared out over each of its parts: split once per text, not once per part. */
const split = new Map<string, string[]>();
function sentencesOf(text: string): string[] {
  let s = split.get(text);
  if (!s) {
    if (split.size > 1000) split.clear();
    s = splitSentences(text);
    split.set(text, s);
  }
  return s;
}

/** Joins sentences with the language's separator, skipping empty ones, ending each. */
function sentences(parts: readonly (string | null)[], sep: string): string {
  const end = sep.trim();
  return parts
    .filter((p): p is string => Boolean(p))
    .map((p) => (/[.!?。！？][”’」』)）"']*$/.test(p) ? p : `${p}${end}`))
    .join(sep === '. ' ? ' ' : '');
}

export function shortOf(pack: LocalizedPack, id: string, strings: Strings): string | null {
  const source = pack.sources.find((x) => x.id === id);
  return source ? shortCitation(source, strings) : null;
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

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
