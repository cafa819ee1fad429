// The memo read back: exact page count, embedded fonts, text, metadata, reproducibility.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildMemo } from '../src/index.js';
import { PACK, readPdf, readPdfStructure, structElements } from './helpers.js';

const build = async (pages: number, extra: Record<string, unknown> = {}) => {
  const outcome = await buildMemo({ content: PACK, lang: 'en', audience: 'policymaker', pages, ...extra });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.result;
};

describe('renderPdf', () => {
  for (const pages of [1, 2, 3]) {
    it(`makes exactly ${pages} page${pages > 1 ? 's' : ''} with the last page at least half full`, async () => {
      const { bytes, build: b } = await build(pages);
      const pdf = await readPdf(bytes);
      expect(pdf.pages).toBe(pages);
      expect(b.layout.fit.lastPageFill).toBeGreaterThanOrEqual(0.5);
      expect(pdf.text.join('\n')).toContain(`Page ${pages} of ${pages}`);
    });
  }

  it('sets the memo header, the bottom line first, and the sources', async () => {
    const pdf = await readPdf((await build(1)).bytes);
    const text = pdf.text[0]!.replace(/\s+/g, ' ');
    for (const label of ['MEMORANDUM', 'TO', 'FROM', 'DATE', 'SUBJECT', 'BOTTOM LINE', 'SOURCES'])
      expect(text).toContain(label);
    expect(text.indexOf('BOTTOM LINE')).toBeLessThan(text.indexOf('KEY JUDGMENTS'));
    expect(text).toContain('20 October 2025');
    // The built-in pack writes British English (en-GB): A4, as its locale uses.
    expect(pdf.pageSize).toEqual([595.28, 841.89]);
  });

  it('embeds subset fonts and writes title, author and language into the metadata', async () => {
    const { bytes } = await build(1);
    const pdf = await readPdf(bytes);
    expect(pdf.fonts.length).toBeGreaterThanOrEqual(2);
    // Carlito, and a CJK face for the name 國華P in the source list.
    for (const f of pdf.fonts) expect(f).toMatch(/^[A-Z]{6}\+(Carlito|NotoSans(TC|SC))/);
    expect(pdf.info.Title).toBe('The Real AI Race');
    expect(pdf.info.Language ?? pdf.info.Lang ?? 'en-GB').toBe('en-GB');
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/Lang \(en-GB\)/);
  });

  it('keeps the most important items and reports the rest as dropped', async () => {
    const one = await build(1);
    const three = await build(3);
    expect(one.drops.length).toBeGreaterThan(three.drops.length);
    const plan = one.build.plan;
    const kept = new Set(
      [...plan.judgments, ...plan.recommendations, ...plan.sections.flatMap((s) => s.items)].map((x) => x.ref),
    );
    const dropped = new Set(one.drops.map((d) => d.ref));
    const { prepare } = await import('../src/prepare.js');
    const { rankMemoItems } = await import('../src/plan/plan-memo.js');
    const prep = prepare({ content: PACK, lang: 'en', audience: 'policymaker' }).prepared!;
    const ranking = rankMemoItems(prep.pack, prep.audience);
    // Every item is either kept or reported, and the kept ones are the top of the ranking
    // (plus a few smaller items that still fitted after the first one that did not).
    for (const r of ranking) expect(kept.has(r.ref) !== dropped.has(r.ref), r.ref).toBe(true);
    const firstDropped = ranking.findIndex((r) => dropped.has(r.ref));
    expect(firstDropped).toBeGreaterThan(0);
    expect(ranking.slice(firstDropped).filter((r) => kept.has(r.ref)).length).toBeLessThanOrEqual(8);
    for (const r of ranking) if (r.essential) expect(kept.has(r.ref)).toBe(true);
  });

  it('gives byte-identical files for the same inputs', async () => {
    const a = (await build(2)).bytes;
    const b = (await build(2)).bytes;
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
  });

  it('fails clearly when the essentials cannot fit', async () => {
    const outcome = await buildMemo({
      content: `${PACK}`,
      lang: 'en',
      audience: 'policymaker',
      pages: 1,
      template: new URL('./fixtures/templates/huge-theme/', import.meta.url).pathname,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics.map((d) => d.code)).toContain('fit-essential');
  });
});

describe('charts in memos', () => {
  it('draws a module’s chart under its points when there is room, as a tagged figure with its note mark', async () => {
    // The partners' three-page memo cites two sources, so its items and its chart carry note marks.
    const { bytes, build: b } = await build(3, { audience: 'partners' });
    const charts = b.plan.sections.flatMap((s) => (s.chart ? [s.chart] : []));
    expect(charts.length).toBeGreaterThanOrEqual(1);
    const pie = charts.find((c) => c.kind === 'pie')!;
    expect(pie.note).toBe(1);
    // Drawn as vector graphics: two slices, and the key's values and names as text.
    const items = b.layout.pages.flatMap((p) => p.items);
    expect(items.filter((x) => x.type === 'wedge')).toHaveLength(2);
    const text = (await readPdf(bytes)).text.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(`${pie.title} [1]`);
    expect(text).toContain('50%');
    expect(text).toContain('Chinese manufacturers');
    const structure = await readPdfStructure(bytes);
    const figures = structure.pages.flatMap((p) => structElements(p.roots)).filter((e) => e.role === 'Figure');
    expect(figures.map((f) => f.alt)).toEqual(charts.map((c) => c.alt));
    expect(b.layout.fit.boxes.filter((x) => x.box.startsWith('chart '))).toHaveLength(charts.length);
  });

  it('leaves a chart out of a memo with no room for it, and says so', async () => {
    const { build: b, drops } = await build(1);
    expect(b.plan.sections.every((s) => s.chart === null)).toBe(true);
    expect(b.layout.pages[0]!.items.some((x) => x.type === 'wedge')).toBe(false);
    expect(drops.filter((d) => d.kind === 'fact' && d.reason === 'no-room').length).toBeGreaterThanOrEqual(1);
  });
});

describe('charts in memos, by audience', () => {
  it('puts a chart only under points of its own module', async () => {
    for (const [lang, audience, pages] of [
      ['zh-Hans', 'industry', 1],
      ['en', 'industry', 2],
      ['zh-Hant', 'policymaker', 3],
    ] as const) {
      const outcome = await buildMemo({ content: PACK, lang, audience, pages });
      if (!outcome.ok) throw new Error('build failed');
      for (const s of outcome.result.build.plan.sections)
        if (s.chart) expect(s.items.length, `${lang} ${audience} ${s.module}`).toBeGreaterThan(0);
    }
  });
});
