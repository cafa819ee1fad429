// parse: Briefing Markdown → Document, against golden document.json files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeck, parseMemo, plainText } from '../src/parse/parse-briefing.js';
import { escapeMarkdown, unescapeMarkdown } from '../src/template/escape-markdown.js';
import { FIXTURES, golden, shortDiagnostics } from './helpers.js';

const CASES = join(FIXTURES, 'parse');

describe('parse', () => {
  for (const name of readdirSync(CASES).sort()) {
    it(`parses \`${name}\``, () => {
      const markdown = readFileSync(join(CASES, name, 'briefing.md'), 'utf8');
      const result = name.startsWith('memo') ? parseMemo(markdown, 'briefing.md') : parseDeck(markdown, 'briefing.md');
      golden(join(CASES, name, 'document.json'), `${JSON.stringify(result.document, null, 1)}\n`);
      golden(join(CASES, name, 'diagnostics.txt'), shortDiagnostics(result.diagnostics));
    });
  }

  it('keeps CJK emphasis next to full-width punctuation', () => {
    const { document } = parseMemo('**重要：**本案\n', 'x.md');
    const p = document.blocks[0]!;
    expect(p.type === 'paragraph' && p.runs[0]).toMatchObject({ text: '重要：', bold: true });
  });

  it('splits slides on `---` only, and reads layouts, notes and sources', () => {
    const { document } = parseDeck(readFileSync(join(CASES, 'deck-all-layouts', 'briefing.md'), 'utf8'), 'x.md');
    expect(document.slides.map((s) => s.layout)).toEqual([
      'title',
      'bullets',
      'two-column',
      'key-figure',
      'quote',
      'recommendations',
    ]);
    expect(document.slides[1]!.notes).toEqual(['Say this first.', 'Then this, with a * star.']);
    expect(document.slides[1]!.source).toBe('Source: A Report (2024)');
  });
});

describe('escapeMarkdown', () => {
  const hostile = [
    '*bold*',
    '# heading',
    '- item',
    '1. item',
    '---',
    '<!-- x -->',
    'a | b',
    '[link](x)',
    '`code`',
    '> quote',
    '&amp;',
    'back\\slash',
    '_under_',
    '~strike~',
    '+ plus',
    '=== setext',
    '1) paren',
  ];
  for (const text of hostile) {
    it(`keeps \`${text}\` as literal text in a list item and a heading`, () => {
      const md = `<!-- layout: bullets -->\n\n## ${escapeMarkdown(text)}\n\n- ${escapeMarkdown(text)}\n`;
      const { document } = parseDeck(md, 'x.md');
      const slide = document.slides[0]!;
      expect(document.slides).toHaveLength(1);
      const heading = slide.blocks[0]!;
      const list = slide.blocks[1]!;
      expect(heading.type === 'heading' && plainText(heading.runs)).toBe(text);
      expect(list.type === 'list' && list.items.length).toBe(1);
      const item = list.type === 'list' ? list.items[0]!.blocks[0]! : null;
      expect(item?.type === 'paragraph' && plainText(item.runs)).toBe(text);
    });
  }

  it('round-trips through directive values', () => {
    for (const text of hostile) expect(unescapeMarkdown(escapeMarkdown(text))).toBe(text);
  });
});

describe('docs/briefing-markdown.md', () => {
  it('has an example of every layout, and each one parses and lays out without a problem', async () => {
    const { ROOT } = await import('./helpers.js');
    const { loadTemplates } = await import('../src/load/load-templates.js');
    const { layoutDeck, DECK_LAYOUTS } = await import('../src/layout/layout-deck.js');
    const { fontsFor } = await import('../src/pipeline.js');
    const doc = readFileSync(join(ROOT, 'docs', 'briefing-markdown.md'), 'utf8');
    const examples = [...doc.matchAll(/(`{3,4})markdown\n([\s\S]*?)\n\1(?!`)/g)]
      .map((m) => m[2]!)
      .filter((x) => x.includes('<!-- layout:'));
    const { templates } = loadTemplates({ audience: 'policymaker', lang: 'en' });
    const seen = new Set<string>();
    for (const md of examples) {
      const { document, diagnostics } = parseDeck(md, 'example.md');
      expect(diagnostics).toEqual([]);
      const laid = layoutDeck({
        document,
        theme: templates!.theme,
        fonts: fontsFor(templates!, 'en', 'deck'),
        lang: 'en',
        langTag: 'en-US',
        title: 'T',
        author: null,
        subject: null,
        date: '2025-01-01',
        quotes: { open: '“', close: '”' },
      });
      expect(laid.diagnostics).toEqual([]);
      expect(laid.overflows).toEqual([]);
      seen.add(document.slides[0]!.layout);
    }
    expect([...seen].sort()).toEqual([...DECK_LAYOUTS].sort());
  });
});
