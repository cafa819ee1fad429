// Hostile text in every field still gives a well-formed deck and memo, with nothing out of its
// box. Property-based (fast-check): PROPERTY_RUNS sets the number of cases (CI runs 1,000).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildDeck, buildMemo } from '../src/index.js';
import { readPptx, tempDir } from './helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

/** Strings that have broken document generators: structure, markup, encodings, scripts, sizes. */
const nasty = fc.constantFrom(
  '*bold* _it_ `code`',
  '# heading',
  '---',
  '- item\n- item',
  '1. one',
  '<!-- notes: x -->',
  '<script>alert(1)</script>',
  '{{title}} {{{raw}}} {{> partial}}',
  '| a | b |\n|---|---|',
  '[link](javascript:x) ![img](x.png)',
  '\\ \\\\ \\*',
  '&amp; &lt; &#x0; ]]> </a:t></a:p>',
  'ctrl\u0000\u0001\u0008\u000b\u000c\u001f\u007f\ufffe\uffff end',
  'lone \ud800 high and \udfff low',
  '👩‍👩‍👧‍👦 🏳️‍🌈 🇹🇼 👍🏽 é (e\u0301)',
  'שלום עולם مرحبا بالعالم',
  'A'.repeat(200),
  '中'.repeat(120),
  'https://example.org/' + 'a'.repeat(180),
  '⻣ 𠀀 𪚥 ꙮ',
  'tab\there\r\nCRLF\rCR',
  '\u200b\u200d\u2060\ufeffinvisible',
  '「引號」『雙引號』（括號）',
);

const text = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: max }) },
    { weight: 3, arbitrary: nasty.map((s) => s.slice(0, Math.max(max, 20))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(nasty, fc.string({ unit: 'grapheme', maxLength: 20 }))
        .map(([a, b]) => `${a} ${b}`.slice(0, max)),
    },
  );

const pack = fc.record({
  title: text(60),
  subtitle: text(80),
  bluf: text(240),
  moduleTitle: text(40),
  summary: text(100),
  points: fc.array(text(220), { minLength: 2, maxLength: 4 }),
  factValue: text(8),
  factLabel: text(90),
  quote: text(160),
  by: text(60),
  recommendation: text(200),
  notes: text(300),
  sourceTitle: text(80),
});

type HostilePack = typeof pack extends fc.Arbitrary<infer T> ? T : never;

function writePack(dir: string, p: HostilePack): void {
  const en = (s: string) => ({ en: s });
  mkdirSync(join(dir, 'modules'), { recursive: true });
  writeFileSync(
    join(dir, 'pack.yaml'),
    stringify({
      id: 'hostile',
      languages: ['en'],
      title: en(p.title),
      subtitle: en(p.subtitle),
      date: '2025-01-01',
      bluf: en(p.bluf),
      sources: [{ id: 'src', title: en(p.sourceTitle), authors: [p.by.slice(0, 30) || 'A'] }],
      glossary: [{ en: p.factValue, definition: en(p.factLabel) }],
    }),
  );
  writeFileSync(
    join(dir, 'modules', 'm.yaml'),
    stringify({
      id: 'm',
      title: en(p.moduleTitle),
      summary: en(p.summary),
      points: p.points.map((t, i) => ({ text: en(t), priority: i === 0 ? 1 : 2, source: 'src' })),
      facts: [
        { value: en(p.factValue), label: en(p.factLabel), source: 'src' },
        { value: '42%', label: en(p.summary), source: 'src' },
      ],
      quotes: [{ text: en(p.quote), by: en(p.by), source: 'src' }],
      recommendations: [{ text: en(p.recommendation), priority: 1, source: 'src' }],
      notes: en(p.notes),
    }),
  );
}

describe('hostile text', () => {
  it(
    `gives well-formed, fitting decks and memos for any text (${RUNS} cases)`,
    async () => {
      const dir = tempDir('briefing-hostile-');
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      await fc.assert(
        fc.asyncProperty(pack, fc.constantFrom('policymaker', 'public'), async (p, audience) => {
          writePack(dir, p);
          const deck = await buildDeck({ content: dir, lang: 'en', audience, slides: 5 });
          expect(deck.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          if (!deck.ok) return;
          const { slides, files } = readPptx(deck.result.bytes);
          expect(slides).toHaveLength(5);
          for (const [name, xml] of Object.entries(files)) expect(XMLValidator.validate(xml), name).toBe(true);
          for (const boxes of deck.result.build.layout.fit)
            for (const b of boxes) expect(b.overflow, b.box).toBe(false);

          const memo = await buildMemo({ content: dir, lang: 'en', audience, pages: 1 });
          expect(memo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          if (!memo.ok) return;
          const doc = await pdfjs.getDocument({
            data: new Uint8Array(memo.result.bytes),
            verbosity: 0,
            isEvalSupported: false,
          }).promise;
          expect(doc.numPages).toBe(1);
          await doc.destroy();
          const m = memo.result.build.layout;
          // Everything drawn inside the page.
          for (const it of m.pages[0]!.items)
            if (it.type === 'text') expect(it.x >= 0 && it.y > 0 && it.y < m.height, it.text).toBe(true);
        }),
        { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20251020), endOnFailure: true },
      );
    },
    RUNS * 3000,
  );
});
