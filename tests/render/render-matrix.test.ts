// The render test: a matrix of real outputs opened by a real viewer (LibreOffice) and read back
// with poppler, as a user would see them, then checked against the standards themselves. Every
// language and audience; decks of 5, 10 and 20 slides; memos of 1, 2 and 3 pages; handouts with
// notes; and a second pack (tests/fixtures/packs/valid-cables) whose title, author and sources
// are hostile to XML and PDF (`&`, `<`, quotes, backslashes, Chinese). Fails on any overflow,
// wrong count, missing glyph or font not embedded (../shared/tools/deckcheck and pdfcheck when
// present, or BRIEFING_CHECK_TOOLS, otherwise its own equivalent checks), and on any finding of
// ooxml-check (ISO/IEC 29500 schemas, package integrity) or pdfua (PDF/UA-1) when present.
// Needs libreoffice, poppler-utils and python3-lxml: `npm run test:render`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildHandout, buildMemo, type LaidDeck } from '../../src/index.js';
import { FIXTURES, PACK, ROOT, tempDir } from '../helpers.js';
import { houseFolder, MERIDIAN, NORTHBRIDGE } from '../office-templates.js';

const run = promisify(execFile);
const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'];
const SLIDES = [5, 10, 20];
const PAGES = [1, 2, 3];
const SECOND_PACK = join(FIXTURES, 'packs', 'valid-cables');
const TOOLS = process.env.BRIEFING_CHECK_TOOLS ?? join(ROOT, '..', 'shared', 'tools');
const SHARED = existsSync(join(TOOLS, 'deckcheck')) && existsSync(join(TOOLS, 'pdfcheck'));
const STANDARDS = existsSync(join(TOOLS, 'ooxml-check')) && existsSync(join(TOOLS, 'pdfua'));

interface Output {
  file: string;
  kind: 'deck' | 'memo';
  lang: string;
  audience: string;
  length: number;
  deck?: LaidDeck;
  missingGlyphs: string[];
  /** Opened in the viewer too (deckcheck, pdfcheck); every output is checked against the standards. */
  view: boolean;
}

interface Finding {
  file: string;
  problem: string;
}

/** Runs `jobs` with at most `width` at a time. */
async function pool<T>(items: readonly T[], width: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await job(items[next++]!);
    }),
  );
}

/** Builds one output, writes it, and notes what the layout reported. */
async function build(
  outputs: Output[],
  dir: string,
  o: {
    pack: string;
    tag: string;
    kind: 'deck' | 'memo' | 'handout';
    lang: (typeof LANGS)[number];
    audience: string;
    length: number;
    view?: boolean;
    template?: string;
  },
): Promise<void> {
  const common = { content: o.pack, lang: o.lang, audience: o.audience, template: o.template };
  const r =
    o.kind === 'deck'
      ? await buildDeck({ ...common, slides: o.length })
      : o.kind === 'memo'
        ? await buildMemo({ ...common, pages: o.length })
        : await buildHandout({ ...common, slides: o.length, notes: true });
  if (!r.ok)
    throw new Error(
      `${o.tag} ${o.kind} ${o.lang} ${o.audience} ${o.length}: ${r.diagnostics.map((d) => d.message).join('; ')}`,
    );
  const file = join(dir, `${o.tag}${o.kind}-${o.lang}-${o.audience}-${o.length}.${o.kind === 'deck' ? 'pptx' : 'pdf'}`);
  writeFileSync(file, r.result.bytes);
  const deck = o.kind === 'deck' ? (r.result as { build: { layout: LaidDeck } }).build.layout : undefined;
  outputs.push({
    file,
    kind: o.kind === 'deck' ? 'deck' : 'memo',
    lang: o.lang,
    audience: o.audience,
    length: o.length,
    deck,
    missingGlyphs: r.diagnostics.filter((d) => d.code === 'missing-glyph').map((d) => d.message),
    view: o.view ?? true,
  });
}

async function buildMatrix(dir: string): Promise<Output[]> {
  const outputs: Output[] = [];
  for (const lang of LANGS) {
    for (const audience of AUDIENCES) {
      for (const slides of SLIDES)
        await build(outputs, dir, { pack: PACK, tag: '', kind: 'deck', lang, audience, length: slides });
      for (const pages of PAGES)
        await build(outputs, dir, { pack: PACK, tag: '', kind: 'memo', lang, audience, length: pages });
      // The second pack: its hostile metadata, and charts of every kind. LibreOffice, the slowest
      // reader, opens the decks of two audiences; the schemas check all of them.
      await build(outputs, dir, {
        pack: SECOND_PACK,
        tag: 'cables-',
        kind: 'deck',
        lang,
        audience,
        length: 10,
        view: audience === 'policymaker' || audience === 'security',
      });
      await build(outputs, dir, {
        pack: SECOND_PACK,
        tag: 'cables-',
        kind: 'memo',
        lang,
        audience,
        length: audience === 'industry' ? 2 : 1,
      });
    }
    await build(outputs, dir, { pack: PACK, tag: '', kind: 'handout', lang, audience: 'policymaker', length: 10 });
    // Decks on two organisations' own masters (theme.yaml `reference:`), and a memo in one's colours.
    for (const house of [NORTHBRIDGE, MERIDIAN]) {
      const template = houseFolder(house, join(dir, `house-${house.name.toLowerCase()}`));
      await build(outputs, dir, {
        pack: PACK,
        tag: `${house.name.toLowerCase()}-`,
        kind: 'deck',
        lang,
        audience: 'policymaker',
        length: 10,
        template,
        view: lang === 'en',
      });
      if (lang === 'en')
        await build(outputs, dir, {
          pack: PACK,
          tag: `${house.name.toLowerCase()}-`,
          kind: 'memo',
          lang,
          audience: 'policymaker',
          length: 1,
          template,
        });
    }
    await build(outputs, dir, {
      pack: SECOND_PACK,
      tag: 'cables-',
      kind: 'handout',
      lang,
      audience: 'security',
      length: 10,
    });
  }
  return outputs;
}

/** The standards: every deck against the ISO/IEC 29500 schemas, every PDF against PDF/UA-1. */
async function checkStandards(outputs: readonly Output[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const groups = [
    { tool: 'ooxml-check', files: outputs.filter((o) => o.file.endsWith('.pptx')).map((o) => o.file) },
    { tool: 'pdfua', files: outputs.filter((o) => o.file.endsWith('.pdf')).map((o) => o.file) },
  ];
  for (const { tool, files } of groups) {
    let report: string;
    try {
      report = (await run(join(TOOLS, tool), files, { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (e) {
      // A finding exits 1; the report says which file and what.
      report = String((e as { stdout?: string }).stdout ?? e);
    }
    // Each failing file is a `FAIL path` line followed by its findings, indented.
    let file = '';
    for (const line of report.split('\n')) {
      const fail = /^FAIL (\S+?):?(?:\s|$)/.exec(line);
      if (fail) file = fail[1]!;
      else if (/^\s+\S/.test(line) && file) findings.push({ file, problem: `${tool}: ${line.trim()}` });
    }
    const verdict = report.trim().split('\n').pop() ?? '';
    console.log(`${tool}: ${verdict}`);
    if (
      !new RegExp(`\\b${files.length}/${files.length}\\b`).test(verdict) &&
      !findings.some((f) => f.problem.startsWith(tool))
    )
      findings.push({ file: tool, problem: `no clean verdict: ${verdict}` });
  }
  return findings;
}

/** The shared checkers: deckcheck and pdfcheck, with their JSON reports. */
async function checkWithSharedTools(
  outputs: readonly Output[],
  dir: string,
): Promise<{ findings: Finding[]; overflows: number }> {
  const findings: Finding[] = [];
  let overflows = 0;
  await pool(outputs, 2, async (o) => {
    const json = `${o.file}.json`;
    const args =
      o.kind === 'deck'
        ? [o.file, '--slides', String(o.length), '--lang', o.lang, '--json', json, '-q']
        : [o.file, '--pages', String(o.length), '--lang', o.lang, '--json', json, '-q'];
    try {
      await run(join(TOOLS, o.kind === 'deck' ? 'deckcheck' : 'pdfcheck'), args, { timeout: 300_000, cwd: dir });
    } catch {
      // A failing check exits 1; its JSON says why.
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as { verdict: string; fail: string[]; overflow?: unknown[] };
    overflows += (report.overflow ?? []).length;
    for (const f of report.fail ?? []) findings.push({ file: o.file, problem: String(f) });
    if (report.verdict !== 'PASS' && (report.fail ?? []).length === 0)
      findings.push({ file: o.file, problem: `verdict ${report.verdict}` });
  });
  return { findings, overflows };
}

/** Our own equivalent: LibreOffice renders the decks; poppler reads words, pages and fonts back. */
async function checkOurselves(
  outputs: readonly Output[],
  dir: string,
): Promise<{ findings: Finding[]; overflows: number }> {
  const findings: Finding[] = [];
  let overflows = 0;
  const decks = outputs.filter((o) => o.kind === 'deck');
  const rendered = join(dir, 'rendered');
  mkdirSync(rendered, { recursive: true });
  await run(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      rendered,
      ...decks.map((d) => d.file),
    ],
    { timeout: 1_200_000 },
  );
  await pool(outputs, 2, async (o) => {
    const pdf =
      o.kind === 'deck'
        ? join(
            rendered,
            o.file
              .split('/')
              .pop()!
              .replace(/\.pptx$/, '.pdf'),
          )
        : o.file;
    const info = (await run('pdfinfo', [pdf])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    if (pages !== o.length) findings.push({ file: o.file, problem: `${pages} pages, expected ${o.length}` });
    const fonts = (await run('pdffonts', [pdf])).stdout.split('\n').slice(2).filter(Boolean);
    for (const line of fonts)
      if (/\s(no)\s+\S+\s+\S+\s+\d+\s+\d+\s*$/.test(line) && o.kind === 'memo')
        findings.push({ file: o.file, problem: `font not embedded: ${line.split(/\s+/)[0]}` });
    const xml = (await run('pdftotext', ['-bbox-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    const pageBlocks = xml.split('<page ').slice(1);
    pageBlocks.forEach((page, i) => {
      const width = Number(/width="([\d.]+)"/.exec(page)?.[1]);
      const height = Number(/height="([\d.]+)"/.exec(page)?.[1]);
      const words = [
        ...page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g),
      ].map((m) => ({ x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: m[5]! }));
      for (const w of words) {
        if (w.x0 < -1 || w.y0 < -1 || w.x1 > width + 1 || w.y1 > height + 1) {
          overflows++;
          findings.push({ file: o.file, problem: `page ${i + 1}: "${w.text}" is outside the page` });
        }
      }
      if (o.kind !== 'deck' || !o.deck) return;
      // Every word inside one of the slide's text boxes (the layout knows them). As deckcheck
      // does, overflow smaller than about a third of a line is not judged: with exact line
      // spacing the descenders of a box's last line may reach below it.
      const slide = o.deck.slides[i];
      if (!slide) return;
      const sx = width / o.deck.width;
      const sy = height / o.deck.height;
      const boxes = [
        ...slide.shapes.filter((s) => s.type === 'text'),
        ...o.deck.masters.flatMap((m) => (m.name === slide.master && m.slideNumber ? [m.slideNumber] : [])),
      ];
      for (const w of words) {
        const tol = Math.max(4, 0.35 * (w.y1 - w.y0));
        const inside = boxes.some(
          (b) =>
            w.x0 >= b.x * sx - tol &&
            w.x1 <= (b.x + b.w) * sx + tol &&
            w.y0 >= b.y * sy - tol &&
            w.y1 <= (b.y + b.h) * sy + tol,
        );
        if (!inside) {
          overflows++;
          findings.push({ file: o.file, problem: `slide ${i + 1}: "${w.text}" is drawn outside every text box` });
        }
      }
    });
  });
  return { findings, overflows };
}

describe('render matrix (LibreOffice + poppler)', () => {
  it(`renders every language × audience × length without overflow, wrong counts, missing glyphs, unembedded fonts, or a finding against the standards`, async () => {
    const dir = tempDir('briefing-render-');
    const outputs = await buildMatrix(dir);
    const viewed = outputs.filter((o) => o.view);
    const { findings, overflows } = SHARED
      ? await checkWithSharedTools(viewed, dir)
      : await checkOurselves(viewed, dir);
    if (STANDARDS) findings.push(...(await checkStandards(outputs)));
    else console.log('ooxml-check and pdfua not found: the standards are not checked');
    for (const o of outputs) for (const m of o.missingGlyphs) findings.push({ file: o.file, problem: m });
    const decks = outputs.filter((o) => o.kind === 'deck').length;
    console.log(
      `render check (${SHARED ? 'deckcheck + pdfcheck' : 'own checks'}${STANDARDS ? ' + ooxml-check + pdfua' : ''}): ${outputs.length} outputs (${decks} decks, ${outputs.length - decks} memos and handouts), ` +
        `${overflows} overflows, ${findings.length} findings`,
    );
    for (const f of findings) console.log(`  ${f.file.split('/').pop()}: ${f.problem}`);
    expect(findings).toEqual([]);
  });
});
