// Accessible output: tagged PDFs (memo and handout) read back with pdf.js, headings, lists, tables,
// links and figures with alternative text in reading order, the document language, page furniture
// as artifacts; PPTX slides with title placeholders and decorative shapes marked as such.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildHandout, buildMemo } from '../src/index.js';
import type { Heading } from '../src/model/document.js';
import { PACK, readPdfStructure, readPptx, type StructElem, structElements, tempDir } from './helpers.js';

const squash = (s: string) => s.replace(/\s+/g, '');
// The built-in pack's English is British (`locales: { en: en-GB }` in its pack.yaml).
const TAGS = { en: 'en-GB', 'zh-Hant': 'zh-TW', 'zh-Hans': 'zh-CN' } as const;
const hasPdfinfo = spawnSync('pdfinfo', ['-v']).status === 0;
const headingsOf = (elements: readonly StructElem[]) =>
  elements.filter((e) => /^H\d$/.test(e.role)).map((e) => ({ role: e.role, text: squash(e.text).toUpperCase() }));

describe('tagged memo PDF', () => {
  for (const [lang, pages] of [
    ['en', 1],
    ['zh-Hant', 2],
    ['zh-Hans', 1],
  ] as const) {
    it(`has the memo's headings, lists, header table and links in its structure tree, and its language (${lang}, ${pages} page${pages > 1 ? 's' : ''})`, async () => {
      const built = await buildMemo({ content: PACK, lang, audience: 'policymaker', pages });
      if (!built.ok) throw new Error('build failed');
      const pdf = await readPdfStructure(built.result.bytes);
      expect(pdf.marked).toBe(true);
      expect(pdf.lang).toBe(TAGS[lang]);
      expect(pdf.pages).toHaveLength(pages);

      const elements = pdf.pages.flatMap((p) => structElements(p.roots));
      expect(elements[0]!.role).toBe('Document');
      // Every heading of the memo, at its level, in order: the title is the one H1.
      const expected = built.result.build.document.blocks
        .filter((b): b is Heading => b.type === 'heading')
        .map((h) => ({
          role: h.depth === 1 ? 'H1' : h.depth === 2 ? 'H2' : 'H3',
          text: squash(h.runs.map((r) => r.text).join('')).toUpperCase(),
        }));
      expect(expected.length).toBeGreaterThanOrEqual(4);
      expect(headingsOf(elements)).toEqual(expected);
      expect(expected.filter((h) => h.role === 'H1')).toHaveLength(1);

      // Lists: each item a label (its number) and a body.
      const items = elements.filter((e) => e.role === 'LI');
      expect(items.length).toBeGreaterThanOrEqual(4);
      for (const li of items) expect(li.children.map((c) => c.role)).toEqual(['Lbl', 'LBody']);
      // To / From / Date / Subject: a table, each row headed by its label (a 簽 has only 簽於 and 日期).
      const rows = elements.filter((e) => e.role === 'TR');
      expect(rows).toHaveLength(lang === 'zh-Hant' ? 2 : 4);
      for (const row of rows) expect(row.children.map((c) => c.role)).toEqual(['TH', 'TD']);
      // The source's URL is a link, tagged with its annotation.
      expect(elements.some((e) => e.role === 'Link' && e.text.includes('https://'))).toBe(true);

      // All text is either structure or an artifact; page numbers and running heads are artifacts.
      for (const [i, page] of pdf.pages.entries()) {
        expect(page.untagged, `page ${i + 1}`).toBe('');
        expect(squash(page.artifactText)).toMatch(lang === 'en' ? `Page${i + 1}of${pages}` : new RegExp(`${i + 1}`));
        // The page label is an artifact, never body text.
        expect(squash(page.roots.map((r) => r.text).join(''))).not.toMatch(/Page\d+of\d+|第\d+[頁页]，共\d+[頁页]/);
      }
      // Bookmarks for each `##` section and, under them, each `###` heading; none on a single page.
      if (pages === 1) expect(pdf.outline).toEqual([]);
      else {
        expect(pdf.outline.map((o) => squash(o.title).toUpperCase())).toEqual(
          expected.filter((h) => h.role === 'H2').map((h) => h.text),
        );
        expect(pdf.outline.flatMap((o) => o.items).map((o) => squash(o.title).toUpperCase())).toEqual(
          expected.filter((h) => h.role === 'H3').map((h) => h.text),
        );
      }
      // Words broken across lines stay apart in the text a screen reader gets.
      if (lang === 'en')
        expect(elements.find((e) => e.role === 'P' && e.text.length > 200)!.text).not.toMatch(/[a-z][A-Z]|[a-z]{25}/);
    });
  }

  it.skipIf(!hasPdfinfo)('is reported tagged by poppler', async () => {
    const built = await buildMemo({ content: PACK, lang: 'zh-Hant', audience: 'public', pages: 1 });
    if (!built.ok) throw new Error('build failed');
    const file = join(tempDir(), 'memo.pdf');
    writeFileSync(file, built.result.bytes);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/^Tagged:\s+yes$/m);
  });
});

describe('tagged handout PDF', () => {
  it('has a section per slide headed by its title, charts as figures with their alternative text (en)', async () => {
    const options = { content: PACK, lang: 'en' as const, audience: 'policymaker', slides: 10 };
    const deck = await buildDeck(options);
    const handout = await buildHandout(options);
    if (!deck.ok || !handout.ok) throw new Error('build failed');
    const pdf = await readPdfStructure(handout.result.bytes);
    expect(pdf.marked).toBe(true);
    expect(pdf.lang).toBe('en-GB');
    const pptx = readPptx(deck.result.bytes);
    // A bookmark per slide, its title.
    expect(pdf.outline.map((o) => squash(o.title))).toEqual(
      pptx.slides.map((s) => squash(s.shapes.find((x) => x.name === 'Title')!.text)),
    );
    const charts = handout.result.build.layout.slides.flatMap((s) =>
      s.shapes.flatMap((x) => (x.type === 'chart' ? [{ slide: s.number, alt: x.chart.alt }] : [])),
    );
    expect(charts.length).toBeGreaterThanOrEqual(1);
    for (const [i, page] of pdf.pages.entries()) {
      const where = `page ${i + 1}`;
      expect(page.untagged, where).toBe('');
      const [document] = page.roots;
      expect(document?.role, where).toBe('Document');
      const sections = document!.children;
      expect(
        sections.map((s) => s.role),
        where,
      ).toEqual(['Sect']);
      // The title is read first, as the section's heading: the cover's H1, the others' H2.
      const heading = sections[0]!.children[0]!;
      expect(heading.role, where).toBe(i === 0 ? 'H1' : 'H2');
      expect(squash(heading.text), where).toBe(squash(pptx.slides[i]!.shapes.find((s) => s.name === 'Title')!.text));
      const figures = structElements(sections).filter((e) => e.role === 'Figure');
      expect(
        figures.map((f) => f.alt),
        where,
      ).toEqual(charts.filter((c) => c.slide === i + 1).map((c) => c.alt));
      // The slide number (not on the cover) is page furniture.
      if (i > 0) expect(page.artifactText, where).toContain(String(i + 1));
    }
  });

  it('puts each slide’s speaker notes in its section, after the slide (zh-Hant, --notes)', async () => {
    const handout = await buildHandout({
      content: PACK,
      lang: 'zh-Hant',
      audience: 'policymaker',
      slides: 6,
      notes: true,
    });
    if (!handout.ok) throw new Error('build failed');
    const pdf = await readPdfStructure(handout.result.bytes);
    expect(pdf.lang).toBe('zh-TW');
    for (const [i, page] of pdf.pages.entries()) {
      const notes = handout.result.build.layout.slides[i]!.notes;
      const section = page.roots[0]!.children[0]!;
      expect(section.role).toBe('Sect');
      const last = section.children.at(-1)!;
      expect(last.role).toBe('P');
      expect(squash(notes)).toContain(squash(last.text));
      expect(page.untagged).toBe('');
    }
  });
});

describe('accessible PPTX', () => {
  it('gives every slide a title placeholder and marks panels, bars and rules decorative', async () => {
    const deck = await buildDeck({ content: PACK, lang: 'en', audience: 'security', slides: 10 });
    if (!deck.ok) throw new Error('build failed');
    const { files } = readPptx(deck.result.bytes);
    const slides = Object.keys(files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(slides).toHaveLength(10);
    let decorative = 0;
    for (const n of slides) {
      const xml = files[n]!;
      expect(xml.replace(/\s+/g, ' '), n).toMatch(/<p:ph [^>]*type="(title|ctrTitle)"/);
      // Every plain rectangle or line carries the decorative flag; no text box does.
      for (const sp of xml.split('<p:sp>').slice(1)) {
        const isDecor = /<a:prstGeom prst="(rect|line)">/.test(sp) && !sp.includes('<p:txBody>');
        const flagged = sp.includes('<adec:decorative');
        if (isDecor) decorative++;
        expect(flagged, `${n}: ${/name="([^"]*)"/.exec(sp)?.[1]}`).toBe(isDecor);
      }
    }
    expect(decorative).toBeGreaterThan(5);
  });
});
