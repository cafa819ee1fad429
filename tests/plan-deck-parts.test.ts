// The deck planner's parts (src/plan/deck/), each on its own: selection, modules, judgments,
// module slides, the ask, the frame slides. The whole planner is tested in plan.test.ts.
import { describe, expect, it } from 'vitest';
import type { LModule, LPoint } from '../src/model/localized.js';
import { askSlides, asksFor, askText, optionsSlide, rankAsks } from '../src/plan/deck/asks.js';
import { agendaSlide, glossarySlide, sourcesSlide, summarySlide } from '../src/plan/deck/frame-slides.js';
import { judgmentOf, keyJudgments } from '../src/plan/deck/judgments.js';
import { moduleSlides } from '../src/plan/deck/module-slides.js';
import { inAudienceOrder, moduleInfos } from '../src/plan/deck/modules.js';
import { selectSlides } from '../src/plan/deck/selection.js';
import { planMeta } from '../src/plan/plan-deck.js';
import { prepare } from '../src/prepare.js';
import { PACK } from './helpers.js';

const prepared = (audience = 'policymaker', lang: 'en' | 'zh-Hant' = 'en') => {
  const { prepared: p, diagnostics } = prepare({ content: PACK, lang, audience });
  if (!p) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return p;
};
const span = { file: 'm.yaml', line: 1, col: 1 };
const point = (ref: string, text: string, audiences: string[] | null = null, priority: 1 | 2 | 3 = 1): LPoint => ({
  ref,
  text: { text, span },
  id: null,
  priority,
  source: null,
  at: null,
  audiences,
  replaces: [],
});
const moduleOf = (id: string, points: LPoint[], place: LModule['place'] = null): LModule => ({
  id,
  file: `${id}.yaml`,
  title: { text: id.toUpperCase(), span },
  summary: { text: `${id} summary`, span },
  judgment: null,
  place,
  relevance: {},
  points,
  facts: [],
  quotes: [],
  recommendations: [],
  notes: null,
});

describe('modules', () => {
  it('reads the opening module first and the closing one last, the rest by relevance', () => {
    const mods = [
      { id: 'a', relevance: { x: 0.5 }, place: null },
      { id: 'b', relevance: { x: 0.2 }, place: 'closing' as const },
      { id: 'c', relevance: { x: 0.9 }, place: null },
      { id: 'd', relevance: { x: 0.1 }, place: 'opening' as const },
    ];
    expect(inAudienceOrder(mods, 'x', 'relevance').map((m) => m.module.id)).toEqual(['d', 'c', 'a', 'b']);
    expect(inAudienceOrder(mods, 'x', 'pack').map((m) => m.module.id)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('offers only quantities as figures, and only charts that compare', () => {
    const p = prepared();
    const infos = moduleInfos(p.pack, p.audience, p.templates.strings);
    for (const m of infos) for (const f of m.figures) expect(f.value).toMatch(/\d|萬/);
    expect(infos.filter((m) => m.chart).map((m) => m.module.id)).toEqual(['economy']);
  });
});

describe('judgments', () => {
  it('takes one targeted point per module before a second, and lets one that repeats the bottom line’s figure give way', () => {
    const infos = [
      {
        module: moduleOf('m1', []),
        relevance: 1,
        points: [
          point('m1/1', 'Unemployment could reach 20%.', ['pub']),
          point('m1/2', 'Robots will do more.', ['pub']),
        ],
      },
      { module: moduleOf('m2', []), relevance: 0.9, points: [point('m2/1', 'Safety first.', ['pub'])] },
      { module: moduleOf('m3', []), relevance: 0.8, points: [point('m3/1', 'Jobs change.', ['pub'])] },
    ];
    expect(keyJudgments(infos, 'pub', 3).map((j) => j.ref)).toEqual(['m1/1', 'm2/1', 'm3/1']);
    expect(
      keyJudgments(infos, 'pub', 3, 'Unemployment could hit 20 %, an executive warned.').map((j) => j.ref),
    ).toEqual(['m1/2', 'm2/1', 'm3/1']);
  });

  it('states a module’s judgment, sourced to its evidence; without one, its first essential point with a figure, or its summary as a sentence', () => {
    const p = prepared();
    const economy = p.pack.modules.find((m) => m.id === 'economy')!;
    expect(judgmentOf(economy, 1)).toMatchObject({
      ref: 'economy/judgment',
      label: 'Economic adoption and industry',
      source: 'kahl-mitre-2025',
    });
    expect(judgmentOf(moduleOf('x', []), 2)).toMatchObject({ ref: 'x/summary', text: 'x summary.', priority: 2 });
    const figured = moduleOf('y', [
      point('y/points/1', 'No figure here.'),
      point('y/points/2', 'Cables carry 99% of the data.'),
    ]);
    expect(judgmentOf(figured, 1)).toMatchObject({ ref: 'y/points/2', text: 'Cables carry 99% of the data.' });
  });
});

describe('selection', () => {
  it('fills exactly the free slides, never a later part before the first, and reports the lengths it can fill', () => {
    const p = prepared();
    const infos = moduleInfos(p.pack, p.audience, p.templates.strings);
    const asks = rankAsks(infos, p.audience);
    const { selection } = selectSlides(10, infos, asks, 0, p.pack, p.audience);
    expect(selection!.frame).toMatchObject({ summary: true, asks: true, agenda: false, sources: false });
    expect(selection!.chosen).toHaveLength(10 - 3);
    for (const c of selection!.chosen)
      if (c.kind === 'part' && c.part > 1)
        expect(selection!.chosen).toContainEqual(
          expect.objectContaining({ kind: 'part', module: c.module, part: c.part - 1 }),
        );
    expect(selectSlides(12, infos, asks, 0, p.pack, p.audience).selection!.frame).toMatchObject({
      agenda: true,
      sources: true,
    });
    const tooMany = selectSlides(90, infos, asks, 0, p.pack, p.audience).diagnostics[0]!;
    expect(tooMany.code).toBe('too-many-slides');
  });
});

describe('the ask', () => {
  it('asks partners only about what to do together; a recommendation of no kind counts for all', () => {
    const p = prepared('partners');
    const list = [
      { id: null, kind: 'domestic' as const, audiences: null, replaces: [] },
      { id: null, kind: 'international' as const, audiences: null, replaces: [] },
      { id: null, kind: null, audiences: null, replaces: [] },
    ];
    expect(asksFor(list, p.audience).map((r) => r.kind)).toEqual(['international', null]);
    expect(asksFor(list, prepared().audience)).toHaveLength(3);
  });

  it('states an ask short, with its owner and timing, before a closing stop', () => {
    const t = (text: string) => ({ text });
    const pu = prepared().templates.strings.punct;
    expect(
      askText({ text: t('Do it all.'), short: t('Do it'), owner: t('the Treasury'), timing: t('by June') }, true, pu),
    ).toBe('Do it (the Treasury, by June)');
    expect(
      askText({ text: t('Do it all.'), short: t('Do it'), owner: t('the Treasury'), timing: null }, false, pu),
    ).toBe('Do it all (the Treasury).');
    const zh = prepared('policymaker', 'zh-Hant').templates.strings.punct;
    expect(askText({ text: t('全面推動。'), short: null, owner: t('行政院'), timing: t('年底前') }, true, zh)).toBe(
      '全面推動（行政院，年底前）。',
    );
  });

  it('closes on five asks at most and numbers the backup slides on, dropping what does not fit', () => {
    const p = prepared();
    const asks = rankAsks(moduleInfos(p.pack, p.audience, p.templates.strings), p.audience);
    const drops: import('../src/model/plan.js').Drop[] = [];
    const slides = askSlides(asks, 2, p.pack, p.templates.strings, drops);
    expect(slides.map((s) => s.items.length)).toEqual([5, Math.min(5, asks.length - 5)]);
    expect(slides[1]!.listStart).toBe(6);
    expect(drops).toHaveLength(Math.max(0, asks.length - 10));
    expect(askSlides(asks, 0, p.pack, p.templates.strings, [])).toEqual([]);
  });

  it('sets two options side by side, with what speaks for and against each', () => {
    const p = prepared('security');
    const asks = rankAsks(moduleInfos(p.pack, p.audience, p.templates.strings), p.audience);
    const slide = optionsSlide(asks.find((r) => r.options.length >= 2)!, p.pack, p.templates.strings);
    expect(slide.layout).toBe('options');
    expect(slide.columns).toHaveLength(2);
    expect(slide.columns.map((c) => c.items.map((i) => i.label))).toEqual([
      [null, 'For:', 'Against:'],
      [null, 'For:', 'Against:'],
    ]);
    expect(slide.notes).toContain('Protect the lead');
  });
});

describe('module slides', () => {
  it('puts the decision beside the evidence only when the closing slide recaps it short, and repeats no key judgment', () => {
    const p = prepared();
    const infos = moduleInfos(p.pack, p.audience, p.templates.strings);
    const asks = rankAsks(infos, p.audience);
    const m = infos.find((x) => x.module.id === 'innovation')!;
    const base = {
      m,
      parts: 1,
      figuresSlide: false,
      quoteSlide: false,
      audience: p.audience,
      strings: p.templates.strings,
      onSummary: new Set([m.points[0]!.ref]),
      drops: [],
    };
    const withAsk = moduleSlides({ ...base, closing: asks.slice(0, 5) });
    expect(withAsk[0]!.layout).toBe('two-column');
    expect(withAsk[0]!.columns[1]!.heading).toBe('What the authors urge Washington to do');
    expect(withAsk[0]!.columns[0]!.items.map((i) => i.ref)).not.toContain(m.points[0]!.ref);
    // Without the ask on the closing slide, the panel shows the module's figures.
    const without = moduleSlides({ ...base, closing: [] });
    expect(without[0]!.columns[1]!.heading).toBe('Key figures');
  });

  it('heads a later part with the module’s topic, not its finding again', () => {
    const p = prepared();
    const m = moduleInfos(p.pack, p.audience, p.templates.strings).find((x) => x.maxParts >= 2)!;
    const slides = moduleSlides({
      m,
      parts: 2,
      figuresSlide: false,
      quoteSlide: false,
      audience: p.audience,
      strings: p.templates.strings,
      onSummary: new Set(),
      closing: [],
      drops: [],
    });
    expect(slides[0]!.title).toBe(m.module.summary.text);
    expect(slides[1]!.title).toBe(`${m.module.title.text} (continued)`);
    expect(slides[1]!.kicker).toBeNull();
  });
});

describe('frame slides', () => {
  it('gives the summary’s notes the figures its judgments rest on', () => {
    const p = prepared();
    const meta = planMeta(p.pack, p.audience, p.templates.strings, p.date, null);
    const economy = p.pack.modules.find((m) => m.id === 'economy')!;
    const slide = summarySlide(meta, [judgmentOf(economy, 1)], p.pack, p.templates.strings);
    expect(slide.lead).toBe(meta.bluf);
    expect(slide.notes).toBe(
      '~50%: Share of the world’s industrial robots bought by Chinese manufacturers in 2024: half, the source says (Kahl & Mitre, Foreign Affairs (2025), via 國華P)',
    );
  });

  it('lists the modules shown on the agenda, the terms the deck uses first, and the sources it cites', () => {
    const p = prepared('public');
    const strings = p.templates.strings;
    const infos = moduleInfos(p.pack, p.audience, strings);
    const agenda = agendaSlide(infos.slice(0, 2), [], true, p.pack, strings);
    expect(agenda.items.map((i) => i.label)).toEqual([
      ...infos.slice(0, 2).map((m) => m.module.title.text),
      'What the authors want Washington to do',
    ]);
    expect(agenda.closing).toBeNull();
    // Topics without a slide are counted under the list, and named in the notes…
    const partial = agendaSlide(infos.slice(0, 2), infos.slice(2), true, p.pack, strings);
    expect(infos.length - 2).toBeGreaterThan(3);
    expect(partial.closing).toBe(`${infos.length - 2} topics in the research have no slide in this deck.`);
    expect(partial.notes).toContain(`Not in this deck: ${infos[2]!.module.title.text}`);
    // …and a few are named on the slide itself.
    const few = agendaSlide(infos.slice(0, -2), infos.slice(-2), true, p.pack, strings);
    expect(few.closing).toBe(
      `Not covered here: ${infos
        .slice(-2)
        .map((m) => m.module.title.text)
        .join('; ')}.`,
    );
    const said = [
      {
        ...summarySlide(planMeta(p.pack, p.audience, strings, p.date, null), [], p.pack, strings),
        title: 'Export controls and compute',
      },
    ];
    const terms = glossarySlide(said, p.pack, strings).items.map((i) => i.label);
    expect(terms).toContain('export controls');
    expect(terms).toContain('compute');
    const sources = sourcesSlide(
      new Set(['guohua-2025']),
      [],
      [],
      planMeta(p.pack, p.audience, strings, p.date, null),
      p.pack,
      strings,
    );
    expect(sources.items.map((i) => i.ref)).toEqual(['sources/guohua-2025']);
  });
});

describe('common', () => {
  it('sets a title as a headline: no closing full stop, an abbreviation’s kept', async () => {
    const { blank } = await import('../src/plan/deck/common.js');
    expect(blank('bullets', 'China may move faster.').title).toBe('China may move faster');
    expect(blank('bullets', '中國可能搶先一步。').title).toBe('中國可能搶先一步');
    expect(blank('bullets', 'Chips made in the U.S.').title).toBe('Chips made in the U.S.');
    expect(blank('bullets', 'Who keeps it safe?').title).toBe('Who keeps it safe?');
  });
});
