// The deck planner's numbers: how much goes on a slide, and from which length a slide earns its place.

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
  /** Topics the agenda names; when more have slides, it names one fewer and counts the rest. */
  agendaTopics: 8,
  /** Sources the sources slide lists; when the deck cites more, it lists the most cited and counts the rest. */
  sourcesListed: 8,
  glossaryFrom: 7,
  /** A terms slide needs at least this many defined terms, and shows at most `glossaryTerms`. */
  minGlossaryTerms: 3,
  glossaryTerms: 6,
});
