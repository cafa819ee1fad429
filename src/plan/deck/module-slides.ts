// A module's slides: its points (on one slide or several parts), with a panel beside them (its
// chart, its figures or the decision it needs), then its figures and its quote.
import type { LPoint } from '../../model/localized.js';
import type { Drop, PlanItem } from '../../model/plan.js';
import type { AudienceProfile, Strings } from '../../model/theme.js';
import { fill } from '../format.js';
import type { Ask } from './asks.js';
import { asksFor } from './asks.js';
import { blank, dropOf, punctuation, type Slide, sentencesOf, splitEvenly, unique } from './common.js';
import { DECK_PLAN_DEFAULTS } from './defaults.js';
import { forAudience, type ModuleInfo } from './modules.js';

export interface ModuleSlidesInput {
  m: ModuleInfo;
  /** Slides of its points, and whether it has a figures slide and a quote slide. */
  parts: number;
  figuresSlide: boolean;
  quoteSlide: boolean;
  audience: AudienceProfile;
  strings: Strings;
  /** Points already said as key judgments: not repeated. */
  onSummary: ReadonlySet<string>;
  /** The asks of the closing slide, which a module's panel may state in full. */
  closing: readonly Ask[];
  drops: Drop[];
}

export function moduleSlides(input: ModuleSlidesInput): Slide[] {
  const { m, parts, audience, strings, drops } = input;
  const d = DECK_PLAN_DEFAULTS;
  const s = strings.deck;
  const { labelled, paren, sentences } = punctuation(strings);
  const title = m.module.title.text;
  const out: Slide[] = [];
  // A panel states in full only asks that the closing slide recaps in their short form.
  const inClosing = new Set(input.closing.map((r) => r.ref));
  const moduleAsks = asksFor(m.module.recommendations, audience).filter(
    (r) => inClosing.has(r.ref) && r.short !== null,
  );
  // A chart is the module's evidence at a glance: it takes the panel beside the points on the
  // module's first slide, for every audience.
  const figuresPanel = m.figures.length > 0 && !input.figuresSlide ? 'figures' : null;
  const panel = m.chart
    ? 'chart'
    : audience.deck.sidePanel === 'recommendations' && moduleAsks.length > 0
      ? 'recommendations'
      : figuresPanel;
  const twoColumn = parts === 1 && panel !== null;
  const perPart = twoColumn ? d.pointsTwoColumn : parts === 1 ? d.pointsSingle : d.pointsPerPart;
  const candidates = m.points.filter((p) => !input.onSummary.has(p.ref));
  const selected = new Set(
    forAudience(candidates, audience.id)
      .slice(0, perPart * parts)
      .map((p) => p.ref),
  );
  const shown = candidates.filter((p) => selected.has(p.ref));
  const left = candidates.filter((p) => !selected.has(p.ref));
  for (const p of left) drops.push(dropOf(p.ref, 'point', p.text.text, p.priority, p.text.span));

  const groups = splitEvenly(shown, parts);
  groups.forEach((group, k) => {
    const items = group.map(pointItem);
    const sources = unique(items.map((x) => x.source));
    const base: Slide = {
      // A later part is headed by the module's topic, so its finding is not said twice.
      ...blank('bullets', k === 0 ? m.module.summary.text : fill(s.continued ?? '{title}', { title })),
      module: m.module.id,
      kicker: k === 0 ? title : null,
      items,
      notes: notesForPart(m, k, groups.length, left, strings),
      sources,
    };
    if (k === 0 && m.chart) {
      out.push({
        ...base,
        layout: 'chart',
        items: [],
        columns: [{ heading: null, items }],
        chart: m.chart,
        sources: unique([...sources, m.chart.source]),
      });
    } else if (twoColumn && panel === 'recommendations') {
      // Beside the evidence, what to do about it (for decision-makers: the decision needed).
      const asks: PlanItem[] = [...moduleAsks]
        .sort((a, b) => a.priority - b.priority)
        .slice(0, d.panelRecommendations)
        .map((r) => ({
          ref: r.ref,
          text: r.text.text,
          label: null,
          priority: r.priority,
          source: r.source,
          span: r.text.span,
        }));
      const columns = [
        { heading: null, items },
        { heading: s.panelRecommendations ?? null, items: asks },
      ];
      out.push({
        ...base,
        layout: 'two-column',
        items: [],
        columns,
        sources: unique([...sources, ...asks.map((x) => x.source)]),
      });
    } else if (twoColumn) {
      const facts: PlanItem[] = m.figures
        .slice(0, d.figuresPerSlide)
        .map((f) => ({ ref: f.ref, text: f.label, label: f.value, priority: 2, source: f.source, span: f.span }));
      const columns = [
        { heading: null, items },
        { heading: s.figures ?? null, items: facts },
      ];
      out.push({
        ...base,
        layout: 'two-column',
        items: [],
        columns,
        sources: unique([...sources, ...facts.map((x) => x.source)]),
      });
    } else {
      out.push(base);
    }
  });
  if (input.figuresSlide) {
    const figures = m.figures.slice(0, d.figuresPerSlide);
    const sources = unique(figures.map((f) => f.source));
    out.push({
      ...blank('key-figure', fill(s.inNumbers ?? '{module}', { module: title })),
      module: m.module.id,
      kicker: title,
      // With one source, the slide's source line names it: the cards do not say it again.
      figures: sources.length > 1 ? figures : figures.map((f) => ({ ...f, sourceShort: null })),
      notes: figures
        .map((f) => `${labelled(f.value, f.label)}${f.sourceShort ? paren(f.sourceShort) : ''}`)
        .join('\n\n'),
      sources,
    });
  }
  if (input.quoteSlide) {
    const quote = m.quotes[0]!;
    out.push({
      // The module's topic, not its finding: the finding is the title of its main slide.
      ...blank('quote', title),
      module: m.module.id,
      quote,
      notes: sentences([
        `${quote.by}${quote.paraphrased ? paren(s.paraphrased ?? 'paraphrased') : ''}`,
        m.module.notes?.text ?? null,
      ]),
      sources: unique([quote.source]),
    });
  }
  return out;
}

function pointItem(p: LPoint): PlanItem {
  return { ref: p.ref, text: p.text.text, label: null, priority: p.priority, source: p.source, span: p.text.span };
}

/**
 * Speaker notes for part `k` of a module's slides: the module's notes shared out by sentence, so
 * no two slides repeat them; the last part also lists the points no slide could carry.
 */
function notesForPart(
  m: ModuleInfo,
  k: number,
  parts: number,
  left: readonly LPoint[],
  strings: Strings,
): string | null {
  const said = sentencesOf(m.module.notes?.text ?? '');
  const share = splitEvenly(said, parts)[k] ?? [];
  const out = share.length > 0 ? [share.join('').trim()] : [];
  if (k === parts - 1 && left.length > 0)
    out.push(
      strings.deck.notOnSlides ?? 'Also in the research, not on these slides:',
      ...left.map((p) => `– ${p.text.text}`),
    );
  return out.length > 0 ? out.join('\n\n') : null;
}
