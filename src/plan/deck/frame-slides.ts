// The slides around the modules: the cover, the bottom line, the agenda, the terms, the sources.
import type { LocalizedPack } from '../../model/localized.js';
import type { PlanItem, PlanMeta } from '../../model/plan.js';
import type { Strings } from '../../model/theme.js';
import { fill, planSources } from '../format.js';
import { blank, metaItem, punctuation, type Slide, termItem, unique } from './common.js';
import { DECK_PLAN_DEFAULTS } from './defaults.js';
import { evidenceNotes } from './judgments.js';
import type { ModuleInfo } from './modules.js';

export function titleSlide(meta: PlanMeta, pack: LocalizedPack, strings: Strings): Slide {
  const s = strings.deck;
  const preparedBy = meta.author ? fill(s.preparedBy ?? '{author}', { author: meta.author }) : null;
  return {
    ...blank('title', meta.title),
    kicker: fill(s.briefingFor ?? '{audience}', { audience: meta.audienceLabel }),
    lead: meta.subtitle,
    items: [
      metaItem('meta/date', meta.dateText, pack.bluf.span),
      ...(preparedBy ? [metaItem('meta/author', preparedBy, pack.author?.span ?? pack.bluf.span)] : []),
    ],
    notes: punctuation(strings).sentences([meta.subtitle, preparedBy, meta.dateText]),
  };
}

/** The bottom line and the key judgments; the notes give the figures they rest on, with their sources. */
export function summarySlide(
  meta: PlanMeta,
  judgments: readonly PlanItem[],
  pack: LocalizedPack,
  strings: Strings,
): Slide {
  const s = strings.deck;
  return {
    ...blank('summary', s.bottomLine ?? 'Bottom line'),
    kicker: s.keyJudgments ?? null,
    lead: meta.bluf,
    items: [...judgments],
    notes: evidenceNotes(judgments, pack, strings),
    sources: unique(judgments.map((j) => j.source)),
  };
}

export function agendaSlide(
  shown: readonly ModuleInfo[],
  withAsks: boolean,
  pack: LocalizedPack,
  strings: Strings,
): Slide {
  const s = strings.deck;
  const { labelled } = punctuation(strings);
  return {
    ...blank('agenda', s.agenda ?? 'Agenda'),
    items: [
      ...shown.map((m) => ({
        ref: `${m.module.id}/title`,
        text: '',
        label: m.module.title.text,
        priority: 1 as const,
        source: null,
        span: m.module.title.span,
      })),
      ...(withAsks
        ? [metaItem('agenda/recommendations', '', pack.bluf.span, s.recommendations ?? 'Recommendations')]
        : []),
    ],
    notes: shown.map((m) => labelled(m.module.title.text, m.module.summary.text)).join('\n\n'),
  };
}

/** Terms explained: the defined glossary terms the deck uses, then others, up to a slide's worth. */
export function glossarySlide(said: readonly Slide[], pack: LocalizedPack, strings: Strings): Slide {
  const s = strings.deck;
  const { labelled } = punctuation(strings);
  const deckText = said
    .flatMap((x) => [x.title, ...x.items.map((i) => i.text), ...x.columns.flatMap((c) => c.items.map((i) => i.text))])
    .join(' ');
  const terms = pack.glossary
    .filter((g) => g.definition)
    .map((g, order) => ({ g, order, used: deckText.includes(g.term) }))
    .sort((a, b) => Number(b.used) - Number(a.used) || a.order - b.order)
    .slice(0, DECK_PLAN_DEFAULTS.glossaryTerms)
    .sort((a, b) => a.order - b.order);
  return {
    ...blank('bullets', s.glossary ?? 'Terms explained'),
    lead: s.glossaryLead ?? null,
    items: terms.map(({ g }) => termItem(g)),
    notes: terms.map(({ g }) => labelled(g.term, g.definition!.text)).join('\n\n'),
  };
}

/** The sources the deck cites, and a note on how it was made; the closing backup slide. */
export function sourcesSlide(
  used: ReadonlySet<string>,
  modules: readonly Slide[],
  meta: PlanMeta,
  pack: LocalizedPack,
  strings: Strings,
): Slide {
  const s = strings.deck;
  const list = planSources(pack.sources, used.size > 0 ? used : new Set(pack.sources.map((x) => x.id)), strings);
  const paraphrased = modules.some((x) => x.quote?.paraphrased);
  const figures = modules.some((x) => x.figures.length > 0 || x.columns.length > 0 || x.chart);
  const about = s.aboutText
    ? fill(s.aboutText, { author: meta.author ?? '', audience: meta.audienceLabel, date: meta.dateText })
    : null;
  return {
    ...blank('sources', s.sources ?? 'Sources'),
    lead: s.sourcesLead ?? null,
    items: list.map((x) => ({
      ref: `sources/${x.id}`,
      text: x.citation,
      label: null,
      priority: 1,
      source: null,
      span: pack.bluf.span,
    })),
    closingHeading: s.about ?? null,
    closing:
      about === null
        ? null
        : about + (paraphrased ? (s.aboutQuotes ?? '') : '') + (figures ? (s.aboutFigures ?? '') : ''),
    notes: list.map((x) => `${x.citation}${x.url ? `${strings.punct.urlSep ?? ' '}${x.url}` : ''}`).join('\n\n'),
  };
}
