// A template folder is data written by someone else: whatever its theme.yaml and strings say, a
// build either reports the problem (with its place) or gives well-formed files; it never throws
// (an exit 70) and never writes markup it did not mean to. Property-based (fast-check):
// PROPERTY_RUNS sets the number of cases (CI runs 1,000).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildDeck, buildMemo } from '../src/index.js';
import { PACK, tempDir } from './helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

/** Values that break XML writers, terminals, placeholders and layout code. */
const hostile = fc.constantFrom(
  'Cal"ibri<&\'>',
  'X"/><a:ea typeface="Y',
  ']]></a:t><a:t>',
  '&amp; &lt; &#x0;',
  '\u0000\u0001\u0008\u000b\u000c\u001f\u007f\ufffe\uffff',
  '\u001b[2J\u001b]52;c;cHduZWQ=\u0007',
  'lone \ud800 surrogate',
  '{title} {date} {n} {total} {list} {author} {audience} {constructor} {__proto__}',
  '{{title}} {{{raw}}}',
  '<!-- notes: x --> --- # * _ |',
  '\u202eevil\u202c',
  '中文「引號」',
  '👩‍👩‍👧‍👦',
  'A'.repeat(300),
  '',
  ' ',
);

const str = fc.oneof(
  { weight: 3, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);
const num = fc.oneof(
  fc.constantFrom(0, -1, 1e-6, 0.5, 4, 12, 72, 300, 4032, 1e9, 1e300),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
);
const colour = fc.oneof(fc.constantFrom('13294B', 'ffffff', '000000'), str);

/** Now and then: most cases leave a field alone, so the others can build and be checked. */
const sometimes = <T>(arb: fc.Arbitrary<T>, weight = 1) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
/** Text a theme or strings file may hold anywhere (footer, labels): hostile, but valid YAML text. */
const anyText = fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 40 }));

/** A partial theme.yaml: any of the fields a user may set, with hostile or out-of-range values. */
const theme = fc.record({
  colors: sometimes(
    fc.record(
      { primary: colour, accent: colour, ink: colour, chart: fc.array(colour, { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
  ),
  face: sometimes(str),
  eaFace: sometimes(str),
  memoFace: sometimes(str),
  bullet: sometimes(fc.record({ char: str, indent: num }, { requiredKeys: [] })),
  footerText: sometimes(anyText, 24),
  title: sometimes(fc.record({ max: num, min: num, lineHeight: num }, { requiredKeys: [] })),
  deck: sometimes(fc.record({ width: num, height: num, marginLeft: num }, { requiredKeys: [] })),
  bodySizes: sometimes(fc.array(num, { maxLength: 3 })),
  logo: sometimes(fc.record({ file: str, width: num })),
  fontFile: sometimes(str),
});

/** Strings: existing keys and new ones, with hostile values. */
const strings = fc.record({
  deck: fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        'briefingFor',
        'agenda',
        'bottomLine',
        'source',
        'sourcesLine',
        'continued',
        'inNumbers',
        'preparedBy',
        'constructor',
        'toString',
      ),
      fc.string({ maxLength: 8 }),
    ),
    anyText,
    { maxKeys: 4 },
  ),
  memo: fc.dictionary(
    fc.oneof(
      fc.constantFrom('memorandum', 'page', 'runningHead', 'numbering', 'subject', 'keyJudgments', 'constructor'),
      fc.string({ maxLength: 8 }),
    ),
    anyText,
    { maxKeys: 4 },
  ),
  punct: fc.dictionary(
    fc.constantFrom('colon', 'labelGap', 'listSep', 'noteRef', 'sentenceSep', 'parenOpen'),
    anyText,
    { maxKeys: 3 },
  ),
  citation: fc.dictionary(fc.constantFrom('and', 'etAl', 'titleOpen', 'titleClose', 'end', 'openQuote'), anyText, {
    maxKeys: 3,
  }),
  lang: sometimes(str),
  dateLocale: sometimes(str),
});

type Theme = typeof theme extends fc.Arbitrary<infer T> ? T : never;

function stringsYaml(s: Strings): string {
  return stringify(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
}

type Strings = typeof strings extends fc.Arbitrary<infer T> ? T : never;

function themeYaml(t: Theme): string {
  const out: Record<string, unknown> = {};
  if (t.colors !== undefined) out.colors = t.colors;
  const en: Record<string, unknown> = {};
  if (t.face !== undefined || t.eaFace !== undefined || t.fontFile !== undefined)
    en.deck = {
      ...(t.face !== undefined ? { face: t.face } : {}),
      ...(t.eaFace !== undefined ? { eaFace: t.eaFace } : {}),
      ...(t.fontFile !== undefined ? { bold: t.fontFile } : {}),
    };
  if (t.memoFace !== undefined) en.memo = { face: t.memoFace };
  if (Object.keys(en).length > 0) out.fonts = { en };
  if (t.footerText !== undefined) out.footerText = { en: t.footerText };
  if (t.logo) out.logo = t.logo;
  const deck: Record<string, unknown> = {};
  if (t.bullet) deck.bullet = t.bullet;
  if (t.title) deck.roles = { title: t.title };
  if (t.deck?.width !== undefined) deck.width = t.deck.width;
  if (t.deck?.height !== undefined) deck.height = t.deck.height;
  if (t.deck?.marginLeft !== undefined) deck.margin = { left: t.deck.marginLeft };
  if (Object.keys(deck).length > 0) out.deck = deck;
  if (t.bodySizes) out.memo = { bodySizes: t.bodySizes };
  return stringify(out);
}

/** Every XML part of a PPTX, and of the chart workbooks inside it, with its name. */
function xmlParts(bytes: Uint8Array): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    if (/\.(xml|rels)$/.test(name)) out.push([name, strFromU8(data)]);
    else if (name.endsWith('.xlsx')) for (const [inner, xml] of xmlParts(data)) out.push([`${name}/${inner}`, xml]);
  }
  return out;
}

describe('hostile template folders', () => {
  it(
    `give well-formed decks and memos or a placed error, never a crash, whatever theme.yaml and strings say (${RUNS} cases)`,
    async () => {
      const root = tempDir('briefing-hostile-theme-');
      let built = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(theme, strings, fc.nat(), async (t, s, seed) => {
          // A new folder per case: loads are cached by folder, and a case must not see the last one's files.
          const dir = join(root, `t${seed}-${built + refused}`);
          mkdirSync(join(dir, 'strings'), { recursive: true });
          writeFileSync(join(dir, 'theme.yaml'), themeYaml(t));
          writeFileSync(join(dir, 'strings', 'en.yaml'), stringsYaml(s));
          try {
            const deck = await buildDeck({
              content: PACK,
              template: dir,
              lang: 'en',
              audience: 'policymaker',
              slides: 5,
            });
            if (!deck.ok) {
              refused++;
              const errors = deck.diagnostics.filter((d) => d.severity === 'error');
              expect(errors.length).toBeGreaterThan(0);
              // Every problem of a template file says which file.
              for (const d of errors) if (/theme|strings/.test(d.code)) expect(d.span?.file).toBeTruthy();
              return;
            }
            built++;
            for (const [name, xml] of xmlParts(deck.result.bytes)) expect(XMLValidator.validate(xml), name).toBe(true);
            if (seed % 4 === 0) {
              const memo = await buildMemo({
                content: PACK,
                template: dir,
                lang: 'en',
                audience: 'policymaker',
                pages: 1,
              });
              if (memo.ok) {
                expect(Buffer.from(memo.result.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
                // The XMP packet, written uncompressed, is well-formed.
                const pdf = Buffer.from(memo.result.bytes).toString('latin1');
                const xmp = /<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/.exec(pdf)?.[0];
                if (xmp) expect(XMLValidator.validate(Buffer.from(xmp, 'latin1').toString('utf8')), 'XMP').toBe(true);
              } else expect(memo.diagnostics.some((d) => d.severity === 'error')).toBe(true);
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20251129), endOnFailure: true },
      );
      // The cases exercise both paths: most hostile folders are refused, some build.
      console.log(`built ${built}, refused ${refused}`);
      expect(built + refused).toBe(RUNS);
      expect(refused).toBeGreaterThan(0);
      expect(built).toBeGreaterThan(RUNS / 10);
    },
    RUNS * 3000,
  );
});
