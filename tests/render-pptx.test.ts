// The deck read back as a viewer would: slides, texts, notes, sizes, languages, reproducibility.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../src/index.js';
import { PACK, parseAllXml, readPptx, tempDir } from './helpers.js';

const build = async (slides: number, extra: Record<string, unknown> = {}) => {
  const outcome = await buildDeck({ content: PACK, lang: 'en', audience: 'policymaker', slides, ...extra });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.result;
};

describe('renderPptx', () => {
  it('writes exactly the planned slides, each with a title and explicit font sizes', async () => {
    const { bytes, build: b } = await build(10);
    const { slides, files } = readPptx(bytes);
    expect(slides).toHaveLength(10);
    expect(parseAllXml(files)).toBeGreaterThan(20);
    slides.forEach((slide, i) => {
      const title = slide.shapes.find((s) => s.name === 'Title');
      expect(title?.text.length, `slide ${i + 1} title`).toBeGreaterThan(3);
      expect(title?.text.replace(/ ?\n/g, ' ')).toBe(b.plan.slides[i]!.title.replace(/\s+/g, ' '));
      for (const shape of slide.shapes)
        for (const p of shape.paragraphs)
          for (const r of p)
            if (!r.isBreak) expect(r.size, `${shape.name} on slide ${i + 1}`).toBeGreaterThanOrEqual(8);
    });
    // No autofit flags: sizes are measured, never left to PowerPoint.
    for (const [name, xml] of Object.entries(files))
      if (name.startsWith('ppt/slides/slide')) expect(xml).not.toMatch(/normAutofit|spAutoFit/);
  });

  it('tags every run, notes included, with the language and writes speaker notes on content slides', async () => {
    const { bytes } = await build(10);
    const { slides } = readPptx(bytes);
    for (const slide of slides) {
      for (const shape of slide.shapes)
        for (const p of shape.paragraphs) for (const r of p) if (!r.isBreak) expect(r.lang).toBe('en-GB');
      for (const lang of slide.notesLangs) expect(lang).toBe('en-GB');
    }
    for (const slide of slides.slice(1)) expect(slide.notes.length).toBeGreaterThan(40);
  });

  it('puts the bottom line and the pack title on the slides', async () => {
    const { bytes, build: b } = await build(10);
    const all = readPptx(bytes)
      .slides.flatMap((s) => s.shapes.map((x) => x.text))
      .join('\n');
    expect(all).toContain(b.plan.meta.title);
    expect(all).toContain(b.plan.meta.bluf);
    expect(all).toMatch(/Source: Kahl & Mitre, Foreign Affairs \(2025\)/);
  });

  it('uses real paragraph bullets and numbers', async () => {
    const { files } = readPptx((await build(10)).bytes);
    const xml = Object.entries(files)
      .filter(([n]) => n.startsWith('ppt/slides/slide'))
      .map(([, x]) => x)
      .join('');
    expect(xml).toMatch(/<a:buChar char="▪"\/>/);
    expect(xml).toMatch(/<a:buAutoNum type="arabicPeriod"/);
  });

  it('gives byte-identical files for the same inputs', async () => {
    const a = (await build(7)).bytes;
    const b = (await build(7)).bytes;
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
  });

  it('writes the document date into the package, not the clock', async () => {
    const { files } = readPptx((await build(5, { date: '2026-01-02' })).bytes);
    expect(files['docProps/core.xml']).toContain('2026-01-02T00:00:00Z');
  });

  for (const lang of ['en', 'zh-Hant', 'zh-Hans'] as const) {
    it(`puts native charts with alternative text and measured labels in the 10-slide deck (${lang})`, async () => {
      const outcome = await buildDeck({ content: PACK, lang, audience: 'policymaker', slides: 10 });
      if (!outcome.ok) throw new Error('build failed');
      const { slides, files } = readPptx(outcome.result.bytes);
      const chartParts = Object.keys(files)
        .filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n))
        .sort();
      expect(chartParts.length).toBeGreaterThanOrEqual(1);
      const tag = { en: 'en-GB', 'zh-Hant': 'zh-TW', 'zh-Hans': 'zh-CN' }[lang];
      for (const part of chartParts) {
        const xml = files[part]!;
        expect(xml).toContain(`<c:lang val="${tag}"/>`);
        expect(xml).toMatch(/<c:(pie|bar|line)Chart>/);
        // No text inside the chart: its labels are measured text boxes on the slide.
        expect(xml).toContain('<c:autoTitleDeleted val="1"/>');
        expect(xml).not.toContain('<c:legend>');
        expect(xml).toContain('<c:manualLayout>');
      }
      // Each chart's graphic frame names it and carries the alternative text; its slide has a title and the chart's key.
      const slideParts = Object.keys(files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
      const withChart = slideParts.filter((n) => files[n]!.includes('<p:graphicFrame>'));
      expect(withChart.length).toBe(chartParts.length);
      for (const n of withChart) {
        const descr = /<p:graphicFrame>\s*<p:nvGraphicFramePr>\s*<p:cNvPr [^>]*name="Chart" descr="([^"]+)"/.exec(
          files[n]!,
        )?.[1];
        expect(descr?.length ?? 0, n).toBeGreaterThan(20);
        const index = Number(/slide(\d+)\.xml/.exec(n)![1]) - 1;
        const names = slides[index]!.shapes.map((s) => s.name);
        expect(names).toContain('Title');
        expect(names).toContain('Chart title');
        expect(names.some((x) => x.startsWith('Chart key') || x.startsWith('Chart value'))).toBe(true);
        // The title is read first: it comes before the chart in the slide's shape tree.
        expect(files[n]!.indexOf('name="Title"')).toBeLessThan(files[n]!.indexOf('name="Chart"'));
      }
    });
  }
});

describe('the PPTX theme', () => {
  const scheme = (xml: string) =>
    Object.fromEntries(
      [...xml.matchAll(/<a:(\w+)><a:srgbClr val="([0-9A-F]{6})"\/><\/a:\1>/g)].map((m) => [m[1], m[2]]),
    );

  it("carries the template's colours and fonts, not Office's, per language", async () => {
    for (const [lang, ea] of [
      ['en', 'Microsoft JhengHei'],
      ['zh-Hans', 'Microsoft YaHei'],
    ] as const) {
      const built = await buildDeck({ content: PACK, lang, audience: 'policymaker', slides: 4 });
      if (!built.ok) throw new Error('build failed');
      const theme = readPptx(built.result.bytes).files['ppt/theme/theme1.xml']!;
      expect(scheme(theme)).toMatchObject({
        dk1: '1F2933',
        lt1: 'FFFFFF',
        dk2: '13294B',
        lt2: 'EEF3F6',
        accent1: '0E7C7B',
        accent2: 'A9B6C2',
        accent3: '13294B',
        hlink: '0E7C7B',
      });
      expect(theme).not.toMatch(/4472C4|ED7D31/);
      expect(theme).toContain(
        `<a:majorFont><a:latin typeface="Calibri"/><a:ea typeface="${ea}"/><a:cs typeface=""/></a:majorFont>`,
      );
      expect(theme).toContain(`<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface="${ea}"/>`);
    }
  });

  it("follows a template folder's palette", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'theme.yaml'),
      'colors:\n  accent: "D1495B"\n  primary: "0B2545"\n  chart: ["D1495B", "8DA9C4", "0B2545"]\n',
    );
    const built = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'policymaker', slides: 4 });
    if (!built.ok) throw new Error('build failed');
    const colors = scheme(readPptx(built.result.bytes).files['ppt/theme/theme1.xml']!);
    expect(colors).toMatchObject({ dk2: '0B2545', accent1: 'D1495B', accent2: '8DA9C4', accent3: '0B2545' });
  });
});
