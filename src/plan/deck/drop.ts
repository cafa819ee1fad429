// After layout: dropping the least important item of a slide that does not fit even at the
// smallest step of the type scale, and numbering the asks on again.
import type { DeckPlan, Drop, SlidePlan } from '../../model/plan.js';
import type { Strings } from '../../model/theme.js';
import { dropOf } from './common.js';
import { foldAgenda, foldSources, withAgendaCount } from './frame-slides.js';

/** Without the template's strings, the English defaults. */
const NO_STRINGS: Strings = { lang: 'en', dateFormat: 'long', deck: {}, memo: {}, punct: {}, citation: {} };

/**
 * Drops the least important item of one slide, for when it does not fit even at the smallest
 * font size. Returns null when only essentials are left.
 */
export function dropFromSlide(plan: DeckPlan, slideNumber: number, strings: Strings = NO_STRINGS): DeckPlan | null {
  const slide = plan.slides[slideNumber - 1];
  if (!slide) return null;
  // The agenda and the sources slide name fewer (and count the others); nothing leaves the deck.
  if (slide.layout === 'agenda' || slide.layout === 'sources') {
    const folded =
      slide.layout === 'agenda'
        ? foldAgenda(slide)
        : foldSources(slide, plan.slides, Math.max(plan.sources.length, slide.items.length), strings);
    if (!folded) return null;
    const slides = plan.slides.map((s, i) => (i === slideNumber - 1 ? folded : s));
    return { ...plan, slides: withAgendaCount(slides, strings) };
  }
  type Loc = { list: 'items' | 'figures'; column: number; index: number; priority: number };
  const locs: Loc[] = [];
  for (const [index, x] of slide.items.entries()) locs.push({ list: 'items', column: -1, index, priority: x.priority });
  for (const [column, c] of slide.columns.entries())
    for (const [index, x] of c.items.entries()) locs.push({ list: 'items', column, index, priority: x.priority });
  for (const [index, x] of slide.figures.entries())
    locs.push({ list: 'figures', column: -1, index, priority: x.priority });
  let droppable = locs.filter((l) => l.priority > 1);
  // The bottom line slide keeps its bottom line and first judgment; on a narrow slide (4:3) the
  // last judgments give way (each module keeps its own slides) before anything is set too small.
  if (droppable.length === 0 && slide.layout === 'summary' && locs.length > 1) droppable = [locs[locs.length - 1]!];
  if (droppable.length === 0 || locs.length <= 1) return null;
  // The lowest priority; among equals, the last one.
  const victim = droppable.reduce((a, b) => (b.priority >= a.priority ? b : a));
  const next: SlidePlan = {
    ...slide,
    items: [...slide.items],
    columns: slide.columns.map((c) => ({ ...c, items: [...c.items] })),
    figures: [...slide.figures],
  };
  let dropped: Drop;
  if (victim.list === 'figures') {
    const [f] = next.figures.splice(victim.index, 1);
    dropped = dropOf(f!.ref, 'fact', `${f!.value} ${f!.label}`, f!.priority, f!.span, 'overflow', slideNumber);
  } else {
    const list = victim.column >= 0 ? next.columns[victim.column]!.items : next.items;
    const [x] = list.splice(victim.index, 1);
    const kind = x!.ref.includes('/recommendations/')
      ? 'recommendation'
      : /\/(?:summary|judgment)$/.test(x!.ref)
        ? 'summary'
        : 'point';
    dropped = dropOf(
      x!.ref,
      kind,
      x!.label ? `${x!.label}: ${x!.text}` : x!.text,
      x!.priority,
      x!.span,
      'overflow',
      slideNumber,
    );
  }
  const slides = numberAsks(plan.slides.map((s, i) => (i === slideNumber - 1 ? withoutEmptyColumn(next) : s)));
  return { ...plan, slides, drops: [...plan.drops, dropped] };
}
/**
 * A two-column slide whose side column lost its last item becomes a slide of bullets: a panel
 * with a heading (“Key figures”) and nothing under it would be left otherwise.
 */
function withoutEmptyColumn(slide: SlidePlan): SlidePlan {
  if (slide.layout !== 'two-column' || slide.columns.every((c) => c.items.length > 0)) return slide;
  const left = slide.columns.filter((c) => c.items.length > 0);
  if (left.length > 1) return { ...slide, columns: left };
  return { ...slide, layout: 'bullets', items: [...slide.items, ...(left[0]?.items ?? [])], columns: [] };
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
