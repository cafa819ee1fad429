// Chinese: derivation of Simplified from Traditional, line-breaking rules, fonts and glyphs.
import { describe, expect, it } from 'vitest';
import { breakLines } from '../src/layout/break-lines.js';
import { type FaceChain, type FontMetrics, faceFor, fakeFontBook } from '../src/layout/font-metrics.js';
import { deriveHans, openccTaiwanToMainland } from '../src/localize/derive-hans.js';

const toHans = openccTaiwanToMainland();
const glossary = [
  {
    terms: { en: 'AI', 'zh-Hant': '人工智慧', 'zh-Hans': '人工智能' },
    definition: null,
    span: { file: 'pack.yaml', line: 1, col: 1 },
  },
  {
    terms: { en: 'build', 'zh-Hant': '建立', 'zh-Hans': '建立' },
    definition: null,
    span: { file: 'pack.yaml', line: 2, col: 1 },
  },
  {
    terms: { en: 'tech stack', 'zh-Hant': '技術堆疊', 'zh-Hans': '技术栈' },
    definition: null,
    span: { file: 'pack.yaml', line: 3, col: 1 },
  },
];

describe('deriveHans', () => {
  it('converts Taiwan phrases to mainland usage', () => {
    expect(deriveHans('軟體與網路', [], toHans)).toBe('软件与网络');
  });

  it('protects glossary terms from the conversion and uses their fixed forms', () => {
    // OpenCC alone turns 建立 into 创建 and 技術堆疊 into 技术堆栈.
    expect(toHans('建立技術堆疊')).not.toBe('建立技术栈');
    expect(deriveHans('美國必須建立自己的技術堆疊與人工智慧產業。', glossary, toHans)).toBe(
      '美国必须建立自己的技术栈与人工智能产业。',
    );
  });

  it('turns corner brackets into curly quotation marks', () => {
    expect(deriveHans('他說：「這是『勝利』。」', [], toHans)).toBe('他说：“这是‘胜利’。”');
  });

  it('leaves text without Chinese alone', () => {
    expect(deriveHans('50% of 2030', glossary, toHans)).toBe('50% of 2030');
  });
});

const em = (cp: number) => (cp === 0x20 ? 250 : 1000);
const cjkFace: FontMetrics = {
  file: 'cjk',
  unitsPerEm: 1000,
  ascender: 880,
  descender: -120,
  capHeight: 700,
  advance: em,
  glyph: (cp) => cp,
};
const chain: FaceChain = { faces: [cjkFace], preferEa: true };
const lines = (text: string, width: number, size = 10) =>
  breakLines([{ text, chain, size, letterSpacing: 0 }], width).lines.map((l) =>
    l.fragments.map((f) => f.text).join(''),
  );

const NO_START = '，。、；：！？」』）';
const NO_END = '「『（';

describe('Chinese line breaking', () => {
  it('never starts a line with closing punctuation or ends one with opening punctuation', () => {
    // Every width from 3 to 20 characters over text dense with punctuation.
    const text =
      '美國「在前沿保持領先」，但這還不夠；中國（以及其他國家）正在追趕！為什麼？因為『應用』比創新更重要。擴散、整合、安全：缺一不可。';
    for (let chars = 3; chars <= 20; chars++) {
      const broken = lines(text, chars * 10);
      expect(broken.join('')).toBe(text);
      for (const line of broken.slice(1)) expect(NO_START, `width ${chars}: “${line}”`).not.toContain(line[0]);
      for (const line of broken.slice(0, -1))
        expect(NO_END, `width ${chars}: “${line}”`).not.toContain(line[line.length - 1]);
    }
  });

  it('keeps Latin words and numbers with units whole', () => {
    const text = '阿聯酋將興建全球首座 5 GW 的資料中心叢集，預計 2030 年完工，DeepSeek 只落後數月。';
    // From the width of the longest word (DeepSeek, eight ems here) up.
    for (let chars = 8; chars <= 16; chars++) {
      const broken = lines(text, chars * 10);
      for (const line of broken) {
        expect(line.startsWith('GW'), line).toBe(false);
        expect(/^年/.test(line) && broken[broken.indexOf(line) - 1]!.endsWith('2030'), line).toBe(false);
        expect(/^(eek|Seek|pSeek)/.test(line), line).toBe(false);
      }
    }
  });

  it('sets CJK characters and full-width punctuation in the East Asian face', () => {
    const latin: FontMetrics = {
      file: 'latin',
      unitsPerEm: 1000,
      ascender: 900,
      descender: -250,
      capHeight: 650,
      advance: (cp) => (cp < 0x2e80 ? 500 : null),
      glyph: (cp) => (cp < 0x2e80 ? cp : 0),
    };
    const zh: FaceChain = { faces: [latin, cjkFace], preferEa: true };
    expect(faceFor(zh, 'A'.codePointAt(0)!)).toBe(0);
    expect(faceFor(zh, '國'.codePointAt(0)!)).toBe(1);
    expect(faceFor(zh, '“'.codePointAt(0)!)).toBe(1); // Chinese quotation marks are full-width
    expect(faceFor({ ...zh, preferEa: false }, '“'.codePointAt(0)!)).toBe(0); // English ones are not
  });

  it('names every character no face can set', () => {
    const book = fakeFontBook();
    const none: FaceChain = {
      faces: [{ ...book.styles.regular.faces[0]!, advance: (cp) => (cp === 0x2ee3 ? null : 500) }],
      preferEa: false,
    };
    expect(breakLines([{ text: '中⻣文', chain: none, size: 10, letterSpacing: 0 }], 100).missing).toEqual([0x2ee3]);
  });
});

// Characters unique to one script (a small, unambiguous sample), to prove output is in one script.
const SIMPLIFIED_ONLY =
  '国这们为发经说时会对来个与务战争竞术业产关数据华东报简体进开动机电话长问题应该实现权资军欧边过还让从两处认识设计议决级网络导规则风险领标总结论选项费价门车书页图亿条难观点视质变号义气节员历传统线际联协调环场层监财税银货贸济区韩罗维护评测试验练组织构职责负优势胜败输赢创专团队';
const TRADITIONAL_ONLY =
  '國這們為發經說時會對來個與務戰爭競術業產關數據華東報簡體進開動機電話長問題應該實現權資軍歐邊過還讓從兩處認識設計議決級網絡導規則風險領標總結論選項費價門車書頁圖億條難觀點視質變號義氣節員歷傳統線際聯協調環場層監財稅銀貨貿濟區韓羅維護評測試驗練組織構職責負優勢勝敗輸贏創專團隊';

describe('Chinese outputs', async () => {
  const { buildDeck, buildMemo } = await import('../src/index.js');
  const { PACK, readPptx, readPdf } = await import('./helpers.js');
  const cases = [
    {
      lang: 'zh-Hant' as const,
      tag: 'zh-TW',
      ea: 'Microsoft JhengHei',
      font: /NotoSansTC/,
      wrong: SIMPLIFIED_ONLY,
      right: TRADITIONAL_ONLY,
    },
    {
      lang: 'zh-Hans' as const,
      tag: 'zh-CN',
      ea: 'Microsoft YaHei',
      font: /NotoSansSC/,
      wrong: TRADITIONAL_ONLY,
      right: SIMPLIFIED_ONLY,
    },
  ];
  for (const c of cases) {
    it(`tags every run of the ${c.lang} deck ${c.tag}, notes included, with the East Asian face ${c.ea}`, async () => {
      const outcome = await buildDeck({ content: PACK, lang: c.lang, audience: 'policymaker', slides: 10 });
      expect(outcome.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      if (!outcome.ok) return;
      const { slides, files } = readPptx(outcome.result.bytes);
      expect(slides).toHaveLength(10);
      let runs = 0;
      for (const s of slides) {
        for (const shape of s.shapes)
          for (const p of shape.paragraphs)
            for (const r of p) {
              if (r.isBreak) continue;
              runs++;
              expect(r.lang, `${shape.name}: ${r.text}`).toBe(c.tag);
              // Runs with Chinese name the Chinese face; figures such as `2030` the Latin one in both slots.
              expect(r.ea).toBe(/[\u2e80-\u9fff\uff00-\uffef]/.test(r.text) ? c.ea : 'Calibri');
              expect(r.latin).toBe('Calibri');
            }
        for (const lang of s.notesLangs) expect(lang).toBe(c.tag);
      }
      expect(runs).toBeGreaterThan(50);
      for (const [name, xml] of Object.entries(files))
        if (/^ppt\/(slides|slideLayouts|slideMasters|notesMasters)\//.test(name))
          expect(xml, name).not.toMatch(/ lang="en-US"/);
      const text = slides.flatMap((s) => [...s.shapes.map((x) => x.text), s.notes]).join('');
      for (const ch of c.wrong) expect(text.includes(ch), `${c.lang} deck contains ${ch}`).toBe(false);
      expect([...c.right].filter((ch) => text.includes(ch)).length).toBeGreaterThan(20);
    });

    it(`sets the ${c.lang} memo in embedded, subset ${c.font.source} with the right script`, async () => {
      const outcome = await buildMemo({ content: PACK, lang: c.lang, audience: 'policymaker', pages: 1 });
      expect(outcome.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      if (!outcome.ok) return;
      const pdf = await readPdf(outcome.result.bytes);
      expect(pdf.pages).toBe(1);
      expect(pdf.fonts.some((f) => c.font.test(f))).toBe(true);
      for (const f of pdf.fonts) expect(f).toMatch(/^[A-Z]{6}\+/);
      expect(pdf.pageSize).toEqual([595.28, 841.89]);
      const text = pdf.text.join('');
      for (const ch of c.wrong) expect(text.includes(ch), `${c.lang} memo contains ${ch}`).toBe(false);
      // The memo's date: in the Republic of China's era for Taiwan's policymakers, else the common era.
      expect(text).toMatch(/(2025|民國114)年10月20日/);
      expect(text).toMatch(/第 ?1 ?[頁页]/);
      expect(Buffer.from(outcome.result.bytes).toString('latin1')).toContain(`/Lang (${c.tag})`);
    });
  }

  it('uses the memo headings of each language', async () => {
    const hant = await buildMemo({ content: PACK, lang: 'zh-Hant', audience: 'policymaker', pages: 1 });
    const text = (await readPdf(hant.ok ? hant.result.bytes : new Uint8Array())).text.join('');
    // The policymaker's memo is a 簽: 簽於 and a 民國 date, 主旨 (its purpose), 說明, then 擬辦, which
    // says the asks are the authors' for Washington, and 敬陳 to close.
    for (const heading of [
      '簽於',
      '民國114年10月20日',
      '主旨',
      '簽請核示',
      '說明',
      '擬辦',
      '作者建議華府',
      '敬陳',
      '資料來源',
    ])
      expect(text).toContain(heading);
    for (const field of ['受文者', '案由']) expect(text).not.toContain(field);
    const industry = await buildMemo({ content: PACK, lang: 'zh-Hant', audience: 'industry', pages: 1 });
    expect((await readPdf(industry.ok ? industry.result.bytes : new Uint8Array())).text.join('')).toContain(
      '對企業的意義',
    );
  });

  it('derives zh-Hans with the glossary and mainland quotation marks', async () => {
    const { prepare } = await import('../src/prepare.js');
    const { prepared } = prepare({ content: PACK, lang: 'zh-Hans', audience: 'policymaker' });
    const all = JSON.stringify(prepared!.pack);
    expect(all).toContain('人工智能');
    expect(all).not.toContain('人工智慧');
    expect(all).not.toMatch(/[「」『』]/);
  });

  it('refuses a language the pack neither has nor can derive', async () => {
    const { FIXTURES } = await import('./helpers.js');
    const outcome = await buildDeck({
      content: `${FIXTURES}/packs/valid`,
      lang: 'zh-Hans',
      audience: 'policymaker',
      slides: 4,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics[0]!.message).toBe(
      'the pack `tiny` has no `zh-Hans` text and no `zh-Hant` text to derive it from',
    );
  });
});

describe('missing glyphs', () => {
  it('names a character no font has and the content line it came from, in the deck and the memo', async () => {
    const { cpSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { FIXTURES, tempDir } = await import('./helpers.js');
    const { buildDeck, buildMemo } = await import('../src/index.js');
    const dir = tempDir('briefing-glyph-');
    cpSync(join(FIXTURES, 'packs', 'valid'), dir, { recursive: true });
    const file = join(dir, 'modules', 'alpha.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('A supporting point about alpha.', 'A supporting point about alpha 🦄.'),
    );
    const display = (p: string) => p.replace(`${dir}/`, '');
    const deck = await buildDeck({ content: dir, lang: 'en', audience: 'policymaker', slides: 4, display });
    const memo = await buildMemo({ content: dir, lang: 'en', audience: 'policymaker', pages: 1, display });
    for (const outcome of [deck, memo]) {
      const d = outcome.diagnostics.find((x) => x.code === 'missing-glyph');
      expect(d?.message).toMatch(/no glyph for `🦄` \(U\+1F984\)/);
      expect(d?.span).toMatchObject({ file: 'modules/alpha.yaml', line: 9 });
    }
  });
});
