// Big packs: a generated pack of 70 modules makes a 30-slide deck in en and zh-Hant, its agenda,
// bottom line and sources read as a selection of the research, and every length a fit hint
// names has been built. The pack is made once by scripts/gen-pack.mjs (the bench's generator).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/model/diagnostic.js';
import type { Lang } from '../src/model/lang.js';
import type { DeckPlan } from '../src/model/plan.js';
import { composeDeck, composeMemo, type DeckBuild } from '../src/pipeline.js';
import { type BuildCache, type Prepared, prepare } from '../src/prepare.js';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

const SLIDES = 30;
let pack = '';
const cache: BuildCache = { packs: new Map(), templates: new Map(), prepared: new Map() };
const builds = new Map<Lang, { prepared: Prepared; deck: DeckBuild | null; diagnostics: Diagnostic[] }>();

function ready(content: string, lang: Lang): Prepared {
  const { prepared, diagnostics } = prepare({ content, lang, audience: 'policymaker' }, cache);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return prepared!;
}

beforeAll(() => {
  pack = join(tempDir('briefing-scale-'), 'p70');
  const made = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-pack.mjs'), '70', pack], { encoding: 'utf8' });
  expect(made.stderr).toBe('');
  for (const lang of ['en', 'zh-Hant'] as const) {
    const prepared = ready(pack, lang);
    builds.set(lang, { prepared, ...composeDeck(prepared, SLIDES) });
  }
}, 60_000);

describe.each(['en', 'zh-Hant'] as const)('a 70-module pack, %s', (lang) => {
  const get = () => builds.get(lang)!;
  const plan = (): DeckPlan => get().deck!.plan;
  const slide = (layout: string) => plan().slides.find((s) => s.layout === layout)!;

  it(`makes ${SLIDES} slides with nothing out of its box`, () => {
    const { deck, diagnostics } = get();
    expect(diagnostics.filter((d) => d.severity === 'error' || d.code.startsWith('fit-'))).toEqual([]);
    expect(deck!.layout.slides).toHaveLength(SLIDES);
    for (const s of deck!.layout.slides)
      for (const shape of s.shapes) if (shape.type === 'text') expect(shape.fit.overflow).toBe(false);
  });

  it('names a few topics on the agenda and counts the rest, with and without slides', () => {
    const { prepared } = get();
    const agenda = slide('agenda');
    const withSlides = [...new Set(plan().slides.flatMap((s) => (s.module ? [s.module] : [])))];
    const named = agenda.items.filter((i) => !i.ref.startsWith('agenda/'));
    const more = agenda.items.find((i) => i.ref === 'agenda/more')!;
    expect(named.length).toBeGreaterThan(1);
    expect(named.length).toBeLessThanOrEqual(8);
    expect(named.map((i) => i.ref)).toEqual(withSlides.slice(0, named.length).map((m) => `${m}/title`));
    // The count and the slides it gives are those of the topics not named.
    const rest = plan().slides.filter((s) => s.module && !named.some((i) => i.ref === `${s.module}/title`));
    const count = withSlides.length - named.length;
    const first = rest[0]!.number;
    const last = rest[rest.length - 1]!.number;
    if (lang === 'en') {
      expect(more.label).toBe(`${count} more topics`);
      expect(more.text).toBe(`on slides ${first}–${last}`);
    } else {
      // No space before full-width punctuation: the slides join the label.
      expect(more.label).toBe(`另有${count}項主題（第${first}至${last}張）`);
      expect(more.text).toBe('');
    }
    const relevant = prepared.pack.modules.filter((m) => (m.relevance.policymaker ?? 0.5) > 0).length;
    expect(agenda.closing).toContain(String(relevant - withSlides.length));
    // The asks close the list.
    expect(agenda.items[agenda.items.length - 1]!.ref).toBe('agenda/recommendations');
  });

  it('opens with the bottom line and judgments from topics of the pack', () => {
    const { prepared } = get();
    const summary = slide('summary');
    expect(summary.lead).toBe(plan().meta.bluf);
    expect(summary.items.length).toBeGreaterThan(0);
    const titles = new Set(prepared.pack.modules.map((m) => m.title.text));
    for (const j of summary.items) expect(titles.has(j.label!)).toBe(true);
  });

  it('lists the most cited sources and counts the others', () => {
    const sources = slide('sources');
    const cited = new Set(plan().slides.flatMap((s) => s.sources));
    expect(plan().sources.length).toBeGreaterThan(8);
    expect(sources.items.length).toBeLessThanOrEqual(8);
    for (const i of sources.items) expect(cited.has(i.ref.replace('sources/', ''))).toBe(true);
    const others = plan().sources.length - sources.items.length;
    expect(sources.lead).toContain(String(others));
    // The sources cited on the most slides are the ones listed.
    const count = (id: string) => plan().slides.filter((s) => s.sources.includes(id)).length;
    const listed = sources.items.map((i) => count(i.ref.replace('sources/', '')));
    const unlisted = plan()
      .sources.filter((x) => !sources.items.some((i) => i.ref === `sources/${x.id}`))
      .map((x) => count(x.id));
    expect(Math.min(...listed)).toBeGreaterThanOrEqual(Math.max(...unlisted));
  });
});

describe('fit hints', () => {
  const lengthIn = (d: Diagnostic | undefined, unit: string) =>
    Number(new RegExp(`--${unit} (\\d+)`).exec(d?.hints.join(' ') ?? '')?.[1]);

  // A small pack, so that the builds are quick.
  const SMALL = join(FIXTURES, 'packs', 'valid');

  it('name a deck length that builds', () => {
    const prepared = ready(SMALL, 'en');
    const failed = composeDeck(prepared, 60);
    expect(failed.deck).toBeNull();
    const n = lengthIn(failed.diagnostics[0], 'slides');
    expect(n).toBeGreaterThan(3);
    expect(composeDeck(prepared, n).deck!.layout.slides).toHaveLength(n);
  });

  it('name a memo length that builds', () => {
    const prepared = ready(SMALL, 'en');
    const failed = composeMemo(prepared, 3);
    expect(failed.memo).toBeNull();
    expect(failed.diagnostics.map((d) => d.code)).toEqual(['fit-too-short']);
    const n = lengthIn(failed.diagnostics[0], 'pages');
    expect(n).toBeGreaterThanOrEqual(1);
    expect(composeMemo(prepared, n).memo!.layout.pages).toHaveLength(n);
  });
});
