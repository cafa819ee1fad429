// `briefing preview` in a real browser (Debian's Chromium through playwright-core): the controls,
// the slides against the PPTX the CLI builds, a save reaching the screen, a YAML error shown at
// its place while the last good slides stay, a download, compare mode, the memo, and a clean end.
// Uses `dist/` (`npm run build` first). Without a Chromium the file is skipped, unless
// BRIEFING_REQUIRE_BROWSER=1 (CI), where that is a failure.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, PACK, ROOT, tempDir } from './helpers.js';
import { type PreviewProcess, startPreviewProcess } from './preview-process.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const CHROMIUM = process.env.BRIEFING_CHROMIUM || CANDIDATES.find((p) => existsSync(p)) || null;
const REQUIRED = process.env.BRIEFING_REQUIRE_BROWSER === '1';
if (!CHROMIUM && !REQUIRED)
  console.warn(
    'preview-browser.test.ts skipped: no Chromium at BRIEFING_CHROMIUM or /usr/bin/{chromium,chromium-browser,google-chrome} (BRIEFING_REQUIRE_BROWSER=1 makes this a failure)',
  );

const SLIDES = 5;
/** The module edited in the copy: its first point shows on slide 4 of the 5-slide public deck. */
const MODULE = join('modules', 'economy.yaml');
const POINT =
  '要贏得人工智慧競賽，還必須讓人工智慧融入國家經濟，廣泛普及到教育、能源、金融、醫療、物流與製造業等領域。';

// The callbacks given to `page.evaluate` and `waitForFunction` run in the page; the project
// compiles without the DOM library, so the little of it they use is declared here.
interface PageElement {
  textContent: string | null;
  scrollTop: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  getBoundingClientRect(): { top: number };
  blur?(): void;
}
declare const document: {
  body: PageElement & { dataset: Record<string, string | undefined> };
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
};
declare const window: { scrollY: number; scrollTo(x: number, y: number): void };
declare const location: { search: string };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe.skipIf(!CHROMIUM && !REQUIRED)('briefing preview in Chromium', () => {
  let dir: string;
  let pack: string;
  let browser: Browser | null = null;
  let page: Page;
  let server: PreviewProcess | null = null;
  let original: string;
  let deckBuilt: Promise<Uint8Array> | null = null;

  beforeAll(async () => {
    if (!CHROMIUM)
      throw new Error(
        'BRIEFING_REQUIRE_BROWSER=1 but no Chromium was found: install Debian’s `chromium` or set BRIEFING_CHROMIUM',
      );
    if (!existsSync(CHROMIUM)) throw new Error(`BRIEFING_CHROMIUM=${CHROMIUM} does not exist`);
    dir = tempDir('briefing-browser-');
    // Named as the built-in pack, since the page shows the folder's name.
    pack = join(dir, 'real-ai-race');
    cpSync(PACK, pack, { recursive: true });
    original = readFileSync(join(pack, MODULE), 'utf8');
    expect(original).toContain(POINT);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  });

  afterAll(async () => {
    // The server first (killed by pid if SIGTERM did not end it), then the browser.
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    if (browser)
      await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]).catch(() => {});
  });

  /** Each slide's title: the lines of its `Title` box, joined. */
  const shownTitles = () =>
    page.$$eval('#pages > section.page', (sections) =>
      sections.map((s) =>
        [...s.querySelectorAll('.sheet > svg text[data-box="Title"]')].map((t) => t.textContent ?? '').join(''),
      ),
    );

  /** The text of one slide: every line of every box, joined. */
  const slideText = (n: number) =>
    page.$eval(`#pages > section.page[data-number="${n}"] .sheet > svg`, (svg) =>
      [...svg.querySelectorAll('text')].map((t) => t.textContent ?? '').join(''),
    );

  it('shows the first slide soon after the server starts (first paint)', async () => {
    const t0 = performance.now();
    server = await startPreviewProcess(['--content', pack], dir);
    const listening = performance.now() - t0;
    await page.goto(server.url);
    await page.waitForSelector('#pages > section.page .sheet > svg');
    const firstPaint = Math.round(performance.now() - t0);
    console.log(
      `preview first paint: ${firstPaint} ms from spawning the server to the first slide on screen (server ready after ${Math.round(listening)} ms)`,
    );
    expect(firstPaint).toBeLessThan(30_000);
    await page.waitForSelector('body[data-state="ok"]');
    // The default view: the 10-slide policymaker deck in English.
    expect(await page.locator('#pages > section.page').count()).toBe(10);
    expect(await page.inputValue('#output')).toBe('deck');
  });

  it('shows the zh-Hant public 5-slide deck chosen with the controls, titled as the PPTX the CLI builds', async () => {
    const out = join(dir, 'cli.pptx');
    // The CLI's deck is built meanwhile (the browser waits on the server, the CLI runs apart).
    deckBuilt = new Promise((resolve, reject) => {
      const cli = spawn(
        process.execPath,
        [BIN, 'deck', '-l', 'zh-Hant', '-a', 'public', '-s', String(SLIDES), '--content', pack, '-o', out],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      cli.stderr.setEncoding('utf8').on('data', (d: string) => {
        err += d;
      });
      cli.on('exit', (code) => (code === 0 ? resolve(readFileSync(out)) : reject(new Error(`deck: ${code}\n${err}`))));
    });
    await page.selectOption('#audience', 'public');
    await page.selectOption('#lang', 'zh-Hant');
    await page.fill('#length', String(SLIDES));
    await page.press('#length', 'Tab');
    await page.waitForFunction(
      (n) =>
        /[?&]lang=zh-Hant(&|$)/.test(location.search) &&
        /[?&]audience=public(&|$)/.test(location.search) &&
        document.body.dataset.state === 'ok' &&
        document.querySelectorAll('#pages > section.page .sheet > svg').length === n &&
        [...document.querySelectorAll('#pages svg')].every((s) => s.getAttribute('xml:lang')?.startsWith('zh')),
      SLIDES,
    );
    const pptx = unzipSync(await deckBuilt);
    const expected = Array.from({ length: SLIDES }, (_, i) =>
      pptxTitle(strFromU8(pptx[`ppt/slides/slide${i + 1}.xml`]!)),
    );
    expect(expected.every((t) => t.length > 0)).toBe(true);
    await expect.poll(shownTitles, { timeout: 10_000 }).toEqual(expected);
    // Slides carry their speaker notes.
    expect(await page.locator('#pages > section.page[data-number="3"] .notes p').count()).toBeGreaterThan(0);
    // The point edited below is on slide 4.
    expect(await slideText(4)).toContain(POINT);
  });

  it('shows a saved edit of a module within 2 s', async () => {
    const times: number[] = [];
    const reported: number[] = [];
    for (let i = 1; i <= 5; i++) {
      // Same length, so the slide keeps its layout: two characters of the point change.
      const text = POINT.replace('教育', `版${i}`);
      const edited = original.replace(POINT, text);
      const t0 = performance.now();
      writeFileSync(join(pack, MODULE), edited);
      await page.waitForFunction(
        (want) => {
          const svg = document.querySelector('#pages > section.page[data-number="4"] .sheet > svg');
          const shown = svg ? [...svg.querySelectorAll('text')].map((t) => t.textContent).join('') : '';
          return shown.includes(want) && document.body.dataset.updatedMs !== '';
        },
        text,
        { polling: 'raf', timeout: 10_000 },
      );
      times.push(Math.round(performance.now() - t0));
      reported.push(Number(await page.getAttribute('body', 'data-updated-ms')));
    }
    console.log(
      `preview edit→screen: median ${median(times)} ms over ${times.length} saves (${times.join(', ')} ms); the page's own data-updated-ms: median ${median(reported)} ms`,
    );
    expect(median(times)).toBeLessThan(2000);
    expect(await page.getAttribute('body', 'data-state')).toBe('ok');
    expect(await page.locator('#pages > section.page .sheet > svg').count()).toBe(SLIDES);
  });

  it('shows a YAML error at its file, line and column while the last good slides stay; fixed, it is gone', async () => {
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.startsWith('title: { en: "Economic adoption and industry"'));
    expect(at).toBeGreaterThanOrEqual(0);
    // An unclosed quote.
    const broken = lines[at]!.replace('"Economic adoption and industry"', '"Economic adoption and industry');
    lines[at] = broken;
    writeFileSync(join(pack, MODULE), lines.join('\n'));
    await page.waitForSelector('body[data-state="error"] #problems > li.problem.error');
    const problem = page.locator('#problems > li.problem.error').first();
    const where = (await problem.locator('.where').textContent()) ?? '';
    expect(where).toMatch(new RegExp(`(^|/)modules/economy\\.yaml:${at + 1}:\\d+$`));
    const context = (await problem.locator('pre.context').textContent()) ?? '';
    expect(context).toContain(broken);
    expect(await problem.locator('pre.context .at').textContent()).toContain(broken);
    // The previous build's slides are still on screen.
    expect(await page.locator('#pages > section.page .sheet > svg').count()).toBe(SLIDES);
    expect(await page.textContent('#status')).toMatch(/does not build/);

    writeFileSync(join(pack, MODULE), original);
    await page.waitForSelector('body[data-state="ok"]');
    expect(await page.locator('#problems > li.problem.error').count()).toBe(0);
    await expect.poll(() => slideText(4), { timeout: 10_000 }).toContain(POINT);
  });

  it('takes a screenshot: slide 4 of the zh-Hant deck, a box of its fit report outlined on it', async () => {
    await page.evaluate(() => document.activeElement?.blur?.());
    expect(await page.locator('#fit table.fit').count()).toBe(SLIDES);
    // Slide 4 (a chart beside the text) at the top: the panel follows it with its fit table; a row hovered.
    await page.evaluate(() => {
      const slide = document.querySelector('#page-4');
      window.scrollTo(0, (slide?.getBoundingClientRect().top ?? 0) + window.scrollY - 80);
    });
    await page.waitForSelector('#fit table.fit[data-slide="4"]:not([hidden])');
    expect(await page.locator('#fit table.fit:not([hidden])').count()).toBe(1);
    const row = page.locator('#fit table.fit[data-slide="4"]').locator('tr.box').nth(2);
    await row.hover();
    await page.waitForSelector('#page-4 .sheet svg .fit-outline');
    const update = process.env.UPDATE_SCREENSHOT === '1';
    const path = update ? join(ROOT, 'docs', 'images', 'preview.png') : join(dir, 'preview.png');
    mkdirSync(join(path, '..'), { recursive: true });
    await page.screenshot({ path });
    await page.mouse.move(0, 0);
    const png = readFileSync(path);
    // A PNG of 1440×900 (IHDR width and height).
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 900]);
    if (update) console.log(`preview screenshot written to ${path} (${Math.round(png.length / 1024)} KB)`);
  });

  it('downloads the PPTX: a zip with its content types and 5 slides', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-deck')]);
    expect(download.suggestedFilename()).toMatch(/-public-zh-Hant-5slides\.pptx$/);
    const path = join(dir, 'downloaded.pptx');
    await download.saveAs(path);
    const files = unzipSync(readFileSync(path));
    expect(files['[Content_Types].xml']).toBeDefined();
    const slides = Object.keys(files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(slides.sort()).toEqual(Array.from({ length: SLIDES }, (_, i) => `ppt/slides/slide${i + 1}.xml`).sort());
  });

  it('compares one slide across the five audiences, then shows the memo', async () => {
    const audiences = await page.$$eval('#audience option', (os) => os.map((o) => o.getAttribute('value')));
    expect(audiences).toHaveLength(5);
    await page.selectOption('#grid', 'audience');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('#pages > section.page[data-variant] .sheet > svg').length === n &&
        document.body.dataset.grid === 'audience',
      audiences.length,
    );
    expect(
      await page.$$eval('#pages > section.page[data-variant]', (ss) => ss.map((s) => s.getAttribute('data-variant'))),
    ).toEqual(audiences);
    // A card opens its build on its own, at the page compared.
    await page.click('#pages > section.page[data-variant="industry"] .sheet');
    await page.waitForFunction(() => document.body.dataset.grid === undefined && document.body.dataset.state === 'ok');
    expect(await page.inputValue('#audience')).toBe('industry');
    expect(await page.inputValue('#grid')).toBe('');

    await page.selectOption('#output', 'memo');
    await page.waitForFunction(
      () =>
        document.body.dataset.output === 'memo' &&
        document.body.dataset.state === 'ok' &&
        document.querySelectorAll('#pages > section.page .sheet > svg').length === 1 &&
        document.querySelector('#fit table.fit') !== null,
    );
    expect(await page.textContent('#length-label')).toBe('Pages');
    // A memo page is portrait.
    const [w, h] = await page.$eval('#pages svg', (s) => [
      Number(s.getAttribute('width')),
      Number(s.getAttribute('height')),
    ]);
    expect(h).toBeGreaterThan(w);
  });

  it('ends on SIGTERM with exit code 0', async () => {
    const end = await server!.stop();
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(end.ms).toBeLessThan(5000);
    expect(server!.stderr()).toContain('briefing preview: stopped');
  });
});

/** The text of the title placeholder (`p:ph` type title or ctrTitle) of a slide's XML, lines joined. */
function pptxTitle(xml: string): string {
  const shape = (xml.match(/<p:sp>.*?<\/p:sp>/gs) ?? []).find((sp) => /<p:ph\b[^>]*\btype="(title|ctrTitle)"/.test(sp));
  if (!shape) return '';
  return [...shape.matchAll(/<a:t>([^<]*)<\/a:t>/g)]
    .map((m) => m[1]!)
    .join('')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
