// Chinese: derivation of Simplified from Traditional, line-breaking rules, fonts and glyphs.
import { describe, expect, it } from 'vitest';
import { breakLines } from '../src/layout/break-lines.js';
import { fakeFontBook, faceFor, type FaceChain, type FontMetrics } from '../src/layout/font-metrics.js';
import { deriveHans, openccTaiwanToMainland } from '../src/localize/derive-hans.js';

const toHans = openccTaiwanToMainland();
const glossary = [
  { terms: { en: 'AI', 'zh-Hant': '人工智慧', 'zh-Hans': '人工智能' }, span: { file: 'pack.yaml', line: 1, col: 1 } },
  { terms: { en: 'build', 'zh-Hant': '建立', 'zh-Hans': '建立' }, span: { file: 'pack.yaml', line: 2, col: 1 } },
  { terms: { en: 'tech stack', 'zh-Hant': '技術堆疊', 'zh-Hans': '技术栈' }, span: { file: 'pack.yaml', line: 3, col: 1 } },
];

describe('deriveHans', () => {
  it('converts Taiwan phrases to mainland usage', () => {
    expect(deriveHans('軟體與網路', [], toHans)).toBe('软件与网络');
  });

  it('protects glossary terms from the conversion and uses their fixed forms', () => {
    // OpenCC alone turns 建立 into 创建 and 技術堆疊 into 技术堆栈.
    expect(toHans('建立技術堆疊')).not.toBe('建立技术栈');
    expect(deriveHans('美國必須建立自己的技術堆疊與人工智慧產業。', glossary, toHans)).toBe('美国必须建立自己的技术栈与人工智能产业。');
  });

  it('turns corner brackets into curly quotation marks', () => {
    expect(deriveHans('他說：「這是『勝利』。」', [], toHans)).toBe('他说：“这是‘胜利’。”');
  });

  it('leaves text without Chinese alone', () => {
    expect(deriveHans('50% of 2030', glossary, toHans)).toBe('50% of 2030');
  });
});

const em = (cp: number) => (cp === 0x20 ? 250 : 1000);
const cjkFace: FontMetrics = { file: 'cjk', unitsPerEm: 1000, ascender: 880, descender: -120, capHeight: 700, advance: em };
const chain: FaceChain = { faces: [cjkFace], preferEa: true };
const lines = (text: string, width: number, size = 10) => breakLines([{ text, chain, size, letterSpacing: 0 }], width).lines.map((l) => l.fragments.map((f) => f.text).join(''));

const NO_START = '，。、；：！？」』）';
const NO_END = '「『（';

describe('Chinese line breaking', () => {
  it('never starts a line with closing punctuation or ends one with opening punctuation', () => {
    // Every width from 3 to 20 characters over text dense with punctuation.
    const text = '美國「在前沿保持領先」，但這還不夠；中國（以及其他國家）正在追趕！為什麼？因為『應用』比創新更重要。擴散、整合、安全：缺一不可。';
    for (let chars = 3; chars <= 20; chars++) {
      const broken = lines(text, chars * 10);
      expect(broken.join('')).toBe(text);
      for (const line of broken.slice(1)) expect(NO_START, `width ${chars}: “${line}”`).not.toContain(line[0]);
      for (const line of broken.slice(0, -1)) expect(NO_END, `width ${chars}: “${line}”`).not.toContain(line[line.length - 1]);
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
    const latin: FontMetrics = { file: 'latin', unitsPerEm: 1000, ascender: 900, descender: -250, capHeight: 650, advance: (cp) => (cp < 0x2e80 ? 500 : null) };
    const zh: FaceChain = { faces: [latin, cjkFace], preferEa: true };
    expect(faceFor(zh, 'A'.codePointAt(0)!)).toBe(0);
    expect(faceFor(zh, '國'.codePointAt(0)!)).toBe(1);
    expect(faceFor(zh, '“'.codePointAt(0)!)).toBe(1); // Chinese quotation marks are full-width
    expect(faceFor({ ...zh, preferEa: false }, '“'.codePointAt(0)!)).toBe(0); // English ones are not
  });

  it('names every character no face can set', () => {
    const book = fakeFontBook();
    const none: FaceChain = { faces: [{ ...book.styles.regular.faces[0]!, advance: (cp) => (cp === 0x2ee3 ? null : 500) }], preferEa: false };
    expect(breakLines([{ text: '中⻣文', chain: none, size: 10, letterSpacing: 0 }], 100).missing).toEqual([0x2ee3]);
  });
});
