// The planner: exact length, choices by value for the audience, what is left out.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statedBy } from '../src/plan/deck/judgments.js';
import { formatDate } from '../src/plan/format.js';
import { dropFromSlide, planDeck, splitEvenly } from '../src/plan/plan-deck.js';
import { planMemo, rankMemoItems } from '../src/plan/plan-memo.js';
import { prepare } from '../src/prepare.js';
import { FIXTURES, PACK } from './helpers.js';

const prepared = (audience = 'policymaker') => {
  const { prepared: p, diagnostics } = prepare({ content: PACK, lang: 'en', audience });
  if (!p) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return p;
};

describe('planDeck', () => {
  const p = prepared();
  const plan = (slides: number, audience = p.audience) =>
    planDeck({ pack: p.pack, audience, slides, strings: p.templates.strings, marking: null, date: p.date });

  /** The longest deck the pack's content fills for this audience, as the planner reports it. */
  const most = () => Number(/--slides (\d+)/.exec(plan(80).diagnostics[0]!.hints[0]!)![1]);

  it('plans exactly N slides for every N from 3 to the most the content fills (at least 20)', () => {
    expect(most()).toBeGreaterThanOrEqual(20);
    expect(plan(most() + 1).diagnostics[0]!.code).toBe('too-many-slides');
    for (let n = 3; n <= most(); n++) {
      const r = plan(n);
      expect(r.diagnostics, `N=${n}`).toEqual([]);
      expect(r.plan!.slides).toHaveLength(n);
      expect(r.plan!.slides.map((s) => s.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(r.plan!.slides[0]!.layout).toBe('title');
      expect(r.plan!.slides[1]!.layout).toBe('summary');
    }
  });

  it('numbers the asks on across their "continued" slides, also after an item is dropped', () => {
    const asks = (slides: readonly { layout: string; listStart: number; items: unknown[] }[]) =>
      slides.filter((s) => s.layout === 'recommendations');
    const r = plan(20).plan!;
    const parts = asks(r.slides);
    expect(parts.length).toBeGreaterThan(1);
    let next = 1;
    for (const s of parts) {
      expect(s.listStart).toBe(next);
      next += s.items.length;
    }
    // Dropping is by priority: make the asks droppable for this test.
    const droppable = {
      ...r,
      slides: r.slides.map((s) =>
        s.layout === 'recommendations' ? { ...s, items: s.items.map((i) => ({ ...i, priority: 2 as const })) } : s,
      ),
    };
    const first = r.slides.findIndex((s) => s.layout === 'recommendations') + 1;
    const dropped = dropFromSlide(droppable, first)!;
    expect(asks(dropped.slides)[1]!.listStart).toBe(asks(dropped.slides)[0]!.items.length + 1);
  });

  it('refuses fewer than three slides, and more than the content can fill, with a hint', () => {
    expect(plan(2).diagnostics[0]!.code).toBe('too-few-slides');
    const tooMany = plan(80).diagnostics[0]!;
    expect(tooMany.code).toBe('too-many-slides');
    expect(tooMany.hints[0]).toMatch(/--slides \d+/);
  });

  it('uses every layout somewhere between 10 and the longest deck, options for defence staff, quotes as spoken', () => {
    const layouts = new Set<string>();
    for (const n of [10, 20, most()]) for (const s of plan(n).plan!.slides) layouts.add(s.layout);
    for (const s of plan(10, prepared('security').audience).plan!.slides) layouts.add(s.layout);
    // The built-in pack knows its quotations only through a translation, so it shows none; the
    // second pack quotes words as spoken.
    expect(layouts.has('quote')).toBe(false);
    const cables = prepare({ content: join(FIXTURES, 'packs', 'valid-cables'), lang: 'en', audience: 'policymaker' })
      .prepared!;
    for (const n of [8, 16])
      for (const s of planDeck({ ...cables, slides: n, strings: cables.templates.strings, marking: null }).plan!.slides)
        layouts.add(s.layout);
    expect([...layouts].sort()).toEqual([
      'agenda',
      'bullets',
      'chart',
      'key-figure',
      'options',
      'quote',
      'recommendations',
      'sources',
      'summary',
      'title',
      'two-column',
    ]);
  });

  it('gives the most relevant modules their own slides first', () => {
    const slides = plan(6).plan!.slides.filter((s) => s.module);
    const relevance = (id: string) => p.pack.modules.find((m) => m.id === id)!.relevance.policymaker ?? 0.5;
    const shown = new Set(slides.map((s) => s.module!));
    const hidden = p.pack.modules.filter((m) => !shown.has(m.id));
    for (const h of hidden) for (const s of shown) expect(relevance(s)).toBeGreaterThanOrEqual(relevance(h.id));
  });

  it('reports every point that is not on a slide as dropped', () => {
    const r = plan(10).plan!;
    const onSlides = new Set(
      r.slides.flatMap((s) => [...s.items, ...s.columns.flatMap((c) => c.items)]).map((x) => x.ref),
    );
    const dropped = new Set(r.drops.map((d) => d.ref));
    // A point that a judgment on the summary states is said there.
    const stated = statedBy(r.slides[1]!.items, p.pack.modules);
    expect(stated.size).toBeGreaterThan(0);
    for (const m of p.pack.modules) {
      for (const pt of m.points) {
        const visible = !pt.audiences || pt.audiences.includes('policymaker');
        expect(onSlides.has(pt.ref) || dropped.has(pt.ref) || stated.has(pt.ref), pt.ref).toBe(visible);
        if (stated.has(pt.ref)) expect(onSlides.has(pt.ref), pt.ref).toBe(false);
      }
    }
  });

  it('cites the sources of a slide in its footer line', () => {
    const s = plan(20).plan!.slides.find((x) => x.layout === 'bullets')!;
    expect(s.sourceLine).toMatch(/^Sources?: /);
  });

  it('drops the least important item of an overflowing slide, never an essential one', () => {
    const r = plan(20).plan!;
    const n = r.slides.findIndex((s) => s.items.some((x) => x.priority > 1)) + 1;
    expect(n).toBeGreaterThan(0);
    const before = r.slides[n - 1]!.items;
    const after = dropFromSlide(r, n)!;
    const removed = before.filter((x) => !after.slides[n - 1]!.items.includes(x));
    expect(removed).toHaveLength(1);
    expect(removed[0]!.priority).toBe(Math.max(...before.map((x) => x.priority)));
    expect(after.drops.at(-1)!.reason).toBe('overflow');
    // A slide with only essentials left cannot be shortened…
    const essentialOn = (k: number, layout?: 'bullets') => ({
      ...r,
      slides: r.slides.map((s, i) =>
        i === k - 1
          ? { ...s, ...(layout ? { layout } : {}), items: s.items.map((x) => ({ ...x, priority: 1 as const })) }
          : s,
      ),
    });
    expect(dropFromSlide(essentialOn(n, 'bullets'), n)).toBeNull();
    // …except the bottom line slide, whose last judgments give way, down to the first.
    const summary = r.slides.findIndex((s) => s.layout === 'summary') + 1;
    const all = essentialOn(summary);
    const judgments = all.slides[summary - 1]!.items;
    expect(judgments.length).toBeGreaterThan(1);
    const shorter = dropFromSlide(all, summary)!;
    expect(shorter.slides[summary - 1]!.items).toEqual(judgments.slice(0, -1));
    let one = all;
    for (let k = 1; k < judgments.length; k++) one = dropFromSlide(one, summary)!;
    expect(one.slides[summary - 1]!.items).toHaveLength(1);
    expect(dropFromSlide(one, summary)).toBeNull();
  });

  it('splits lists into nearly equal groups in order', () => {
    expect(splitEvenly([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitEvenly([1, 2, 3], 3)).toEqual([[1], [2], [3]]);
  });
});

describe('planMemo', () => {
  const p = prepared();
  it('ranks charts as the profile says: first, with the supporting points, or not at all', () => {
    const q = prepared('industry');
    expect(q.audience.memo.charts).toBe('first');
    const rankOf = (charts: 'first' | 'supporting' | 'none') =>
      rankMemoItems(q.pack, { ...q.audience, memo: { ...q.audience.memo, charts } });
    const first = rankOf('first');
    const supporting = rankOf('supporting');
    expect(first.filter((r) => r.kind === 'chart')).toHaveLength(1);
    expect(rankOf('none').some((r) => r.kind === 'chart')).toBe(false);
    // Charts move ahead of the supporting points when they come first.
    const firstChart = (xs: typeof first) => xs.findIndex((r) => r.kind === 'chart');
    expect(firstChart(first)).toBeLessThan(firstChart(supporting));
    expect(prepared('policymaker').audience.memo.charts).toBe('supporting');
  });

  it('takes key judgments from as many modules as it can, so their labels do not repeat', () => {
    for (const audience of ['policymaker', 'security', 'industry', 'partners', 'public']) {
      const q = prepared(audience);
      const plan = planMemo(
        { pack: q.pack, audience: q.audience, pages: 3, strings: q.templates.strings, marking: null, date: q.date },
        new Set(rankMemoItems(q.pack, q.audience).map((r) => r.ref)),
      );
      const labels = plan.judgments.map((j) => j.label);
      const modules = q.pack.modules.filter((m) => (m.relevance[audience] ?? 0) > 0).length;
      if (labels.length <= modules)
        expect(new Set(labels).size, `${audience}: ${labels.join(' | ')}`).toBe(labels.length);
    }
  });

  it('ranks judgments first, recommendations by priority and relevance, targeted points higher', async () => {
    const { recommendationRank } = await import('../src/plan/select.js');
    for (const audience of ['policymaker', 'industry', 'partners']) {
      const q = prepared(audience);
      const ranking = rankMemoItems(q.pack, q.audience);
      const kinds = ranking.map((r) => r.kind);
      // Judgments lead: the essential ones, then the first three asks, come before any point.
      expect(kinds.indexOf('summary')).toBe(0);
      const firstPoint = kinds.indexOf('point');
      for (const [i, r] of ranking.entries())
        if (r.kind === 'summary' && r.essential) expect(i).toBeLessThan(firstPoint);
      expect(ranking.slice(0, firstPoint).filter((r) => r.kind === 'recommendation').length).toBe(
        Math.min(5, ranking.filter((r) => r.kind === 'recommendation').length),
      );
      // Recommendations in order of priority, softened by their module's relevance.
      const recRanks = ranking
        .filter((r) => r.kind === 'recommendation')
        .map((r) => {
          const m = q.pack.modules.find((x) => x.id === r.module)!;
          return recommendationRank(
            m.recommendations.find((x) => x.ref === r.ref)!.priority,
            m.relevance[audience] ?? 0.5,
          );
        });
      expect(recRanks).toEqual([...recRanks].sort((a, b) => a - b));
      // Within a module, a point written for this audience comes before a general one of the same priority.
      for (const m of q.pack.modules) {
        const order = ranking
          .filter((r) => r.kind === 'point' && r.module === m.id)
          .map((r) => m.points.find((x) => x.ref === r.ref)!);
        for (let i = 1; i < order.length; i++) {
          const [a, b] = [order[i - 1]!, order[i]!];
          if (a.priority === b.priority && b.audiences?.includes(audience))
            expect(a.audiences?.includes(audience), `${a.ref} before ${b.ref}`).toBe(true);
        }
      }
    }
  });

  it('builds sections only for modules with two points kept, or one and a chart', () => {
    const input = {
      pack: p.pack,
      audience: p.audience,
      pages: 1,
      strings: p.templates.strings,
      marking: null,
      date: p.date,
    };
    const keep = new Set(['economy/points/1', 'economy/points/5', 'economy/judgment']);
    const plan = planMemo(input, keep);
    expect(plan.sections.map((s) => s.module)).toEqual(['economy']);
    const lone = planMemo(input, new Set(['economy/points/1', 'economy/judgment']));
    expect(lone.sections).toEqual([]);
    expect(lone.drops.map((d) => d.ref)).toContain('economy/points/1');
    expect(plan.judgments.map((j) => j.ref)).toEqual(['economy/judgment']);
    expect(plan.header.to).toBe('Senior policymakers');
    // Kahl & Mitre, and the commentary they were read in (`via`).
    expect(plan.sources.map((s) => s.id)).toEqual(['kahl-mitre-2025', 'guohua-2025']);
  });
});

describe('composeDeck', () => {
  it('fits every length from 3 to the longest deck without an error', async () => {
    const { composeDeck } = await import('../src/pipeline.js');
    const p = prepared();
    const most = Number(
      /--slides (\d+)/.exec(
        planDeck({
          pack: p.pack,
          audience: p.audience,
          slides: 80,
          strings: p.templates.strings,
          marking: null,
          date: p.date,
        }).diagnostics[0]!.hints[0]!,
      )![1],
    );
    for (let n = 3; n <= most; n++) {
      const { deck, diagnostics } = composeDeck(p, n);
      expect(
        diagnostics.filter((d) => d.severity === 'error'),
        `N=${n}`,
      ).toEqual([]);
      expect(deck!.layout.slides).toHaveLength(n);
      for (const boxes of deck!.layout.fit) for (const b of boxes) expect(b.overflow, `N=${n} ${b.box}`).toBe(false);
    }
  });

  it('fits every audience', async () => {
    const { composeDeck, composeMemo } = await import('../src/pipeline.js');
    for (const audience of ['policymaker', 'security', 'industry', 'partners', 'public']) {
      expect(composeDeck(prepared(audience), 10).deck?.layout.slides, audience).toHaveLength(10);
      expect(composeMemo(prepared(audience), 1).memo?.layout.pages, audience).toHaveLength(1);
    }
  });
});

describe('English typography', () => {
  it('sets straight quotes and apostrophes as typographic ones, and leaves web addresses alone', async () => {
    const { curlyQuotes } = await import('../src/localize/localize-pack.js');
    expect(curlyQuotes(`The grid's load`)).toBe('The grid’s load');
    expect(curlyQuotes(`"Good enough" AI, he said 'twice'`)).toBe('“Good enough” AI, he said ‘twice’');
    expect(curlyQuotes(`the '90s and Jones' book`)).toBe('the ’90s and Jones’ book');
    expect(curlyQuotes(`("quoted") — "b"`)).toBe('(“quoted”) — “b”');
    expect(curlyQuotes(`see https://x.org/a'b"c now`)).toBe(`see https://x.org/a'b"c now`);
  });
});

describe('formatDate', () => {
  it('writes the long dates Intl writes, without Intl for the built-in locales', () => {
    const days = [
      '2025-03-12',
      '0001-01-01',
      '0005-02-28',
      '0999-12-31',
      '1000-10-10',
      '1911-12-31',
      '1912-01-01',
      '2024-02-29',
      '9999-12-31',
    ];
    for (let y = 1890; y <= 2110; y += 7)
      for (let m = 1; m <= 12; m++)
        days.push(`${y}-${String(m).padStart(2, '0')}-${String(((y + m) % 28) + 1).padStart(2, '0')}`);
    for (const locale of [
      'en-GB',
      'en-US',
      'en',
      'zh',
      'zh-CN',
      'zh-TW',
      'zh-HK',
      'zh-Hans',
      'zh-Hant',
      'zh-TW-u-ca-roc',
      'fr-FR',
    ]) {
      const intl = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
      const strings = { lang: 'en', dateLocale: locale } as Parameters<typeof formatDate>[1];
      for (const day of days) {
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        const date = new Date(Date.UTC(2000, 0, 1));
        date.setUTCFullYear(y, m - 1, d);
        expect(formatDate(day, strings), `${locale} ${day}`).toBe(intl.format(date));
      }
    }
  });
});
