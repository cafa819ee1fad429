// Which optional slides a deck of N slides gets: every slide beyond the fixed ones competes by
// its value for the audience, and none comes before the slide it continues.
import { type Diagnostic, error } from '../../model/diagnostic.js';
import { LENGTH_LIMITS } from '../../model/limits.js';
import type { LocalizedPack } from '../../model/localized.js';
import type { AudienceProfile, DeckSection } from '../../model/theme.js';
import type { Ask } from './asks.js';
import { DECK_PLAN_DEFAULTS } from './defaults.js';
import type { ModuleInfo } from './modules.js';

export type Candidate =
  | { kind: 'part'; module: number; part: number; value: number }
  | { kind: 'figures'; module: number; value: number }
  | { kind: 'quote'; module: number; value: number }
  | { kind: 'recommendations'; part: number; value: number }
  | { kind: 'options'; ask: number; value: number };

/** The slides a deck of this length has besides the chosen ones. */
export interface Frame {
  summary: boolean;
  agenda: boolean;
  sources: boolean;
  glossary: boolean;
  /** The closing ask (its backup slides are candidates). */
  asks: boolean;
}

export interface Selection {
  frame: Frame;
  chosen: Candidate[];
  /** Slides of the module's points (0: the module has no slide). */
  partsOf: (module: number) => number;
  has: (kind: 'figures' | 'quote', module: number) => boolean;
  /** The closing ask and its backup slides. */
  askSlides: number;
}

/** Chooses the slides of a deck of `n` slides, or says which lengths the content can fill. */
export function selectSlides(
  n: number,
  infos: readonly ModuleInfo[],
  asks: readonly Ask[],
  definedTerms: number,
  pack: LocalizedPack,
  audience: AudienceProfile,
): { selection: Selection | null; diagnostics: Diagnostic[] } {
  const d = DECK_PLAN_DEFAULTS;
  const profile = audience.deck;
  const w = profile.weights;
  const wants = (section: DeckSection) => profile.sections.includes(section);
  const frameFor = (m: number): Frame => ({
    summary: wants('summary') || !wants('modules'),
    asks: wants('recommendations') && asks.length > 0,
    sources: wants('sources') && m >= d.sourcesFrom,
    agenda: wants('agenda') && m >= d.agendaFrom,
    glossary: wants('glossary') && definedTerms >= d.minGlossaryTerms && m >= d.glossaryFrom,
  });
  const fixedFor = (m: number) => 1 + Object.values(frameFor(m)).filter(Boolean).length;
  const frame = frameFor(n);

  const candidates: Candidate[] = [];
  if (wants('modules')) {
    infos.forEach((m, i) => {
      for (let part = 1; part <= m.maxParts; part++)
        candidates.push({
          kind: 'part',
          module: i,
          part,
          value: m.relevance * (part === 1 ? 100 : w.parts / (part - 1)),
        });
      // A figures slide needs at least two figures; a single one goes beside the points instead.
      if (m.figures.length >= 2) candidates.push({ kind: 'figures', module: i, value: m.relevance * w.figures });
      if (m.quotes.length > 0) candidates.push({ kind: 'quote', module: i, value: m.relevance * w.quotes });
    });
  }
  if (frame.asks) {
    const parts = Math.max(1, Math.ceil(asks.length / d.recommendationsPerSlide));
    for (let part = 2; part <= parts; part++)
      candidates.push({ kind: 'recommendations', part, value: w.recommendations / (part - 1) });
    // Options are a choice: an ask of the closing slide with two or more options, each with its
    // trade-offs, may get a slide that sets them side by side.
    if (w.options > 0) {
      asks.slice(0, d.recommendationsPerSlide).forEach((r, ask) => {
        if (r.options.length >= 2) candidates.push({ kind: 'options', ask, value: w.options });
      });
    }
  }

  const budget = n - fixedFor(n);
  if (budget > candidates.length || budget < 0)
    return { selection: null, diagnostics: [lengthError(n, budget, fixedFor, candidates.length, pack, audience)] };

  // The most valuable first (stable: equal values keep the audience's module order), but never a
  // slide before the one it continues: a later part needs the earlier one, figures and quotes
  // need the module's main slide, whatever weights a profile gives them.
  const pool = candidates
    .map((c, order) => ({ c, order }))
    .sort((a, b) => b.c.value - a.c.value || a.order - b.order)
    .map((x) => x.c);
  const chosen: Candidate[] = [];
  const ready = (c: Candidate): boolean => {
    if (c.kind === 'options') return true;
    if (c.kind === 'recommendations')
      return c.part === 2 || chosen.some((x) => x.kind === 'recommendations' && x.part === c.part - 1);
    if (c.kind === 'part' && c.part === 1) return true;
    const before = c.kind === 'part' ? c.part - 1 : 1;
    return chosen.some((x) => x.kind === 'part' && x.module === c.module && x.part === before);
  };
  while (chosen.length < budget) {
    const next = pool.findIndex(ready);
    if (next < 0) break;
    chosen.push(pool.splice(next, 1)[0]!);
  }
  return {
    selection: {
      frame,
      chosen,
      partsOf: (i) => chosen.filter((c) => c.kind === 'part' && c.module === i).length,
      has: (kind, i) => chosen.some((c) => c.kind === kind && c.module === i),
      askSlides: frame.asks ? 1 + chosen.filter((c) => c.kind === 'recommendations').length : 0,
    },
    diagnostics: [],
  };
}

/**
 * The lengths this pack and audience can fill: every m whose free slides (m - fixedFor(m), which
 * never falls as m grows) are between 0 and the candidates. The same answer whatever length was
 * asked for.
 */
function lengthError(
  n: number,
  budget: number,
  fixedFor: (m: number) => number,
  candidates: number,
  pack: LocalizedPack,
  audience: AudienceProfile,
): Diagnostic {
  const fits = (m: number) => m - fixedFor(m) >= 0 && m - fixedFor(m) <= candidates;
  let least = DECK_PLAN_DEFAULTS.minSlides;
  while (least < LENGTH_LIMITS.slides.max && !fits(least)) least++;
  let most = least;
  while (most < LENGTH_LIMITS.slides.max && fits(most + 1)) most++;
  if (budget < 0) {
    return error(
      'too-few-slides',
      `the \`${audience.id}\` briefing needs at least ${least} slides; asked for ${n}`,
      { file: audience.file, line: 1, col: 1 },
      `ask for \`--slides ${least}\` or more`,
    );
  }
  return error(
    'too-many-slides',
    `the pack \`${pack.id}\` has content for at most ${most} slides for the \`${audience.id}\` audience; asked for ${n}`,
    { ...pack.title.span, line: 1, col: 1 },
    `ask for \`--slides ${most}\` or fewer, or add points, figures or quotes to the modules`,
  );
}
