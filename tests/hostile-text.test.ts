// Text that used to be cut or garbled on its way to a slide: speaker notes shared out by sentence
// (decimals, abbreviations, URLs, no final stop) and zh-Hans derivation with thousands of
// glossary terms or Private Use Area characters of the author's own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveHans, openccTaiwanToMainland } from '../src/localize/derive-hans.js';
import type { GlossaryEntry } from '../src/model/content.js';
import type { LModule } from '../src/model/localized.js';
import { planDeck } from '../src/plan/plan-deck.js';
import { splitSentences } from '../src/plan/sentences.js';
import { prepare } from '../src/prepare.js';
import { PACK } from './helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
/** Text without its whitespace, which may change between sentences when they are shared out. */
const bare = (text: string) => text.replace(/\s+/g, '');

describe('splitSentences', () => {
  it('keeps a number and a trailing domain whole', () => {
    expect(splitSentences('See version 2.5 of the plan at example.org/report')).toEqual([
      'See version 2.5 of the plan at example.org/report',
    ]);
    expect(splitSentences('The fund holds 1.000 euros. It grew to 2.5 million.')).toEqual([
      'The fund holds 1.000 euros. ',
      'It grew to 2.5 million.',
    ]);
  });

  it('does not end a sentence at an abbreviation', () => {
    const text =
      'Dr. Smith and Mr. Jones met at No. 10 vs. the U.S. team, cf. St. Louis. Chips, data, etc. are inputs, e.g. here, i.e. now. Done.';
    expect(splitSentences(text)).toEqual([
      'Dr. Smith and Mr. Jones met at No. 10 vs. the U.S. team, cf. St. Louis. ',
      'Chips, data, etc. are inputs, e.g. here, i.e. now. ',
      'Done.',
    ]);
  });

  it('still ends a sentence at a word that is also an abbreviation before numbers', () => {
    expect(splitSentences('The answer was no. Then we left.')).toEqual(['The answer was no. ', 'Then we left.']);
  });

  it('does not end a sentence at an initial', () => {
    expect(splitSentences('Colin H. Kahl and Jim Mitre wrote it. They agree.')).toEqual([
      'Colin H. Kahl and Jim Mitre wrote it. ',
      'They agree.',
    ]);
  });

  it('does not split URLs, and ends a sentence after one', () => {
    expect(splitSentences('Read https://x.y/z.html?a=1 first. Then example.org/report.')).toEqual([
      'Read https://x.y/z.html?a=1 first. ',
      'Then example.org/report.',
    ]);
  });

  it('splits Chinese at full-width stops with no space, keeping closing quotes', () => {
    expect(splitSentences('第一句。第二句！第三句？')).toEqual(['第一句。', '第二句！', '第三句？']);
    expect(splitSentences('他說：「好。」然後走了。（完）')).toEqual(['他說：「好。」', '然後走了。', '（完）']);
    expect(splitSentences('版本 2.5。見 example.org/report。')).toEqual(['版本 2.5。', '見 example.org/report。']);
  });

  it('splits mixed Chinese and English text', () => {
    expect(splitSentences('AI 很重要。The U.S. leads. 中國追趕!真的嗎?是。')).toEqual([
      'AI 很重要。',
      'The U.S. leads. ',
      '中國追趕!',
      '真的嗎?',
      '是。',
    ]);
  });

  it('keeps closing quotes with their sentence and a lower-case word with the sentence before', () => {
    expect(splitSentences('He said “go.” Then he left (for good.) Yes!')).toEqual([
      'He said “go.” ',
      'Then he left (for good.) ',
      'Yes!',
    ]);
    expect(splitSentences('“Why?” she asked. Because.')).toEqual(['“Why?” she asked. ', 'Because.']);
  });

  it('keeps text after the last stop, and stops at the start', () => {
    expect(splitSentences('One. Two')).toEqual(['One. ', 'Two']);
    expect(splitSentences('...and so on. Next')).toEqual(['...and so on. ', 'Next']);
    expect(splitSentences('no stop at all')).toEqual(['no stop at all']);
  });

  it('gives no sentences for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });

  it('joins back into the input, whatever it is', () => {
    const pieces = fc.constantFrom(
      '.',
      '!',
      '?',
      '。',
      '！',
      '？',
      '”',
      '」',
      ')',
      '"',
      ' ',
      '\n',
      'a',
      'H',
      'e.g',
      'U.S',
      'Dr',
      'etc',
      'no',
      '2',
      '5',
      '中',
      '國',
      'https://x.y/z',
      '\uE000',
    );
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(pieces, { maxLength: 40 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const said = splitSentences(text);
        expect(said.join('')).toBe(text.trim() === '' ? '' : text);
        for (const s of said) expect(s.trim()).not.toBe('');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('speaker notes shared over a module’s slides', () => {
  const { prepared: p, diagnostics } = prepare({ content: PACK, lang: 'en', audience: 'policymaker' });
  if (!p) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const base = p.pack.modules[0]!;
  // Enough points for up to five slides, none of them on the summary.
  const points = Array.from({ length: 16 }, (_, i) => ({
    ...base.points[i % base.points.length]!,
    ref: `${base.id}/hostile/${i}`,
    audiences: null,
  }));
  const notOnSlides = p.templates.strings.deck.notOnSlides!;

  /** The module's notes share on each of its point slides, for every deck length that shows it. */
  const sharesByParts = (notes: string): Map<number, string[]> => {
    const module: LModule = { ...base, points, notes: { text: notes, span: base.notes!.span } };
    const pack = { ...p.pack, modules: [module] };
    const byParts = new Map<number, string[]>();
    for (let n = 3; n <= 12; n++) {
      const plan = planDeck({
        pack,
        audience: p.audience,
        slides: n,
        strings: p.templates.strings,
        marking: null,
        date: p.date,
      }).plan;
      if (!plan) continue;
      const slides = plan.slides.filter(
        (s) => s.module === module.id && ['bullets', 'chart', 'two-column'].includes(s.layout),
      );
      byParts.set(
        slides.length,
        slides.map((s) => (s.notes ?? '').split(notOnSlides)[0]!.trim()),
      );
    }
    return byParts;
  };

  const cases = [
    'See version 2.5 of the plan at example.org/report',
    'Dr. Smith met Colin H. Kahl in the U.S. on Jan. 5. Costs rose 2.5% (see https://x.y/z.html), i.e. a lot! Was it worth it? We think so, etc. The rest is at example.org/report',
    '美國的領先比表面上脆弱。科林·卡爾（Colin H. Kahl）認為：「這是幾場競賽之一。」版本 2.5 見 example.org/report',
  ];

  it.each(cases)('loses nothing over 1 to 4 slides: %s', (notes) => {
    const byParts = sharesByParts(notes);
    for (const parts of [1, 2, 3, 4]) {
      const shares = byParts.get(parts);
      expect(shares, `a deck with ${parts} slides for the module`).toBeDefined();
      expect(bare(shares!.join('')), `${parts} slides`).toBe(bare(notes));
    }
  });

  it('starts each slide’s share at the start of a sentence', () => {
    const starts = ['Dr. Smith', 'Costs rose', 'Was it', 'We think', 'The rest'];
    for (const shares of sharesByParts(cases[1]!).values()) {
      for (const share of shares.filter(Boolean))
        expect(
          starts.some((s) => share.startsWith(s)),
          share,
        ).toBe(true);
    }
  });
});

describe('deriveHans with a large glossary', () => {
  const toHans = openccTaiwanToMainland();
  const span = { file: 'pack.yaml', line: 1, col: 1 };
  const entry = (hant: string, hans?: string): GlossaryEntry => ({
    terms: hans === undefined ? { 'zh-Hant': hant } : { 'zh-Hant': hant, 'zh-Hans': hans },
    definition: null,
    span,
  });
  // Characters OpenCC changes, so a term it converted instead of the glossary would show.
  const pool = [...'國語學體網環經濟發動機電腦資訊軟應術態權區總線聯認證書館鐵場員專業處際層圖點擊複雜'];
  const terms = Array.from({ length: 5000 }, (_, i) => {
    const hant = [i % pool.length, Math.floor(i / pool.length) % pool.length, Math.floor(i / pool.length ** 2)]
      .map((k) => pool[k])
      .join('');
    return { hant, hans: i % 7 === 0 ? undefined : `术语${i}` };
  });
  const glossary = terms.map((t) => entry(t.hant, t.hans));

  it('replaces each of 5,000 terms by its zh-Hans form', () => {
    expect(new Set(terms.map((t) => t.hant)).size).toBe(terms.length);
    const text = terms.map((t) => t.hant).join('，');
    const expected = terms.map((t) => t.hans ?? toHans(t.hant)).join('，');
    const out = deriveHans(text, glossary, toHans);
    expect(out).not.toMatch(/[\uE000-\uF8FF]/);
    expect(out).toBe(expected);
  });

  it('uses the longest term at each position', () => {
    const g = [entry('人工', '甲'), entry('人工智慧', '乙')];
    expect(deriveHans('人工智慧與人工', g, toHans)).toBe('乙与甲');
  });

  it('matches terms with characters outside the Basic Multilingual Plane', () => {
    expect(deriveHans('𠀾國與國', [entry('𠀾國', '甲')], toHans)).toBe(`甲${toHans('與國')}`);
  });

  it('leaves Private Use Area characters of the author’s alone', () => {
    const text = '\uE000\uE105\uE001 與軟體\uE105';
    const out = deriveHans(text, glossary, toHans);
    expect(out).toBe(`\uE000\uE105\uE001 ${toHans('與軟體')}\uE105`);
    expect(deriveHans(`${terms[5]!.hant}\uE000\uE105\uE001`, glossary, toHans)).toBe(
      `${terms[5]!.hans}\uE000\uE105\uE001`,
    );
  });

  it('converts text with no terms exactly as OpenCC alone', () => {
    const text = '美國必須建立自己的技術堆疊，軟體與網路產業的發展也要跟上。';
    expect(terms.some((t) => text.includes(t.hant))).toBe(false);
    expect(deriveHans(text, glossary, toHans)).toBe(toHans(text));
  });
});
