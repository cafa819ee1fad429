// Faithful to the source, and finished Chinese: locators on every claim, the source a claim was
// read in, derived zh-Hans free of Taiwan words, and one spacing rule in every output.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { loadPack } from '../src/load/load-pack.js';
import { openccTaiwanToMainland } from '../src/localize/derive-hans.js';
import { localizePack } from '../src/localize/localize-pack.js';
import { bindUnits, cjkSpacing } from '../src/localize/spacing.js';
import { TAIWAN_WORDS, taiwanWordsIn } from '../src/localize/taiwan-words.js';
import { paragraphXml } from '../src/render/pptx/text-body-xml.js';
import { paragraphNumbers, traceClaims } from '../src/trace-claims.js';
import { PACK, readPptx, runCli, tempDir } from './helpers.js';

const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
/** A plain space between Chinese and Latin text, either way round. */
const MIXED_SPACE = new RegExp(`[${CJK}] +[A-Za-z0-9]|[A-Za-z0-9%] +[${CJK}]`);
/** A number and a unit with a plain (breakable) space between them. */
const LOOSE_UNIT = /\d (?:[kMGT]?W|GW|h|%|bn|km|kg)(?![A-Za-z])/;
const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'] as const;

/** Every string value in a localized pack, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => (k === 'span' || k === 'file' ? [] : strings(v)));
  return [];
}

describe('spacing', () => {
  it('removes the space between Chinese and Latin text, and binds a number to its unit', () => {
    expect(cjkSpacing('DeepSeek 等中國業者（ 2025 ）僅落後 3 個月，占 20% 。')).toBe(
      'DeepSeek等中國業者（2025）僅落後3個月，占20%。',
    );
    expect(cjkSpacing('the 2030 goal, 5 GW')).toBe('the 2030 goal, 5 GW');
    expect(bindUnits('the first 5 GW cluster, 24 h a day, in 2024 to 2030')).toBe(
      'the first 5\u00a0GW cluster, 24\u00a0h a day, in 2024 to 2030',
    );
  });
});

describe('the built-in pack against its source', () => {
  const { pack } = loadPack(PACK);

  it('gives every point, figure, quote and recommendation a source and a paragraph locator', () => {
    expect(pack).not.toBeNull();
    const claims = traceClaims(pack!, 'en');
    expect(claims.length).toBeGreaterThan(100);
    const unlocated = claims.filter((c) => !c.source || !c.at || paragraphNumbers(c.at).length === 0);
    expect(unlocated.map((c) => `${c.span.file}:${c.span.line}`)).toEqual([]);
    // The commentary has 47 paragraphs; Kahl & Mitre are read in it.
    for (const c of claims) for (const n of paragraphNumbers(c.at!)) expect(n).toBeLessThanOrEqual(47);
    expect(claims.every((c) => c.source !== 'kahl-mitre-2025' || c.via === 'guohua-2025')).toBe(true);
  });

  it('reads locators as paragraph numbers', () => {
    expect(paragraphNumbers('¶6')).toEqual([6]);
    expect(paragraphNumbers('¶11–13')).toEqual([11, 12, 13]);
    expect(paragraphNumbers('¶36; options ¶11, ¶25')).toEqual([36, 11, 25]);
    expect(paragraphNumbers('p. 4')).toEqual([]);
  });

  it('derives Simplified Chinese with none of the Taiwan words, in any value', () => {
    const { pack: hans, diagnostics } = localizePack(pack!, 'zh-Hans', { toHans: openccTaiwanToMainland() });
    expect(diagnostics.filter((d) => d.code === 'hans-taiwan-word').map((d) => d.message)).toEqual([]);
    const found = strings(hans).flatMap((s) => taiwanWordsIn(s).map(([w]) => `${w}: ${s.slice(0, 40)}`));
    expect(found).toEqual([]);
    // The list is kept in the repository and is not empty.
    expect(TAIWAN_WORDS.length).toBeGreaterThan(30);
  });

  it('warns at the zh-Hant value when the derived zh-Hans keeps a Taiwan word', () => {
    const dir = tempDir();
    cpSync(PACK, dir, { recursive: true });
    const file = join(dir, 'modules', 'stakes.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /^title: \{ en: ("[^"]*"), zh-Hant: "[^"]*" \}/m,
        'title: { en: $1, zh-Hant: "租稅制度為何重要" }',
      ),
    );
    const r = runCli(['check', '--content', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stakes\.yaml:2:\d+: warning\[hans-taiwan-word\]: .*`租税`.*`税收`/);
  });

  it('refuses a source read in itself', () => {
    const dir = tempDir();
    cpSync(PACK, dir, { recursive: true });
    const file = join(dir, 'pack.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('via: guohua-2025', 'via: kahl-mitre-2025'));
    const r = runCli(['check', '--content', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('source-via-loop');
  });

  it('prints each claim beside its locator and the paragraph it names (`check --trace`)', () => {
    const dir = tempDir();
    const text = join(dir, 'commentary.txt');
    writeFileSync(text, Array.from({ length: 47 }, (_, i) => `paragraph ${i + 1} text`).join('\n\n'));
    const r = runCli(['check', '--trace', '--source-text', `guohua-2025=${text}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /stakes\.yaml:\d+:\d+ {2}point {2}kahl-mitre-2025 \(read in guohua-2025\) {2}¶6\n {2}.+\n {4}¶6 {2}paragraph 6 text\n/,
    );
    expect(r.stdout).toMatch(/\n\d+ claims; (\d+) with a locator, 0 without\n/);
    const bad = runCli(['check', '--trace', '--source-text', 'nosuch=x.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a source of the pack');
  });
});

describe('Chinese typography in the outputs', () => {
  it('sets the Chinese of an italic run upright and keeps its Latin words italic (PPTX)', () => {
    const run = {
      text: '據DeepSeek說：「夠用」\nwell',
      style: 'italic' as const,
      size: 18,
      color: '000000',
      face: 'Calibri',
      eaFace: 'Microsoft JhengHei',
      lang: 'zh-TW',
      href: null,
      charSpacing: 0,
    };
    const xml = paragraphXml(
      {
        runs: [run],
        role: 'body',
        align: 'left',
        bullet: null,
        spaceBefore: 0,
        spaceAfter: 0,
        lineHeight: 20,
        lines: 2,
      },
      () => ({ latin: 'Calibri', ea: 'Microsoft JhengHei', cs: 'Calibri' }),
    );
    const runs = [...xml.matchAll(/<a:r><a:rPr[^>]* i="(\d)"[^>]*>.*?<a:t>([^<]*)<\/a:t><\/a:r>/g)].map((m) => [
      m[2],
      m[1],
    ]);
    expect(runs).toEqual([
      ['據', '0'],
      ['DeepSeek', '1'],
      ['說：「夠用」', '0'],
      ['well', '1'],
    ]);
    expect(xml).toContain('<a:br>');
  });

  it('writes no breakable space between a number and its unit, no space between Chinese and Latin text, and no italic Chinese (PPTX)', async () => {
    for (const lang of ['zh-Hant', 'zh-Hans', 'en'] as const) {
      for (const audience of AUDIENCES) {
        const built = await buildDeck({ content: PACK, lang, audience, slides: 10 });
        if (!built.ok) throw new Error(`${lang} ${audience}: build failed`);
        const { files } = readPptx(built.result.bytes);
        for (const [name, xml] of Object.entries(files)) {
          if (!/^ppt\/slides\/slide\d+\.xml$/.test(name)) continue;
          for (const m of xml.matchAll(/<a:r><a:rPr([^>]*)>.*?<a:t>([^<]*)<\/a:t><\/a:r>/g)) {
            const [attrs, text] = [m[1]!, m[2]!];
            const where = `${lang} ${audience} ${name}: ${text}`;
            expect(LOOSE_UNIT.test(text), where).toBe(false);
            if (lang !== 'en') expect(MIXED_SPACE.test(text), where).toBe(false);
            if (new RegExp(`[${CJK}]`).test(text)) expect(attrs, where).not.toMatch(/ i="1"/);
            expect(text, where).not.toContain('・');
          }
        }
      }
    }
  });

  it('sets the memo with the same rule, one separator per language, and the 簽 in its order', async () => {
    const order: Record<string, string[]> = {
      'zh-Hant': ['## 主旨', '## 說明', '## 擬辦'],
      'zh-Hans': ['## 核心要点', '## 作者建议华盛顿采取的举措'],
    };
    for (const lang of ['zh-Hant', 'zh-Hans'] as const) {
      const built = await buildMemo({ content: PACK, lang, audience: 'policymaker', pages: 1 });
      if (!built.ok) throw new Error('build failed');
      const md = built.result.build.markdown;
      for (const line of md.split('\n').filter((l) => !l.includes('://')))
        expect(MIXED_SPACE.test(line), `${lang}: ${line}`).toBe(false);
      expect(md).not.toContain('・');
      const at = order[lang]!.map((h) => md.indexOf(h));
      expect(
        at.every((i) => i >= 0),
        `${lang}: ${at}`,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
  });
});
