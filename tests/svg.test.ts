// Slides and memo pages as SVG (src/render/svg/), and `briefing deck --format svg|png`.
// Goldens: tests/fixtures/svg/*.svg are whole standalone files, with each `data:` URI (the font
// subsets, pictures) written as its SHA-256 and length, so any change to the text, the geometry or
// the embedded bytes fails; `UPDATE=1 npx vitest run tests/svg.test.ts` rewrites them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo, buildSlideImages } from '../src/index.js';
import type { LaidPdf, SlideTextBox } from '../src/model/layout.js';
import { resolveFontFile } from '../src/layout/font-metrics.js';
import { renderSvgPage } from '../src/render/svg/render-svg.js';
import { standaloneSvgPage } from '../src/render/svg/slide-images.js';
import { subsetFonts } from '../src/render/svg/svg-fonts.js';
import { FIXTURES, golden, PACK, ROOT, readPptx, runCli, tempDir } from './helpers.js';

const fontkit = createRequire(import.meta.url)('fontkit') as typeof import('fontkit');
const GOLDEN = join(FIXTURES, 'svg');

/** A standalone SVG with its `data:` URIs as digests, for a golden file a person can read. */
function withDigests(svg: string): string {
  return svg.replace(/data:([\w/+.-]+);base64,([A-Za-z0-9+/=]*)/g, (_, type: string, data: string) => {
    const bytes = Buffer.from(data, 'base64');
    return `data:${type};sha256=${createHash('sha256').update(bytes).digest('hex')};bytes=${bytes.length}`;
  });
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#10;/g, '\n')
    .replace(/&#9;/g, '\t')
    .replace(/&amp;/g, '&');
}

interface SvgLine {
  box: string;
  paragraph: number;
  line: number;
  /** The text of each `<tspan>`, in order. */
  spans: string[];
}

/** The lines of text boxes in an SVG, as its `<text>` elements mark them. */
function svgLines(svg: string): SvgLine[] {
  return [...svg.matchAll(/<text [^>]*data-box="([^"]*)" data-paragraph="(\d+)" data-line="(\d+)">(.*?)<\/text>/g)].map(
    (m) => ({
      box: decode(m[1]!),
      paragraph: Number(m[2]),
      line: Number(m[3]),
      spans: [...m[4]!.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((t) => decode(t[1]!)),
    }),
  );
}

const svgText = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('SVG goldens', () => {
  for (const [lang, slides] of [
    ['en', [1, 3, 7]],
    ['zh-Hant', [3, 7]],
  ] as const) {
    it(`slides ${slides.join(', ')} of the ${lang} deck, and page 1 of the memo, as standalone files`, async () => {
      const deck = await buildSlideImages({ content: PACK, lang, audience: 'policymaker', slides: 10, format: 'svg' });
      if (!deck.ok) throw new Error('build failed');
      for (const n of slides) {
        const file = deck.result.files[n - 1]!;
        golden(join(GOLDEN, `${lang}-slide-${String(n).padStart(2, '0')}.svg`), withDigests(svgText(file.bytes)));
      }
      const memo = await buildMemo({ content: PACK, lang, audience: 'policymaker', pages: 1 });
      if (!memo.ok) throw new Error('build failed');
      const laid = memo.result.build.layout;
      golden(join(GOLDEN, `${lang}-memo-page-1.svg`), withDigests(standaloneSvgPage(laid, laid.pages[0]!, laid.title)));
    });
  }
});

describe('SVG text is the PPTX text, line by line as the handout breaks it', () => {
  // For every text box of every slide: (1) the SVG's lines of each paragraph, joined, are that
  // paragraph's text in the PPTX the same build writes (a bullet is a paragraph property in the
  // PPTX and a text piece of its own in the SVG, so it is left out); (2) the SVG has exactly the
  // lines the handout's layout broke the paragraph into (each placed piece names its box, paragraph
  // and line, so a line split or merged by the renderer would show), and (3) no more than fitting
  // counted (`SlideParagraph.lines`): fitting measured at the width less theme.deck.fit.widthReserve,
  // the handout breaks at the full width, so it can need fewer lines but never more, which is what
  // keeps its text inside the box fitting sized. Equality with (3) is not asserted: the wider
  // measure may save a line.
  for (const [lang, slides] of [
    ['en', 10],
    ['zh-Hant', 10],
    ['zh-Hans', 7],
  ] as const) {
    it(`${lang}, ${slides} slides`, async () => {
      const options = { content: PACK, lang, audience: 'policymaker', slides };
      const deck = await buildDeck(options);
      const images = await buildSlideImages({ ...options, format: 'svg' });
      if (!deck.ok || !images.ok) throw new Error('build failed');
      const pptx = readPptx(deck.result.bytes);
      const laidDeck = images.result.build.layout;
      const handout = images.result.build.handout;
      let boxes = 0;
      laidDeck.slides.forEach((slide, i) => {
        const lines = svgLines(svgText(images.result.files[i]!.bytes));
        const pieces = handout.pages[i]!.items;
        for (const box of slide.shapes.filter((s): s is SlideTextBox => s.type === 'text')) {
          const where = `slide ${i + 1}, ${box.name}`;
          const shape = pptx.slides[i]!.shapes.find((s) => s.name === box.name);
          expect(shape, where).toBeDefined();
          const texts = box.paragraphs.map((p, k) => {
            const own = lines.filter((l) => l.box === box.name && l.paragraph === k);
            expect(
              own.map((l) => l.line),
              `${where} ¶${k}: lines in order`,
            ).toEqual(own.map((_, j) => j));
            const laidLines = new Set(
              pieces.flatMap((x) =>
                x.type === 'text' && x.from?.box === box.name && x.from.paragraph === k ? [x.from.line] : [],
              ),
            );
            expect(own.length, `${where} ¶${k}: the handout's lines`).toBe(laidLines.size);
            expect(own.length, `${where} ¶${k}: no more than fitting counted`).toBeLessThanOrEqual(p.lines);
            return own.map((l, j) => (j === 0 && p.bullet ? l.spans.slice(1) : l.spans).join('')).join('');
          });
          // A line break written in a paragraph (`<a:br>`) is where the handout starts a line.
          const inPptx = shape!.paragraphs.map((p) => p.map((r) => (r.isBreak ? '' : r.text)).join(''));
          expect(texts, where).toEqual(inPptx);
          boxes++;
        }
      });
      expect(boxes).toBeGreaterThan(slides * 2);
    });
  }
});

describe('standalone SVG', () => {
  it('embeds each font as a subset with a cmap: every character set, at the advance layout measured', async () => {
    const images = await buildSlideImages({
      content: PACK,
      lang: 'zh-Hant',
      audience: 'policymaker',
      slides: 10,
      format: 'svg',
    });
    if (!images.ok) throw new Error('build failed');
    const laid = images.result.build.handout;
    const svg = svgText(images.result.files[2]!.bytes);
    // A Chinese slide carries a few hundred glyphs, not the 7 MB font.
    expect(svg.length).toBeLessThan(250_000);
    const faces = [
      ...svg.matchAll(
        /@font-face\{font-family:'([^']+)';font-weight:(\d+);font-style:(\w+);src:url\(data:font\/ttf;base64,([^)]+)\)/g,
      ),
    ];
    expect(faces.length).toBeGreaterThanOrEqual(2);
    const text = laid.pages[2]!.items.filter((x) => x.type === 'text');
    for (const [, family, weight, style, data] of faces) {
      const subset = fontkit.create(Buffer.from(data!, 'base64')) as import('fontkit').Font;
      expect(subset.numGlyphs).toBeLessThan(800);
      // The face is drawn from the file of that family, weight and style; each of its characters is
      // in the subset's cmap, at the original's advance.
      const file = Object.values(laid.fonts).find((f) => {
        const font = fontkit.openSync(f) as import('fontkit').Font & { 'OS/2': { usWeightClass: number } };
        return font.familyName === family && String(font['OS/2'].usWeightClass) === weight && style === 'normal';
      })!;
      expect(file, family).toBeDefined();
      const original = fontkit.openSync(file) as import('fontkit').Font;
      const keys = Object.entries(laid.fonts).flatMap(([k, f]) => (f === file ? [k] : []));
      const chars = new Set(
        text
          .filter((x) => x.type === 'text' && keys.includes(x.font))
          .flatMap((x) => [...(x as { text: string }).text]),
      );
      expect(chars.size).toBeGreaterThan(0);
      for (const ch of chars) {
        const cp = ch.codePointAt(0)!;
        const want = original.glyphForCodePoint(cp);
        if (want.id === 0) continue;
        const got = subset.glyphForCodePoint(cp);
        expect(got.id, `U+${cp.toString(16)} in ${family} ${weight}`).toBeGreaterThan(0);
        expect(got.advanceWidth).toBe(want.advanceWidth);
      }
    }
  });

  it('maps characters beyond U+FFFF too (cmap format 12 beside format 4)', () => {
    const file = resolveFontFile('@expo-google-fonts/noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf', ROOT);
    const original = fontkit.openSync(file) as import('fontkit').Font;
    const astral = original.characterSet.filter((cp) => cp > 0xffff).slice(0, 3);
    expect(astral.length).toBe(3);
    const codePoints = new Set([...'美國 AI，。'].map((c) => c.codePointAt(0)!).concat(astral));
    const [font] = subsetFonts(new Map([[file, codePoints]]));
    const subset = fontkit.create(Buffer.from(font!.bytes)) as import('fontkit').Font;
    expect(font!.face).toEqual({ family: 'Noto Sans TC', weight: 400, style: 'normal' });
    for (const cp of codePoints) {
      expect(subset.glyphForCodePoint(cp).id, `U+${cp.toString(16)}`).toBeGreaterThan(0);
      expect(subset.glyphForCodePoint(cp).advanceWidth).toBe(original.glyphForCodePoint(cp).advanceWidth);
    }
    // Nothing else: a character the slide does not set is not in the subset.
    expect(subset.glyphForCodePoint('中'.codePointAt(0)!).id).toBe(0);
  });

  it('carries a logo as a data: URI', async () => {
    const dir = tempDir();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(join(dir, 'logo.png'), png);
    writeFileSync(join(dir, 'theme.yaml'), 'logo: { file: logo.png, width: 40 }\n');
    const svgs = await slideSvgs(dir);
    const hrefs = svgs.flatMap((s) => [...s.matchAll(/<image [^>]*href="([^"]*)"/g)].map((m) => m[1]!));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toBe(`data:image/png;base64,${png.toString('base64')}`);
  });
});

describe('hostile content in SVG', () => {
  /** Every element of an SVG, by name, parsed as XML. */
  function elements(svg: string): Set<string> {
    expect(XMLValidator.validate(svg)).toBe(true);
    const names = new Set<string>();
    const walk = (nodes: unknown[]) => {
      for (const n of nodes as Record<string, unknown>[])
        for (const [k, v] of Object.entries(n)) {
          if (k === ':@' || k === '#text') continue;
          names.add(k);
          if (Array.isArray(v)) walk(v);
        }
    };
    walk(new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(svg) as unknown[]);
    return names;
  }

  it('never writes a javascript: link, a script or an element it does not draw with', () => {
    const laid: LaidPdf = {
      type: 'memo',
      width: 200,
      height: 100,
      lang: 'en" onload="alert(1)',
      title: '</title><script>alert(1)</script>',
      author: null,
      subject: null,
      date: '2025-01-01',
      fonts: { regular: '/nonexistent.ttf' },
      structure: [],
      pages: [
        {
          number: 1,
          fill: 1,
          items: [
            'javascript:alert(1)',
            ' JavaScript:alert(1)',
            'data:text/html,<script>x</script>',
            'file:///etc/passwd',
            'https://example.org/"><script>',
          ].map((href, k) => ({
            type: 'text' as const,
            x: 10,
            y: 10 + k * 12,
            text: `<script>alert(${k})</script>]]>&`,
            font: 'regular',
            size: 10,
            color: '000000"/><script>',
            charSpacing: 0,
            href,
            dest: k === 0 ? '"><script>' : undefined,
            from: { box: '"><script>alert(1)</script>', paragraph: k, line: 0 },
          })),
        },
      ],
    };
    const svg = renderSvgPage(laid, laid.pages[0]!, {
      face: () => ({ family: `x'"<script>alert(1)</script>`, weight: 400, style: 'normal' }),
      image: () => null,
      title: laid.title,
    });
    expect(svg).not.toMatch(/javascript:|href="data:|href="file:/i);
    const names = elements(svg);
    for (const name of names) expect(['svg', 'title', 'style', 'text', 'tspan', 'a', 'rect']).toContain(name);
    // The one web link stays a link, its quote escaped.
    expect(svg).toContain('href="https://example.org/&quot;&gt;&lt;script&gt;"');
  });

  it('a template that writes a javascript: link gets text; a web link stays a link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'partials'));
    const summary = readFileSync(join(ROOT, 'templates', 'partials', 'slide-summary.hbs'), 'utf8');
    writeFileSync(
      join(dir, 'partials', 'slide-summary.hbs'),
      summary.replace(
        '{{/each}}',
        '{{/each}}\n- [Run](javascript:alert(document.domain)) [Web](https://example.org/x) <script>alert(1)</script>',
      ),
    );
    const svgs = await slideSvgs(dir);
    expect(svgs.join('')).toContain('Run');
    expect(svgs.join('')).toContain('<a href="https://example.org/x" target="_blank">');
    for (const svg of svgs) {
      expect(svg).not.toMatch(/javascript:/i);
      expect(elements(svg).has('script')).toBe(false);
    }
  });
});

describe('briefing deck --format svg|png', () => {
  it('writes one well-formed SVG per slide into a new folder, and nothing beside it', () => {
    const cwd = tempDir();
    const r = runCli(['deck', '--format', 'svg', '--slides', '5', '-o', 'slides', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { format: string; files: string[]; bytes: number };
    expect(json.format).toBe('svg');
    expect(json.files).toEqual([1, 2, 3, 4, 5].map((n) => join('slides', `slide-0${n}.svg`)));
    expect(readdirSync(join(cwd, 'slides')).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `slide-0${n}.svg`));
    // No temporary folder left beside it.
    expect(readdirSync(cwd)).toEqual(['slides']);
    let total = 0;
    for (const name of readdirSync(join(cwd, 'slides'))) {
      const svg = readFileSync(join(cwd, 'slides', name), 'utf8');
      total += Buffer.byteLength(svg);
      expect(XMLValidator.validate(svg), name).toBe(true);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 960 540"/);
      expect(svg).toContain('@font-face');
    }
    expect(json.bytes).toBe(total);
  });

  it('writes PNGs of the width asked for, by default into out/…-png/, with the stage outputs inside', () => {
    const cwd = tempDir();
    const r = runCli(['deck', '-f', 'png', '--slides', '4', '--width', '320', '--emit', 'markdown'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(cwd, 'out', 'real-ai-race-policymaker-en-4slides-png');
    expect(r.stdout).toMatch(/^out\/real-ai-race-policymaker-en-4slides-png\/ {2}4 slides {2}4 files, /);
    expect(readdirSync(dir).sort()).toEqual([
      'deck.briefing.md',
      'slide-01.png',
      'slide-02.png',
      'slide-03.png',
      'slide-04.png',
    ]);
    for (let n = 1; n <= 4; n++) {
      const png = readFileSync(join(dir, `slide-0${n}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.toString('latin1', 12, 16)).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([320, 180]);
    }
  });

  it('into an existing folder: replaces its slides, keeps other files, and says which older slides remain', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'pics'));
    writeFileSync(join(cwd, 'pics', 'notes.txt'), 'mine');
    expect(runCli(['deck', '-f', 'svg', '--slides', '5', '-o', 'pics', '-q'], cwd).code).toBe(0);
    const before = readFileSync(join(cwd, 'pics', 'slide-01.svg'), 'utf8');
    const r = runCli(['deck', '-f', 'svg', '--slides', '4', '-o', 'pics', '-l', 'zh-Hant'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('also holds slide-05.svg from an earlier run');
    expect(readFileSync(join(cwd, 'pics', 'slide-01.svg'), 'utf8')).not.toBe(before);
    expect(readFileSync(join(cwd, 'pics', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(join(cwd, 'pics')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses combinations that make no sense, with a usage error and nothing written', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'file'), '');
    for (const [args, message] of [
      [['-f', 'svg', '-o', '-'], 'standard output cannot hold'],
      [['-f', 'png', '-o', 'deck.png'], '`-o` names the folder (e.g. `-o deck`)'],
      [['-f', 'svg', '--notes'], '--notes is for the PDF handout'],
      [['-f', 'svg', '--width', '640'], '--width is for PNG pictures'],
      [['--width', '640'], '--width is for PNG pictures'],
      [['-f', 'png', '--width', 'wide'], '--width takes a whole number'],
      [['-f', 'png', '--width', '100000'], '--width must be at most 8192'],
      [['-f', 'svg', '-o', 'file'], '`file` exists and is not a folder'],
      [['-f', 'gif'], "argument 'gif' is invalid"],
    ] as const) {
      const r = runCli(['deck', '--slides', '3', ...args], cwd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
    }
    expect(readdirSync(cwd)).toEqual(['file']);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});

/** The SVGs of the built-in pack's 4-slide English deck, with the template folder `template`. */
async function slideSvgs(template: string): Promise<string[]> {
  const images = await buildSlideImages({
    content: PACK,
    template,
    lang: 'en',
    audience: 'policymaker',
    slides: 4,
    format: 'svg',
  });
  if (!images.ok) throw new Error(images.diagnostics.map((d) => d.message).join('\n'));
  return images.result.files.map((f) => svgText(f.bytes));
}
