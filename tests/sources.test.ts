// Sources as data: every slide that states facts carries a source line, the memo has note marks
// that point into its source list, and `check` warns about claims with no source.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import type { SlidePlan } from '../src/model/plan.js';
import { PACK, readPdf, readPptx, runCli, tempDir } from './helpers.js';

const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'] as const;
/** Layouts that state the pack's claims; in the built-in pack every claim has a source. */
const CLAIM_LAYOUTS = new Set(['summary', 'bullets', 'two-column', 'chart', 'key-figure', 'quote']);
const squash = (s: string) => s.replace(/\s+/g, '');

/** The sources a slide's content cites, read from the plan's items rather than its `sources` list. */
function cited(slide: SlidePlan): Set<string> {
  const ids = [
    ...slide.items.map((x) => x.source),
    ...slide.columns.flatMap((c) => c.items.map((x) => x.source)),
    ...slide.figures.map((x) => x.source),
    slide.chart?.source ?? null,
    slide.quote?.source ?? null,
  ];
  return new Set(ids.filter((x): x is string => x !== null));
}

describe('source lines on slides', () => {
  for (const lang of LANGS) {
    it(`puts a source line naming what it cites on every slide with facts, for every audience (${lang})`, async () => {
      let checked = 0;
      for (const audience of AUDIENCES) {
        const built = await buildDeck({ content: PACK, lang, audience, slides: 10 });
        if (!built.ok) throw new Error(`${audience}: build failed`);
        const { plan } = built.result.build;
        const pptx = readPptx(built.result.bytes);
        const label = lang === 'en' ? 'Source' : lang === 'zh-Hant' ? '資料來源' : '资料来源';
        plan.slides.forEach((slide, i) => {
          const where = `${audience} slide ${slide.number} (${slide.layout})`;
          const ids = cited(slide);
          const line = pptx.slides[i]!.shapes.find((s) => s.name === 'Source');
          // Glossary terms explained are definitions, not claims.
          const claims = CLAIM_LAYOUTS.has(slide.layout) && !slide.items.every((x) => x.ref.startsWith('glossary/'));
          if (claims) expect(ids.size, where).toBeGreaterThan(0);
          if (ids.size === 0) {
            expect(line, where).toBeUndefined();
            return;
          }
          expect(line, where).toBeDefined();
          expect(line!.text.startsWith(label), `${where}: ${line!.text}`).toBe(true);
          // Squashed: deck text drops the space between Chinese and Latin, which viewers add themselves.
          for (const id of ids)
            expect(squash(line!.text), where).toContain(squash(plan.sources.find((s) => s.id === id)!.short));
          checked++;
        });
      }
      expect(checked).toBeGreaterThanOrEqual(5 * 6);
    });
  }
});

describe('memo notes and source list', () => {
  it('states a single source once, with no mark on every item, and lists what it was read in (en, policymaker)', async () => {
    // Every claim cites Kahl & Mitre, read through 國華P's commentary (`via`).
    const dir = tempDir();
    cpSync(PACK, dir, { recursive: true });
    for (const name of readdirSync(join(dir, 'modules'))) {
      const file = join(dir, 'modules', name);
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('id: guohua-2025', 'id: kahl-mitre-2025'));
    }
    const built = await buildMemo({ content: dir, lang: 'en', audience: 'policymaker', pages: 1 });
    if (!built.ok) throw new Error('build failed');
    const { plan } = built.result.build;
    expect(plan.sources.map((s) => s.id)).toEqual(['kahl-mitre-2025', 'guohua-2025']);
    expect(plan.sources[0]!.citation).toMatch(/, as summarised by 國華P \(20 October 2025\)\.$/);
    expect(
      [...plan.judgments, ...plan.sections.flatMap((s) => s.items), ...plan.recommendations].every(
        (x) => (x.note ?? null) === null,
      ),
    ).toBe(true);
    const text = squash((await readPdf(built.result.bytes)).text.join('\n'));
    expect(text).not.toMatch(/\[\d+\]/);
    expect(text).toContain(squash(plan.sources[0]!.citation).slice(0, 20));
  });

  for (const [lang, audience, pages] of [
    ['en', 'public', 2],
    ['zh-Hant', 'public', 2],
  ] as const) {
    it(`marks every sourced item with its number in the source list (${lang}, ${audience})`, async () => {
      const built = await buildMemo({ content: PACK, lang, audience, pages });
      if (!built.ok) throw new Error('build failed');
      const { plan } = built.result.build;
      expect(plan.sources.length).toBeGreaterThan(1);
      const items = [
        ...plan.judgments,
        ...plan.sections.flatMap((s) => s.items),
        ...plan.recommendations,
        ...plan.terms,
      ];
      const noted = items.filter((x) => x.source);
      expect(noted.length).toBeGreaterThan(3);
      for (const x of noted) expect(x.note).toBe(plan.sources.find((s) => s.id === x.source)!.number);

      const pdf = await readPdf(built.result.bytes);
      const text = squash(pdf.text.join('\n'));
      // Each mark points at an entry of the list, and there is one mark per sourced item.
      const marks = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      // Charts carry their source's mark on their title.
      const charts = plan.sections.flatMap((x) => (x.chart?.note ? [x.chart.note] : []));
      expect(marks).toHaveLength(noted.length + charts.length);
      for (const n of marks) expect(n).toBeGreaterThanOrEqual(1);
      for (const n of marks) expect(n).toBeLessThanOrEqual(plan.sources.length);
      // The list comes last, under its heading, with the full citation of every source.
      const heading = { en: 'SOURCES', 'zh-Hant': '資料來源', 'zh-Hans': '参考资料' }[lang];
      const at = text.lastIndexOf(heading);
      expect(at).toBeGreaterThan(text.lastIndexOf('['));
      for (const s of plan.sources) expect(text.slice(at)).toContain(squash(s.citation).slice(0, 20));
      // Each mark is a link to its entry in the list.
      const links = await noteLinks(built.result.bytes);
      expect(links.marks.map((d) => Number(d.replace('source-', ''))).sort()).toEqual(noted.map((x) => x.note).sort());
      for (const s of plan.sources) expect(links.destinations, s.id).toContain(`source-${s.number}`);
    });
  }

  it('puts the mark before a closing stop: “theft [1].”, “疾病[1]。”', async () => {
    const built = await buildMemo({ content: PACK, lang: 'en', audience: 'public', pages: 2 });
    if (!built.ok) throw new Error('build failed');
    // In Markdown, the mark is a link to the source list: `theft [\[1\]](#source-1).`
    expect(built.result.build.markdown).toMatch(/\w\u00A0\[\\\[1\\\]\]\(#source-1\)\.$/m);
    expect(built.result.build.markdown).not.toMatch(/\.\s\[\\\[1/m);
  });
});

/** The memo's links to named destinations (its note marks), and the destinations it has. */
async function noteLinks(bytes: Uint8Array): Promise<{ marks: string[]; destinations: string[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const marks: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    for (const a of (await (await doc.getPage(i)).getAnnotations()) as { subtype: string; dest?: unknown }[])
      if (a.subtype === 'Link' && typeof a.dest === 'string') marks.push(a.dest);
  }
  const destinations = Object.keys((await doc.getDestinations()) ?? {});
  await doc.destroy();
  return { marks, destinations };
}

describe('check warns about claims with no source', () => {
  it('names the claim and where it is, once for all languages', () => {
    const dir = tempDir();
    const pack = join(dir, 'pack');
    cpSync(PACK, pack, { recursive: true });
    const file = join(pack, 'modules', 'economy.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    // Drop the source of the first fact (the line after its label).
    const facts = lines.indexOf('facts:');
    const sourceAt = lines.findIndex((l, i) => i > facts && l.trim().startsWith('source:'));
    lines.splice(sourceAt, 1);
    writeFileSync(file, lines.join('\n'));
    const r = runCli(['check', '-c', pack], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/economy\.yaml:\d+:\d+: warning\[no-source\]: fact 1 of module `economy` names no source/);
    expect(r.stderr).toContain('add `source: <id>`');
    // Once, not once per language.
    expect(r.stderr.match(/fact 1 of module `economy`/g)).toHaveLength(1);
    expect(runCli(['check', '-c', PACK], dir).stderr).not.toContain('no-source');
  });
});

describe('short citations name one source each', () => {
  it('letters the year of sources with the same authors, publisher and year, in pack order', async () => {
    const { withYearLetters } = await import('../src/localize/localize-pack.js');
    const { shortCitation, fullCitation } = await import('../src/plan/format.js');
    const { loadTemplates } = await import('../src/load/load-templates.js');
    const strings = loadTemplates({ userDir: null, audience: 'policymaker', lang: 'en' }).templates!.strings;
    const source = (id: string, title: string, year: number | null, short: string | null = null) => ({
      id,
      title,
      short,
      authors: [
        { name: 'Lena Hartmann', cite: 'Hartmann' },
        { name: 'Ravi Menon', cite: 'Menon' },
      ],
      publisher: 'Centre for Technology and Statecraft',
      year,
      date: null,
      url: null,
      via: null,
      span: { file: 'pack.yaml', line: 1, col: 1 },
    });
    const sources = withYearLetters([
      source('a', 'The AI race seen from Africa', 2024),
      source('b', 'The AI race seen from the Gulf', 2025),
      source('c', 'The AI race seen from Europe', 2024),
      source('d', 'Written short', 2024, 'H&M 2024'),
    ] as Parameters<typeof withYearLetters>[0]);
    expect(sources.map((s) => shortCitation(s, strings))).toEqual([
      'Hartmann & Menon, Centre for Technology and Statecraft (2024a)',
      'Hartmann & Menon, Centre for Technology and Statecraft (2025)',
      'Hartmann & Menon, Centre for Technology and Statecraft (2024b)',
      'H&M 2024',
    ]);
    expect(fullCitation(sources[2]!, strings)).toContain('2024b');
  });
});
