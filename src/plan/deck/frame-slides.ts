// The slides around the modules: the cover, the bottom line, the agenda, the terms, the sources.
import type { LocalizedPack } from '../../model/localized.js';
import type { PlanItem, PlanMeta, SlidePlan } from '../../model/plan.js';
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

/**
 * What comes next: the topics with slides, in their order, and the asks. A deck of a large pack
 * names the first topics and counts the others with the slides they are on (`agenda/more`, filled
 * in once the slides are numbered: see `withAgendaCount`), and says how many topics of the research
 * have no slide at all, so the reader knows the deck is a selection.
 */
export function agendaSlide(
  shown: readonly ModuleInfo[],
  leftOut: readonly ModuleInfo[],
  withAsks: boolean,
  pack: LocalizedPack,
  strings: Strings,
): Slide {
  const s = strings.deck;
  const { labelled } = punctuation(strings);
  const cap = DECK_PLAN_DEFAULTS.agendaTopics;
  const named = shown.length > cap ? shown.slice(0, cap - 1) : shown;
  const counted = shown.slice(named.length);
  const titles = (list: readonly ModuleInfo[]) =>
    list.map((m) => m.module.title.text).join(strings.punct.listSep ?? '; ');
  return {
    ...blank('agenda', s.agenda ?? 'Agenda'),
    items: [
      ...named.map((m) => ({
        ref: `${m.module.id}/title`,
        text: '',
        label: m.module.title.text,
        priority: 1 as const,
        source: null,
        span: m.module.title.span,
      })),
      ...(counted.length > 0 ? [metaItem(AGENDA_MORE, '', pack.bluf.span, '')] : []),
      ...(withAsks
        ? [metaItem('agenda/recommendations', '', pack.bluf.span, s.recommendations ?? 'Recommendations')]
        : []),
    ],
    // A few topics without a slide are named on the slide; more are counted (the notes name them).
    closing:
      leftOut.length === 0
        ? null
        : leftOut.length <= AGENDA_NAMES_LEFT_OUT
          ? fill(s.agendaLeftOutNamed ?? 'Not covered here: {titles}.', { titles: titles(leftOut) })
          : fill(s.agendaLeftOut ?? '{n} topics in the research have no slide in this deck.', { n: leftOut.length }),
    notes: [
      ...named.map((m) => labelled(m.module.title.text, m.module.summary.text)),
      ...(counted.length > 0 ? [labelled(s.agendaAlso ?? 'Also in this deck', titles(counted))] : []),
      ...(leftOut.length > 0
        ? [
            labelled(
              s.agendaNotInDeck ?? 'Not in this deck',
              leftOut.length > AGENDA_NOTES_TITLES
                ? `${titles(leftOut.slice(0, AGENDA_NOTES_TITLES))}${fill(s.andMore ?? ' … and {n} more', { n: leftOut.length - AGENDA_NOTES_TITLES })}`
                : titles(leftOut),
            ),
          ]
        : []),
    ].join('\n\n'),
  };
}

const AGENDA_MORE = 'agenda/more';
/** Titles of topics without a slide that the agenda's notes name; a larger pack's others are counted. */
const AGENDA_NOTES_TITLES = 100;
/** Topics without a slide that the agenda names on the slide itself; more are counted. */
const AGENDA_NAMES_LEFT_OUT = 3;

/**
 * The agenda's count of the topics it does not name (`{n} more topics`, `on slides {from}–{to}`),
 * from the numbered slides: run after numbering, and again when fitting folds a named topic into it.
 */
export function withAgendaCount(slides: readonly SlidePlan[], strings: Strings): SlidePlan[] {
  const at = slides.findIndex((x) => x.layout === 'agenda' && x.items.some((i) => i.ref === AGENDA_MORE));
  if (at < 0) return [...slides];
  const agenda = slides[at]!;
  const named = new Set(agenda.items.map((i) => i.ref.replace(/\/title$/, '')));
  const counted = slides.filter((x) => x.module !== null && !named.has(x.module));
  const modules = new Set(counted.map((x) => x.module));
  const s = strings.deck;
  const from = counted[0]?.number ?? 0;
  const to = counted[counted.length - 1]?.number ?? 0;
  const label =
    modules.size === 1
      ? (s.agendaMoreOne ?? 'One more topic')
      : fill(s.agendaMore ?? '{n} more topics', { n: modules.size });
  const where =
    from === to
      ? fill(s.agendaMoreSlide ?? 'on slide {n}', { n: from })
      : fill(s.agendaMoreSlides ?? 'on slides {from}–{to}', { from, to });
  // The template sets a space between label and text; none goes before full-width punctuation
  // (`另有18項主題（第11至28張）`), so such a text joins the label.
  const joined = /^[\u3000-\u303f\uff00-\uffef]/.test(where);
  const more: PlanItem = {
    ...agenda.items.find((i) => i.ref === AGENDA_MORE)!,
    label: joined ? `${label}${where}` : label,
    text: joined ? '' : where,
  };
  const next = { ...agenda, items: agenda.items.map((i) => (i.ref === AGENDA_MORE ? more : i)) };
  return slides.map((x, i) => (i === at ? next : x));
}

/**
 * An agenda that does not fit names one topic fewer and counts it with the others; null when it
 * names only one. Nothing is dropped from the deck: every topic keeps its slides.
 */
export function foldAgenda(slide: SlidePlan, pack: { span: PlanItem['span'] } | null = null): SlidePlan | null {
  const named = slide.items.filter((i) => !i.ref.startsWith('agenda/'));
  if (named.length <= 1) return null;
  const last = named[named.length - 1]!;
  const items = slide.items.filter((i) => i !== last);
  if (!items.some((i) => i.ref === AGENDA_MORE)) {
    const at = items.findIndex((i) => i.ref.startsWith('agenda/'));
    const more = metaItem(AGENDA_MORE, '', pack?.span ?? last.span, '');
    items.splice(at < 0 ? items.length : at, 0, more);
  }
  return { ...slide, items };
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

/**
 * The sources the deck cites, and a note on how it was made; the closing backup slide. When the
 * deck cites more sources than a slide lists, it lists those cited on the most slides (in the
 * pack's order) and its lead says how many others the slides' footers and the notes name.
 */
export function sourcesSlide(
  used: ReadonlySet<string>,
  cited: readonly Slide[],
  modules: readonly Slide[],
  meta: PlanMeta,
  pack: LocalizedPack,
  strings: Strings,
): Slide {
  const s = strings.deck;
  const all = planSources(pack.sources, used.size > 0 ? used : new Set(pack.sources.map((x) => x.id)), strings);
  const listed = new Set(mostCited(all, cited, DECK_PLAN_DEFAULTS.sourcesListed));
  const list = all.filter((x) => listed.has(x.id));
  const others = all.filter((x) => !listed.has(x.id));
  const paraphrased = modules.some((x) => x.quote?.paraphrased);
  const figures = modules.some((x) => x.figures.length > 0 || x.columns.length > 0 || x.chart);
  const about = s.aboutText
    ? fill(s.aboutText, { author: meta.author ?? '', audience: meta.audienceLabel, date: meta.dateText })
    : null;
  const urlSep = strings.punct.urlSep ?? ' ';
  return {
    ...blank('sources', s.sources ?? 'Sources'),
    lead: sourcesLead(others.length, strings),
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
    notes: [
      ...list.map((x) => `${x.citation}${x.url ? `${urlSep}${x.url}` : ''}`),
      ...(others.length > 0
        ? [
            punctuation(strings).labelled(
              s.sourcesAlso ?? 'Also cited',
              others.map((x) => x.short).join(strings.punct.listSep ?? '; '),
            ),
          ]
        : []),
    ].join('\n\n'),
  };
}

function sourcesLead(others: number, strings: Strings): string | null {
  const s = strings.deck;
  if (others === 0) return s.sourcesLead ?? null;
  return fill(
    s.sourcesLeadSome ?? 'The sources this briefing draws on most; {n} more are named on the slides and in the notes',
    {
      n: others,
    },
  );
}

/** The ids of the `k` sources cited on the most slides (ties: the pack's order). */
function mostCited(
  all: readonly { id: string }[],
  slides: readonly { sources: readonly string[] }[],
  k: number,
): string[] {
  if (all.length <= k) return all.map((x) => x.id);
  const count = new Map<string, number>();
  for (const slide of slides) for (const id of slide.sources) count.set(id, (count.get(id) ?? 0) + 1);
  return all
    .map((x, order) => ({ id: x.id, n: count.get(x.id) ?? 0, order }))
    .sort((a, b) => b.n - a.n || a.order - b.order)
    .slice(0, k)
    .map((x) => x.id);
}

/**
 * A sources slide that does not fit lists one source fewer (the least cited) and counts it in its
 * lead; null when it lists only one. The source is still named on the slides that cite it.
 */
export function foldSources(
  slide: SlidePlan,
  slides: readonly SlidePlan[],
  total: number,
  strings: Strings,
): SlidePlan | null {
  if (slide.items.length <= 1) return null;
  const ids = slide.items.map((i) => ({ id: i.ref.replace(/^sources\//, '') }));
  const keep = new Set(mostCited(ids, slides, slide.items.length - 1));
  const items = slide.items.filter((i) => keep.has(i.ref.replace(/^sources\//, '')));
  return { ...slide, items, lead: sourcesLead(total - items.length, strings) };
}
