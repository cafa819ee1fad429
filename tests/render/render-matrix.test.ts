// The render test: a matrix of real outputs opened by a real viewer (LibreOffice) and read back
// with poppler, as a user would see them. Every language and audience; decks of 5, 10 and 20
// slides; memos of 1 and 2 pages. Fails on any overflow, wrong count, missing glyph or font not
// embedded. Uses ../shared/tools/deckcheck and pdfcheck when present (or BRIEFING_CHECK_TOOLS),
// otherwise its own equivalent checks. Needs libreoffice and poppler-utils: `npm run test:render`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo, type LaidDeck } from '../../src/index.js';
import { PACK, ROOT, tempDir } from '../helpers.js';

const run = promisify(execFile);
const LANGS = ['en', 'zh-Hant', 'zh-Hans'] as const;
const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'];
const SLIDES = [5, 10, 20];
const PAGES = [1, 2];
const TOOLS = process.env.BRIEFING_CHECK_TOOLS ?? join(ROOT, '..', 'shared', 'tools');
const SHARED = existsSync(join(TOOLS, 'deckcheck')) && existsSync(join(TOOLS, 'pdfcheck'));

interface Output {
  file: string;
  kind: 'deck' | 'memo';
  lang: string;
  audience: string;
  length: number;
  deck?: LaidDeck;
  missingGlyphs: string[];
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

async function buildMatrix(dir: string): Promise<Output[]> {
  const outputs: Output[] = [];
  for (const lang of LANGS) {
    for (const audience of AUDIENCES) {
      for (const slides of SLIDES) {
        const r = await buildDeck({ content: PACK, lang, audience, slides });
        if (!r.ok) throw new Error(`deck ${lang} ${audience} ${slides}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
        const file = join(dir, `deck-${lang}-${audience}-${slides}.pptx`);
        writeFileSync(file, r.result.bytes);
        outputs.push({ file, kind: 'deck', lang, audience, length: slides, deck: r.result.build.layout, missingGlyphs: r.diagnostics.filter((d) => d.code === 'missing-glyph').map((d) => d.message) });
      }
      for (const pages of PAGES) {
        const r = await buildMemo({ content: PACK, lang, audience, pages });
        if (!r.ok) throw new Error(`memo ${lang} ${audience} ${pages}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
        const file = join(dir, `memo-${lang}-${audience}-${pages}.pdf`);
        writeFileSync(file, r.result.bytes);
        outputs.push({ file, kind: 'memo', lang, audience, length: pages, missingGlyphs: r.diagnostics.filter((d) => d.code === 'missing-glyph').map((d) => d.message) });
      }
    }
  }
  return outputs;
}

/** The shared checkers: deckcheck and pdfcheck, with their JSON reports. */
async function checkWithSharedTools(outputs: readonly Output[], dir: string): Promise<{ findings: Finding[]; overflows: number }> {
  const findings: Finding[] = [];
  let overflows = 0;
  await pool(outputs, 2, async (o) => {
    const json = `${o.file}.json`;
    const args =
      o.kind === 'deck' ? [o.file, '--slides', String(o.length), '--lang', o.lang, '--json', json, '-q'] : [o.file, '--pages', String(o.length), '--lang', o.lang, '--json', json, '-q'];
    try {
      await run(join(TOOLS, o.kind === 'deck' ? 'deckcheck' : 'pdfcheck'), args, { timeout: 300_000, cwd: dir });
    } catch {
      // A failing check exits 1; its JSON says why.
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as { verdict: string; fail: string[]; overflow?: unknown[] };
    overflows += (report.overflow ?? []).length;
    for (const f of report.fail ?? []) findings.push({ file: o.file, problem: String(f) });
    if (report.verdict !== 'PASS' && (report.fail ?? []).length === 0) findings.push({ file: o.file, problem: `verdict ${report.verdict}` });
  });
  return { findings, overflows };
}

/** Our own equivalent: LibreOffice renders the decks; poppler reads words, pages and fonts back. */
async function checkOurselves(outputs: readonly Output[], dir: string): Promise<{ findings: Finding[]; overflows: number }> {
  const findings: Finding[] = [];
  let overflows = 0;
  const decks = outputs.filter((o) => o.kind === 'deck');
  const rendered = join(dir, 'rendered');
  mkdirSync(rendered, { recursive: true });
  await run('soffice', [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', rendered, ...decks.map((d) => d.file)], { timeout: 1_200_000 });
  await pool(outputs, 2, async (o) => {
    const pdf = o.kind === 'deck' ? join(rendered, o.file.split('/').pop()!.replace(/\.pptx$/, '.pdf')) : o.file;
    const info = (await run('pdfinfo', [pdf])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    if (pages !== o.length) findings.push({ file: o.file, problem: `${pages} pages, expected ${o.length}` });
    const fonts = (await run('pdffonts', [pdf])).stdout.split('\n').slice(2).filter(Boolean);
    for (const line of fonts) if (/\s(no)\s+\S+\s+\S+\s+\d+\s+\d+\s*$/.test(line) && o.kind === 'memo') findings.push({ file: o.file, problem: `font not embedded: ${line.split(/\s+/)[0]}` });
    const xml = (await run('pdftotext', ['-bbox-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    const pageBlocks = xml.split('<page ').slice(1);
    pageBlocks.forEach((page, i) => {
      const width = Number(/width="([\d.]+)"/.exec(page)?.[1]);
      const height = Number(/height="([\d.]+)"/.exec(page)?.[1]);
      const words = [...page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)].map((m) => ({ x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: m[5]! }));
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
      const boxes = [...slide.shapes.filter((s) => s.type === 'text'), ...o.deck.masters.flatMap((m) => (m.name === slide.master && m.slideNumber ? [m.slideNumber] : []))];
      for (const w of words) {
        const tol = Math.max(4, 0.35 * (w.y1 - w.y0));
        const inside = boxes.some((b) => w.x0 >= b.x * sx - tol && w.x1 <= (b.x + b.w) * sx + tol && w.y0 >= b.y * sy - tol && w.y1 <= (b.y + b.h) * sy + tol);
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
  it(`renders every language × audience × length without overflow, wrong counts, missing glyphs or unembedded fonts`, async () => {
    const dir = tempDir('briefing-render-');
    const outputs = await buildMatrix(dir);
    const { findings, overflows } = SHARED ? await checkWithSharedTools(outputs, dir) : await checkOurselves(outputs, dir);
    for (const o of outputs) for (const m of o.missingGlyphs) findings.push({ file: o.file, problem: m });
    const decks = outputs.filter((o) => o.kind === 'deck').length;
    console.log(
      `render check (${SHARED ? 'deckcheck + pdfcheck' : 'own checks'}): ${outputs.length} outputs (${decks} decks, ${outputs.length - decks} memos), ` +
        `${overflows} overflows, ${findings.length} findings`,
    );
    for (const f of findings) console.log(`  ${f.file.split('/').pop()}: ${f.problem}`);
    expect(findings).toEqual([]);
  });
});
