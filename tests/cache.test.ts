// The disk cache and the fast paths built on it must never change an output: a build that finds
// its inputs in the cache gives the same bytes as one that does not, a damaged cache is ignored,
// an edited input is seen, and a folder others can write to is never trusted.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACK, ROOT, runCli, tempDir } from './helpers.js';

// Set before the library is imported: the cache folder is chosen once per process.
const CACHE = tempDir('briefing-cache-test-');
process.env.BRIEFING_CACHE_DIR = CACHE;
delete process.env.BRIEFING_CACHE;

const { buildDeck, buildMemo } = await import('../src/index.js');
const { decodeTable, encodeTable, tableFromFont, resolveFontFile } = await import('../src/layout/font-metrics.js');
const { crc32, writeZip } = await import('../src/render/pptx/zip.js');
const { withPlainLayout } = await import('../src/render/pdf/render-pdf.js');

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as typeof import('fontkit');
const CARLITO = resolveFontFile('@expo-google-fonts/carlito/400Regular/Carlito_400Regular.ttf', ROOT);
const NOTO_TC = resolveFontFile('@expo-google-fonts/noto-sans-tc/400Regular/NotoSansTC_400Regular.ttf', ROOT);

/** The cache keeps its entries in a folder `briefing` of its own, marked with CACHEDIR.TAG. */
const entries = () => readdirSync(join(CACHE, 'briefing')).filter((n) => n !== 'CACHEDIR.TAG');

describe('disk cache', () => {
  let firstDeck: Uint8Array;
  let firstMemo: Uint8Array;

  beforeAll(async () => {
    const deck = await buildDeck({ content: PACK, lang: 'zh-Hant', audience: 'industry', slides: 6 });
    const memo = await buildMemo({ content: PACK, lang: 'zh-Hant', audience: 'industry', pages: 1 });
    if (!deck.ok || !memo.ok) throw new Error('build failed');
    firstDeck = deck.result.bytes;
    firstMemo = memo.result.bytes;
  });

  it('keeps loaded inputs, font metrics and compiled templates', () => {
    const kinds = new Set(entries().map((n) => n.split('-')[0]));
    expect([...kinds].sort()).toEqual(['metrics', 'prepared', 'template']);
  });

  it('gives the same bytes from the cache as without it', async () => {
    const deck = await buildDeck({ content: PACK, lang: 'zh-Hant', audience: 'industry', slides: 6 });
    const memo = await buildMemo({ content: PACK, lang: 'zh-Hant', audience: 'industry', pages: 1 });
    if (!deck.ok || !memo.ok) throw new Error('build failed');
    expect(Buffer.from(deck.result.bytes).equals(Buffer.from(firstDeck))).toBe(true);
    expect(Buffer.from(memo.result.bytes).equals(Buffer.from(firstMemo))).toBe(true);
  });

  it('ignores damaged entries and still builds the same bytes (in a fresh process)', () => {
    const damaged = tempDir('briefing-cache-damaged-');
    const env = { BRIEFING_CACHE_DIR: damaged };
    const cwd = tempDir();
    expect(runCli(['deck', '--slides', '5', '-q', '-o', 'a.pptx'], cwd, env).code).toBe(0);
    for (const n of readdirSync(join(damaged, 'briefing'))) {
      if (n !== 'CACHEDIR.TAG')
        writeFileSync(
          join(damaged, 'briefing', n),
          n.startsWith('template')
            ? '{ not: javascript ('
            : n.startsWith('prepared')
              ? '{"diagnostics": 1}'
              : 'garbage',
        );
    }
    const second = runCli(['deck', '--slides', '5', '-q', '-o', 'b.pptx'], cwd, env);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'b.pptx')).equals(readFileSync(join(cwd, 'a.pptx')))).toBe(true);
  });

  it('sees an edited pack even when the file keeps its size', async () => {
    const pack = join(tempDir(), 'pack');
    cpSync(PACK, pack, { recursive: true });
    const before = await buildDeck({ content: pack, lang: 'en', audience: 'policymaker', slides: 5 });
    if (!before.ok) throw new Error('build failed');
    const file = join(pack, 'pack.yaml');
    const text = readFileSync(file, 'utf8');
    const title =
      /title:\s*\n\s*en:\s*"?([^"\n]+)"?/.exec(text)?.[1] ?? /\ben:\s*"?([A-Z][^"\n]{5,})"?/.exec(text)![1]!;
    const swapped = title.slice(0, 4).toUpperCase() === title.slice(0, 4) ? title.toLowerCase() : title.toUpperCase();
    writeFileSync(file, text.replace(title, swapped));
    const after = await buildDeck({ content: pack, lang: 'en', audience: 'policymaker', slides: 5 });
    if (!after.ok) throw new Error('build failed');
    expect(after.result.build.markdown).toContain(swapped);
    expect(after.result.build.markdown).not.toBe(before.result.build.markdown);
  });

  it('never uses a folder that others can write to', () => {
    const shared = tempDir('briefing-cache-shared-');
    chmodSync(shared, 0o777);
    try {
      const r = runCli(['memo', '-q', '-o', 'm.pdf'], tempDir(), { BRIEFING_CACHE_DIR: shared });
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(shared)).toEqual([]);
    } finally {
      chmodSync(shared, 0o700);
    }
  });

  it("touches only what it made: the user's files beside it, even with entry-like names, all stay", () => {
    const folder = tempDir('briefing-cache-users-');
    const mine = Array.from({ length: 250 }, (_, i) =>
      i % 2 ? `report-${i}.txt` : `metrics-${String(i).padStart(40, '0')}.bin`,
    );
    for (const n of mine) writeFileSync(join(folder, n), "the user's own");
    const r = runCli(['memo', '-q', '-o', 'm.pdf'], tempDir(), { BRIEFING_CACHE_DIR: folder });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(folder).sort()).toEqual([...mine, 'briefing'].sort());
    expect(readFileSync(join(folder, 'briefing', 'CACHEDIR.TAG'), 'utf8')).toMatch(
      /^Signature: 8a477f597d28d172789f06886806bc55\n/,
    );
    expect(statSync(join(folder, 'briefing')).mode & 0o777).toBe(0o700);
  });

  it("refuses a cache folder that is the user's own, a link, or not closed to others, and prunes only its own entries", () => {
    // A folder named `briefing` holding the user's files: not the cache's.
    const owned = tempDir('briefing-cache-owned-');
    mkdirSync(join(owned, 'briefing'));
    writeFileSync(join(owned, 'briefing', 'thesis.docx'), 'keep');
    // A planted link where the cache folder would be.
    const planted = tempDir('briefing-cache-planted-');
    const target = tempDir('briefing-cache-target-');
    symlinkSync(target, join(planted, 'briefing'));
    // A folder others may write to.
    const open = tempDir('briefing-cache-open-');
    mkdirSync(join(open, 'briefing'));
    chmodSync(join(open, 'briefing'), 0o777);
    try {
      for (const base of [owned, planted, open]) {
        const r = runCli(['deck', '-q', '--slides', '4', '-o', 'd.pptx'], tempDir(), { BRIEFING_CACHE_DIR: base });
        expect(r.code, r.stderr).toBe(0);
      }
      expect(readdirSync(join(owned, 'briefing'))).toEqual(['thesis.docx']);
      expect(readdirSync(target)).toEqual([]);
      expect(readdirSync(join(open, 'briefing'))).toEqual([]);
    } finally {
      chmodSync(join(open, 'briefing'), 0o700);
    }
    // The cache's own folder, with a file of the user's put into it and many old entries: pruning
    // removes old entries only.
    const full = tempDir('briefing-cache-full-');
    expect(runCli(['deck', '-q', '--slides', '4', '-o', 'd.pptx'], tempDir(), { BRIEFING_CACHE_DIR: full }).code).toBe(
      0,
    );
    const own = join(full, 'briefing');
    writeFileSync(join(own, 'notes.txt'), 'keep');
    const old = new Date(2000, 0, 1);
    for (let i = 0; i < 300; i++) {
      const f = join(own, `metrics-${i.toString(16).padStart(40, '0')}.bin`);
      writeFileSync(f, 'old');
      utimesSync(f, old, old);
    }
    expect(
      runCli(['memo', '-q', '--lang', 'zh-Hans', '-o', 'm.pdf'], tempDir(), { BRIEFING_CACHE_DIR: full }).code,
    ).toBe(0);
    const left = readdirSync(own);
    expect(left).toContain('notes.txt');
    expect(left).toContain('CACHEDIR.TAG');
    expect(left.length).toBeLessThan(150);
  });

  it('is off with BRIEFING_CACHE=off, and the output is the same without it', () => {
    const unused = join(tempDir(), 'cache');
    mkdirSync(unused);
    const cwd = tempDir();
    for (const [kind, file] of [
      ['deck', 'd.pptx'],
      ['memo', 'm.pdf'],
    ] as const) {
      const args = [kind, '--lang', 'zh-Hans', '-q', '-o'];
      const off = runCli([...args, `off-${file}`], cwd, { BRIEFING_CACHE_DIR: unused, BRIEFING_CACHE: 'off' });
      expect(off.code, off.stderr).toBe(0);
      const on = runCli([...args, `on-${file}`], cwd, { BRIEFING_CACHE_DIR: CACHE });
      expect(on.code, on.stderr).toBe(0);
      expect(readFileSync(join(cwd, `off-${file}`)).equals(readFileSync(join(cwd, `on-${file}`)))).toBe(true);
    }
    expect(readdirSync(unused)).toEqual([]);
  });
});

describe('font metrics tables', () => {
  it('hold the advances fontkit reports, and survive encoding', () => {
    for (const file of [CARLITO, NOTO_TC]) {
      const font = fontkit.openSync(file) as import('fontkit').Font;
      const table = decodeTable(encodeTable(tableFromFont(file)))!;
      expect(table.unitsPerEm).toBe(font.unitsPerEm);
      expect(table.ascender).toBe(font.ascent);
      for (const ch of 'Aa1 .,“”—中國的，。（）') {
        const cp = ch.codePointAt(0)!;
        const glyph = font.glyphForCodePoint(cp);
        const expected = glyph.id === 0 ? 0xffff : glyph.advanceWidth;
        expect(table.bmp[cp], `${file} U+${cp.toString(16)}`).toBe(expected);
      }
    }
  });

  it('reads a table at any offset of a buffer', () => {
    const good = encodeTable(tableFromFont(NOTO_TC));
    const odd = Buffer.alloc(good.length + 1);
    good.copy(odd, 1);
    const a = decodeTable(good)!;
    const b = decodeTable(odd.subarray(1))!;
    expect(
      Buffer.from(b.bmp.buffer, b.bmp.byteOffset, b.bmp.byteLength).equals(
        Buffer.from(a.bmp.buffer, a.bmp.byteOffset, a.bmp.byteLength),
      ),
    ).toBe(true);
    expect([...b.bmpGlyphs]).toEqual([...a.bmpGlyphs]);
    expect([...b.astral.codePoints]).toEqual([...a.astral.codePoints]);
    expect([...b.astral.glyphs]).toEqual([...a.astral.glyphs]);
    expect(b.astral.codePoints.length).toBeGreaterThan(1000);
  });

  it('rejects a table that is not one', () => {
    expect(decodeTable(Buffer.from('garbage'))).toBeNull();
    const good = encodeTable(tableFromFont(CARLITO));
    expect(decodeTable(good.subarray(0, good.length - 2))).toBeNull();
  });
});

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes archives other readers open, deflating only what gets smaller', () => {
    const text = Buffer.from('<a>hello</a>'.repeat(500));
    const noise = randomBytes(4096);
    const zip = writeZip(
      [
        { name: '[Content_Types].xml', data: text },
        { name: 'ppt/media/noise.bin', data: noise },
        { name: 'docs/名前.txt', data: Buffer.from('ok') },
      ],
      new Date(2025, 10, 28, 12),
    );
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['[Content_Types].xml', 'ppt/media/noise.bin', 'docs/名前.txt']);
    expect(Buffer.from(files['[Content_Types].xml']!).equals(text)).toBe(true);
    expect(Buffer.from(files['ppt/media/noise.bin']!).equals(Buffer.from(noise))).toBe(true);
    expect(zip.length).toBeLessThan(text.length);
    // The first entry is deflated (method 8), the noise stored (method 0).
    const view = Buffer.from(zip);
    expect(view.readUInt16LE(8)).toBe(8);
    const second = view.indexOf(Buffer.from('ppt/media/noise.bin')) - 30;
    expect(view.readUInt16LE(second + 8)).toBe(0);
  });
});

describe('PDF text without shaping', () => {
  it('gives the glyphs and advances fontkit shaping gives with ligatures and kerning off', () => {
    const features = { liga: false, clig: false, dlig: false, kern: false, calt: false };
    for (const [file, text] of [
      [CARLITO, 'Office fine flow, “AI” — 2025: 10.5% of ﬁles'],
      [NOTO_TC, '美國與中國的人工智慧競賽，不只是模型（2025 年）。'],
    ] as const) {
      const font = fontkit.openSync(file) as import('fontkit').Font;
      const shaped = font.layout(text, features);
      const plain = (
        withPlainLayout(fontkit.openSync(file) as never) as {
          layout(t: string): { glyphs: { id: number }[]; positions: { xAdvance: number }[] };
        }
      ).layout(text);
      expect(plain.glyphs.map((g) => g.id)).toEqual(shaped.glyphs.map((g) => g.id));
      expect(plain.positions.map((p) => p.xAdvance)).toEqual(shaped.positions.map((p) => p.xAdvance));
    }
  });
});
