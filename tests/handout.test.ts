// The deck as a PDF handout: one page per slide, the same texts as the PPTX, the charts drawn;
// with --notes, A4 pages with each slide's speaker notes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildHandout } from '../src/index.js';
import { PACK, readPdf, readPptx, runCli } from './helpers.js';

/** Text without any whitespace: line breaks differ between a PPTX viewer and the PDF, words do not. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('handout PDF', () => {
  for (const [lang, slides] of [
    ['en', 10],
    ['zh-Hant', 10],
    ['zh-Hans', 7],
  ] as const) {
    it(`has exactly ${slides} pages with the PPTX's texts (${lang})`, async () => {
      const options = { content: PACK, lang, audience: 'policymaker', slides };
      const deck = await buildDeck(options);
      const handout = await buildHandout(options);
      if (!deck.ok || !handout.ok) throw new Error('build failed');
      const pdf = await readPdf(handout.result.bytes);
      expect(pdf.pages).toBe(slides);
      expect(pdf.pageSize).toEqual([960, 540]);
      expect(pdf.fonts.length).toBeGreaterThan(0);
      const pptx = readPptx(deck.result.bytes);
      pptx.slides.forEach((slide, i) => {
        const page = squash(pdf.text[i]!);
        for (const shape of slide.shapes) {
          // Paragraph by paragraph: bullets are drawn between them.
          for (const p of shape.paragraphs) {
            const text = squash(p.map((r) => r.text).join(''));
            if (text) expect(page, `slide ${i + 1}, ${shape.name}`).toContain(text);
          }
        }
      });
    });
  }

  it('draws the charts: the key figures and names are on the page, and the slices are vector paths', async () => {
    const handout = await buildHandout({ content: PACK, lang: 'en', audience: 'policymaker', slides: 10 });
    if (!handout.ok) throw new Error('build failed');
    const slides = handout.result.build.handout.pages;
    const withChart = handout.result.build.layout.slides.filter((s) => s.shapes.some((x) => x.type === 'chart'));
    expect(withChart.length).toBeGreaterThanOrEqual(1);
    for (const s of withChart) {
      const items = slides[s.number - 1]!.items;
      expect(items.some((x) => x.type === 'wedge' || x.type === 'rect' || x.type === 'polyline')).toBe(true);
    }
    const pie = withChart.find((s) => s.shapes.some((x) => x.type === 'chart' && x.chart.kind === 'pie'))!;
    const wedges = slides[pie.number - 1]!.items.filter((x) => x.type === 'wedge');
    expect(wedges).toHaveLength(2);
    const text = squash((await readPdf(handout.result.bytes)).text[pie.number - 1]!);
    expect(text).toContain('50%');
    expect(text).toContain(squash('Chinese manufacturers'));
  });

  it('with --notes: A4 pages, each slide with its notes under it', () => {
    const r = runCli(['deck', '--format', 'pdf', '--notes', '--slides', '6', '-o', 'h.pdf', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, format: 'pdf', length: 6, notes: true });
    return readPdf(readFileSync(join(r.cwd, 'h.pdf'))).then((pdf) => {
      expect(pdf.pages).toBe(6);
      expect(pdf.pageSize).toEqual([595.28, 841.89]);
      // The bottom-line slide's notes give the figures its judgments rest on.
      expect(squash(pdf.text[1]!)).toContain(squash('5 GW: World’s first AI data-centre cluster'));
    });
  });

  it('refuses --notes without --format pdf', () => {
    const r = runCli(['deck', '--notes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format pdf');
  });
});
