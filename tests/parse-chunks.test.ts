// Parsing chunk by chunk (src/parse/parse-chunks.ts) must give exactly what parsing the whole
// document gives: the same blocks, runs, spans and diagnostics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { parseDeck, parseMemo } from '../src/parse/parse-briefing.js';
import { deckParser, memoParser, splitChunks } from '../src/parse/parse-chunks.js';
import { PACK } from './helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const FILE = 'memo.hbs (output)';

function sameAsWhole(markdown: string): void {
  const memo = memoParser();
  expect(memo.parse(markdown, FILE)).toEqual(parseMemo(markdown, FILE));
  const deck = deckParser();
  expect(deck.parse(markdown, FILE)).toEqual(parseDeck(markdown, FILE));
}

const TRICKY: Record<string, string> = {
  'tight and loose lists': '- a\n- b\n\n- c\n\n1. one\n1. two\n\n3) three\n4) four\n\nafter\n',
  'marker kinds change the list': '- a\n* b\n+ c\n1. d\n2) e\n',
  'ordered list after a paragraph': 'text\n2. not a list\n1. a list\n',
  'nested lists and continuations': '1. a\n   - inner\n\n   more of a\n2. b\nlazy line\n\n- x\n\n      code in item\n',
  'fence with blank lines and headings': '# T\n\n```\ncode\n\n# not a heading\n- not an item\n```\n\n## After\n',
  'fence in an item': '- item\n\n  ```chart\n  {"kind":"bar"}\n\n  ```\n- next\n',
  'multi-line comment': '<!-- region:\n\nheader -->\n\n# Title\n\n<!-- kicker: k -->\ntext\n',
  'setext and breaks': 'Title\n---\n\npara\n\n***\n\n- - -\n\n___\n',
  'link definitions are document-wide': '[a][x]\n\n[x]: https://example.org\n',
  'html blocks': '<div>\n\nx\n</div>\n\n<pre>\n\n# in pre\n</pre>\n',
  // CI's property run found it: a <div> block holds the next line, so that ``` opens no fence.
  'a fence line inside an html block': '<div>\n```\n\n```\n',
  'quotes and tables': '> q\n> q2\n\n> other\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n|x|\n',
  'slides with empty parts': '---\n\n<!-- layout: title -->\n# A\n\n---\n\n---\n\n# C\n\n---\n',
  'separators that are not': '# A\n---\n\ntext\n---\n\n- a\n\n---\n\n```\n\n---\n```\n',
  'unclosed fence and comment': '# A\n\n```\n\n---\n\n# B',
  'tabs and spaces': '-\ta\n\n  # two-space heading\n\n\tcode\n',
  'no final newline and CRLF-free ends': '# A\n\npara',
  empty: '',
};

describe('chunked parsing', () => {
  for (const [name, markdown] of Object.entries(TRICKY)) {
    it(`is the same as whole: ${name}`, () => sameAsWhole(markdown));
  }

  it('is the same as whole for every built-in deck and memo', async () => {
    for (const lang of ['en', 'zh-Hant', 'zh-Hans'] as const) {
      for (const audience of ['policymaker', 'public']) {
        const deck = await buildDeck({ content: PACK, lang, audience, slides: 10 });
        const memo = await buildMemo({ content: PACK, lang, audience, pages: 2 });
        if (!deck.ok || !memo.ok) throw new Error('build failed');
        expect(splitChunks(deck.result.build.markdown, true)?.length).toBe(10);
        expect(splitChunks(memo.result.build.markdown, false)?.length).toBeGreaterThan(10);
        sameAsWhole(deck.result.build.markdown);
        sameAsWhole(memo.result.build.markdown);
      }
    }
  });

  it('is the same as whole for any document made of Markdown lines', () => {
    const line = fc.constantFrom(
      '',
      '',
      '# Heading',
      '## Sub *em*',
      'A paragraph with **bold** and `code`.',
      'lazy continuation',
      '- item',
      '* star item',
      '+ plus item',
      '1. first',
      '2. second',
      '3) paren',
      '   indented three',
      '  - nested item',
      '    four-space code',
      '> quote',
      '>',
      '---',
      '***',
      '- - -',
      '===',
      '```',
      '```chart',
      '~~~',
      '<!-- layout: bullets -->',
      '<!-- open comment',
      'close -->',
      '<div>',
      '| a | b |',
      '| - | - |',
      '[ref]: https://example.org',
      '[link][ref]',
      '\\- escaped',
      '中文段落，沒有空格。',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => sameAsWhole(lines.join('\n'))),
      { numRuns: RUNS },
    );
  });

  it('parses each distinct chunk once in a search', () => {
    const memo = memoParser();
    const a = '# T\n\n1. one\n1. two\n\n## S\n\ntext\n';
    const b = '# T\n\n1. one\n1. two\n1. three\n\n## S\n\ntext\n';
    memo.parse(a, FILE);
    const first = memo.work.parsed;
    expect(first).toBeGreaterThan(0);
    memo.parse(b, FILE);
    // Only the new item is parsed; the rest, moved down a line, is remembered.
    expect(memo.work.parsed - first).toBe('1. three'.length);
    expect(memo.parse(b, FILE)).toEqual(parseMemo(b, FILE));
  });
});
