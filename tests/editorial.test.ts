// The editorial rules (issue 13): each thing said once, a type scale, judgments with evidence,
// decisions a reader can act on. Measured on what the reader gets, for every audience in English
// and Traditional Chinese.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { loadPack } from '../src/load/load-pack.js';
import { loadTemplates } from '../src/load/load-templates.js';
import type { LaidDeck } from '../src/model/layout.js';
import { fullCitation, shortCitation } from '../src/plan/format.js';
import { splitSentences } from '../src/plan/sentences.js';
import { isQuantity } from '../src/quantity.js';
import { TEMPLATE_HELPERS } from '../src/template/render-template.js';
import { FIXTURES, PACK, readPptx, shortDiagnostics, tempDir } from './helpers.js';

const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'];
const CABLES = join(FIXTURES, 'packs', 'valid-cables');
const LANGS = ['en', 'zh-Hant'] as const;

/** Roles that set running text on a slide (not titles, labels, figures or footers). */
const BODY_ROLES = new Set(['body', 'column', 'bottomLine', 'lead']);

async function deck(audience: string, lang: (typeof LANGS)[number], slides: number) {
  const r = await buildDeck({ content: PACK, lang, audience, slides });
  if (!r.ok) throw new Error(`${audience} ${lang} ${slides}: ${shortDiagnostics(r.diagnostics)}`);
  return r.result;
}

/**
 * Paragraphs of 40 or more characters said on two slides: the same, or one inside the other (a
 * summary bullet `Topic: title of a later slide`), source lines and slide numbers aside.
 */
function saidTwice(bytes: Uint8Array): string[] {
  const said: { slide: number; text: string }[] = [];
  readPptx(bytes).slides.forEach((slide, i) => {
    for (const shape of slide.shapes) {
      if (/^(Slide Number|Source)/.test(shape.name)) continue;
      for (const p of shape.paragraphs) {
        const text = p
          .map((r) => r.text)
          .join('')
          .replace(/\s+/g, ' ')
          .trim();
        if (text) said.push({ slide: i + 1, text });
      }
    }
  });
  return said
    .filter((a) => [...a.text].length >= 40)
    .flatMap((a) =>
      said
        .filter((b) => b.slide !== a.slide && b.text.includes(a.text))
        .map((b) => `slides ${a.slide} and ${b.slide}: ${a.text}`),
    );
}

describe('say it once', () => {
  for (const lang of LANGS) {
    it(`repeats no paragraph of 40+ characters on two slides of a 10-slide deck (${lang})`, async () => {
      for (const audience of AUDIENCES) {
        expect(saidTwice((await deck(audience, lang, 10)).bytes), audience).toEqual([]);
      }
    });
  }

  for (const lang of LANGS) {
    it(`gives each audience its own one-page memo: any two share at most 40 % of their sentences (${lang})`, async () => {
      const sentences = new Map<string, Set<string>>();
      for (const audience of AUDIENCES) {
        const r = await buildMemo({ content: PACK, lang, audience, pages: 1 });
        if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
        const plan = r.result.build.plan;
        const said = [
          plan.meta.bluf,
          ...plan.judgments.map((j) => j.text),
          ...plan.sections.flatMap((s) => s.items.map((x) => x.text)),
          ...plan.recommendations.map((x) => x.text),
        ];
        sentences.set(
          audience,
          new Set(
            said
              .flatMap((t) => splitSentences(t))
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        );
      }
      for (let i = 0; i < AUDIENCES.length; i++) {
        for (let j = i + 1; j < AUDIENCES.length; j++) {
          const [a, b] = [sentences.get(AUDIENCES[i]!)!, sentences.get(AUDIENCES[j]!)!];
          const shared = [...a].filter((s) => b.has(s)).length;
          expect(shared / Math.min(a.size, b.size), `${AUDIENCES[i]} / ${AUDIENCES[j]}`).toBeLessThanOrEqual(0.4);
        }
      }
    });
  }
});

describe('a type scale', () => {
  for (const lang of LANGS) {
    it(`sets the body text of a 20-slide deck in at most 3 sizes, all steps of the scale (${lang})`, async () => {
      for (const audience of AUDIENCES) {
        const laid = (await deck(audience, lang, 20)).build.layout as LaidDeck;
        const sizes = new Set<number>();
        for (const slide of laid.slides) {
          for (const shape of slide.shapes) {
            if (shape.type !== 'text') continue;
            for (const p of shape.paragraphs) if (BODY_ROLES.has(p.role)) for (const run of p.runs) sizes.add(run.size);
          }
        }
        expect(sizes.size, `${audience}: ${[...sizes].join(', ')}`).toBeLessThanOrEqual(3);
        for (const size of sizes) expect([22, 18, 15], audience).toContain(size);
      }
    });
  }

  it('resolves a role to the steps of its scale between its min and max, and reports a scale that does not exist', () => {
    const { templates } = loadTemplates({ audience: 'policymaker', lang: 'en' });
    expect(templates!.theme.deck.roles.column).toMatchObject({ steps: [18, 15], max: 18, min: 15 });
    expect(templates!.theme.deck.roles.body).toMatchObject({ steps: [22, 18, 15], max: 22, min: 15 });
    const dir = tempDir();
    writeFileSync(
      join(dir, 'theme.yaml'),
      'deck:\n  roles:\n    body: { max: 24, min: 14, steps: bdy, lineHeight: 1.2 }\n    lead: { max: 30, min: 25, steps: body, lineHeight: 1.2 }\n',
    );
    const bad = loadTemplates({
      userDir: dir,
      audience: 'policymaker',
      lang: 'en',
      display: (p) => p.replace(`${dir}/`, ''),
    });
    expect(bad.templates).toBeNull();
    expect(shortDiagnostics(bad.diagnostics)).toContain(
      'theme.yaml:3:38 error[invalid-value] `deck.roles.body.steps`: the type scale has no `bdy`',
    );
    expect(shortDiagnostics(bad.diagnostics)).toContain(
      'theme.yaml:4:38 error[invalid-value] `deck.roles.lead.steps`: no step lies between `min` (25) and `max` (30)',
    );
  });
});

describe('figures and charts earn their place', () => {
  it('takes a number with a unit or a share as a quantity, not a bare count, a year or a date', () => {
    for (const q of ['50%', '5 GW', '24 h', '100,000s', '~150 a year', '7 條', '數十萬', '$2.5 billion', '20 %'])
      expect(isQuantity(q), q).toBe(true);
    for (const q of ['9', '5', '1962', '2030', 'Feb ’25', "May '25", '2025/2', '2025-05', '2030 年', '9月', 'soon'])
      expect(isQuantity(q), q).toBe(false);
  });

  it('warns in check about a fact that is no quantity and a chart of one value', () => {
    const dir = copyOf('valid');
    const alpha = join(dir, 'modules', 'alpha.yaml');
    writeFileSync(
      alpha,
      readFileSync(alpha, 'utf8').replace(
        '  - value: "42%"',
        '  - value: "1962"\n    label: { en: The year }\n    source: report\n  - value: "42%"\n    chart: { kind: bar, categories: [Alpha], values: [42] }',
      ),
    );
    const { pack, diagnostics } = loadPack(dir, { display: (p) => p.replace(`${dir}/`, '') });
    expect(pack).not.toBeNull();
    const short = shortDiagnostics(diagnostics);
    expect(short).toContain('modules/alpha.yaml:16:12 warning[fact-not-quantity] fact 1 (`1962`) is not a quantity');
    expect(short).toMatch(/modules\/alpha\.yaml:\d+:\d+ warning\[chart-single-value\] a chart compares/);
  });
});

describe('slide economy', () => {
  /** How far down its body area a slide's content reaches (0–1): text as set, panels, charts. */
  function reach(slide: LaidDeck['slides'][number], area: { y: number; h: number }): number {
    let bottom = area.y;
    for (const sh of slide.shapes) {
      if (/^(Title|Kicker|Source|Slide Number|Marking)/.test(sh.name)) continue;
      if (sh.type === 'text') {
        const off = sh.valign === 'middle' ? sh.fit.slack / 2 : sh.valign === 'bottom' ? sh.fit.slack : 0;
        bottom = Math.max(bottom, sh.y + off + sh.h - sh.fit.slack);
      } else if ('h' in sh) bottom = Math.max(bottom, sh.y + sh.h);
    }
    return (bottom - area.y) / area.h;
  }

  for (const lang of LANGS) {
    it(`fills at least half of every slide's body, with no thin continued part (${lang}, 10 and 20 slides)`, async () => {
      const thin: string[] = [];
      for (const audience of AUDIENCES)
        for (const slides of [10, 20]) {
          const { build } = await deck(audience, lang, slides);
          const laid = build.layout as LaidDeck;
          // The body area: from the top of the summary's bottom line to the foot of its judgments.
          const top = laid.slides[1]!.shapes.find((x) => x.name === 'Bottom line')!;
          const foot = laid.slides[1]!.shapes.find((x) => x.name === 'Key judgments')!;
          const area = { y: top.y, h: foot.y + foot.h - top.y };
          laid.slides.forEach((slide, i) => {
            if (i === 0) return;
            const r = reach(slide, area);
            if (r < 0.5) thin.push(`${audience} ${slides} slide ${i + 1} (${slide.layout}): ${Math.round(r * 100)} %`);
          });
          for (const slide of build.plan.slides)
            if (slide.layout === 'bullets' && slide.items.length < 3)
              thin.push(`${audience} ${slides}: “${slide.title}” has ${slide.items.length} points`);
        }
      expect(thin).toEqual([]);
    });
  }

  it('sizes figure cards to their text, side by side at one height, and names a lone source once, on the slide', async () => {
    const r = await buildDeck({ content: CABLES, lang: 'en', audience: 'policymaker', slides: 12 });
    if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
    const { build } = r.result;
    const laid = build.layout as LaidDeck;
    const k = build.plan.slides.findIndex((s) => s.layout === 'key-figure');
    expect(k).toBeGreaterThan(0);
    const panels = laid.slides[k]!.shapes.filter((x) => / panel$/.test(x.name));
    expect(panels.length).toBeGreaterThanOrEqual(2);
    const heights = new Set(panels.map((p) => ('h' in p ? p.h : 0)));
    expect(heights.size).toBe(1);
    // Shorter than the room below the title, and moved down into its middle.
    const body = laid.slides[1]!.shapes.find((x) => x.name === 'Key judgments')!;
    const room = body.y + body.h - laid.slides[1]!.shapes.find((x) => x.name === 'Bottom line')!.y;
    expect([...heights][0]!).toBeLessThan(room - 40);
    expect(panels[0]!.y).toBeGreaterThan(laid.slides[1]!.shapes.find((x) => x.name === 'Bottom line')!.y + 20);
    const sources = new Set(build.plan.slides[k]!.figures.map((f) => f.source));
    if (sources.size === 1) expect(build.plan.slides[k]!.figures.every((f) => f.sourceShort === null)).toBe(true);
    else expect(build.plan.slides[k]!.figures.every((f) => f.sourceShort !== null)).toBe(true);
  });
});

describe('judgments with their evidence', () => {
  it('states each module’s judgment on the summary slide, not its slide title, and gives the figures in the notes', async () => {
    const { build } = await deck('policymaker', 'en', 10);
    const summary = build.plan.slides[1]!;
    expect(summary.items.length).toBeGreaterThanOrEqual(3);
    for (const item of summary.items) expect(item.ref).toMatch(/\/judgment$/);
    const titles = new Set(build.plan.slides.map((s) => s.title));
    for (const item of summary.items) expect(titles.has(item.text)).toBe(false);
    expect(summary.notes).toContain('5\u00a0GW');
    expect(summary.notes).toContain('50%');
  });

  it('refuses an evidence that names no fact of the module, with the ids there are', () => {
    const dir = alphaWith((yaml) =>
      yaml
        .replace(
          'relevance:',
          'judgment: { text: { en: Alpha is 42% of the test. }, evidence: alpha-shar }\nrelevance:',
        )
        .replace('  - value: "42%"', '  - id: alpha-share\n    value: "42%"'),
    );
    const { pack, diagnostics } = loadPack(dir, { display: (p) => p.replace(`${dir}/`, '') });
    expect(pack).not.toBeNull();
    expect(shortDiagnostics(diagnostics)).toContain(
      'modules/alpha.yaml:4:11 error[unknown-fact] the judgment cites `alpha-shar` as its evidence, but module `alpha` has no fact of that `id`',
    );
    expect(diagnostics.find((d) => d.code === 'unknown-fact')!.hints[0]).toBe('did you mean `alpha-share`?');
  });
});

describe('an audience’s own version of a point', () => {
  const withReplacement = (replaces: string, audiences = '\n    audiences: [public]') => {
    const dir = alphaWith((yaml) =>
      yaml
        .replace(
          '  - text: { en: A supporting point about alpha. }',
          '  - id: support\n    text: { en: A supporting point about alpha. }',
        )
        .replace(
          'facts:',
          `  - text: { en: Alpha helps you too in plain words. }\n    priority: 2\n    source: report${audiences}\n    replaces: ${replaces}\nfacts:`,
        ),
    );
    return dir;
  };

  it('stands in for the general point it replaces, for its audience only', async () => {
    const dir = withReplacement('support');
    const texts = async (audience: string) => {
      const r = await buildMemo({ content: dir, lang: 'en', audience, pages: 1 });
      if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
      return JSON.stringify({ ...r.result.build.plan, drops: [] });
    };
    const pub = await texts('public');
    expect(pub).toContain('Alpha helps you too in plain words.');
    expect(pub).not.toContain('A supporting point about alpha.');
    const pol = await texts('policymaker');
    expect(pol).toContain('A supporting point about alpha.');
    expect(pol).not.toContain('Alpha helps you too');
  });

  it('refuses a replacement that names no point of the module, and warns of one written for everyone', () => {
    const typo = withReplacement('suport');
    const bad = loadPack(typo, { display: (p) => p.replace(`${typo}/`, '') });
    const found = bad.diagnostics.find((d) => d.code === 'unknown-point');
    expect(shortDiagnostics(bad.diagnostics)).toContain(
      'error[unknown-point] the point replaces `suport`, but module `alpha` has no other point of that `id`',
    );
    expect(found!.hints[0]).toBe('did you mean `support`?');
    const everyone = withReplacement('support', '');
    const warned = loadPack(everyone, { display: (p) => p.replace(`${everyone}/`, '') });
    expect(warned.diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain('warning replaces-for-everyone');
  });
});

describe('a judgment states its points', () => {
  it('leaves out of the memo the points a kept judgment states, and refuses a replaces that names no point', async () => {
    const r = await buildMemo({ content: PACK, lang: 'en', audience: 'policymaker', pages: 1 });
    if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
    const plan = r.result.build.plan;
    expect(plan.judgments.map((j) => j.ref)).toContain('innovation/judgment');
    const said = plan.sections.flatMap((s) => s.items.map((i) => i.text)).join('\n');
    expect(said).not.toContain('US AI labs hold a marked lead');

    const dir = alphaWith((yaml) =>
      yaml
        .replace('relevance:', 'judgment: { text: { en: Alpha comes first. }, replaces: frist }\nrelevance:')
        .replace('  - text: { en: "The first point', '  - id: first\n    text: { en: "The first point'),
    );
    const { diagnostics } = loadPack(dir, { display: (p) => p.replace(`${dir}/`, '') });
    expect(shortDiagnostics(diagnostics)).toContain(
      'error[unknown-point] the judgment replaces `frist`, but module `alpha` has no point of that `id`',
    );
    expect(diagnostics.find((d) => d.code === 'unknown-point')!.hints[0]).toBe('did you mean `first`?');
  });
});

describe('decisions', () => {
  it('closes on at most five asks, each in its short form with its owner, the rest on backup slides numbered on', async () => {
    const { build } = await deck('policymaker', 'en', 20);
    const asks = build.plan.slides.filter((s) => s.layout === 'recommendations');
    expect(asks[0]!.items.length).toBeGreaterThanOrEqual(3);
    expect(asks[0]!.items.length).toBeLessThanOrEqual(5);
    expect(asks[0]!.items[0]!.text).toBe('Impose strict chip controls and harden AI labs (US government)');
    expect(asks[0]!.notes).toContain('Protect the lead: enforce strict controls');
    expect(asks.length).toBeGreaterThan(1);
    expect(asks[1]!.title).toBe('Further actions urged on Washington');
    expect(asks[1]!.listStart).toBe(asks[0]!.items.length + 1);
  });

  it('leads the public’s asks with its own, plain versions, in place of the general ones they replace', async () => {
    const { build } = await deck('public', 'en', 10);
    const close = build.plan.slides.filter((s) => s.layout === 'recommendations')[0]!;
    expect(close.items.slice(0, 2).map((i) => i.text)).toEqual([
      'Help workers who lose jobs to AI retrain (Washington’s policymakers, immediately)',
      'Update labour laws and strengthen jobless support (Washington’s policymakers)',
    ]);
    const all = JSON.stringify(build.plan.slides);
    expect(all).not.toContain('Fund STEM, vocational training and reskilling');
  });

  it('states each closing ask as what to do, in bold, and on the next line who acts and when', async () => {
    for (const lang of LANGS) {
      const { bytes } = await deck('policymaker', lang, 10);
      const close = readPptx(bytes)
        .slides.at(-1)!
        .shapes.find((x) => x.name === 'Body')!;
      const asks = close.paragraphs.slice(1);
      expect(asks.length).toBe(5);
      for (const runs of asks) {
        const text = runs.filter((r) => !r.isBreak);
        expect(text[0]!.bold, lang).toBe(true);
        expect(
          runs.some((r) => r.isBreak),
          lang,
        ).toBe(true);
        expect(text.at(-1)!.bold, lang).toBe(false);
      }
    }
  });

  it('asks partner governments only about what to do together', async () => {
    const { build } = await deck('partners', 'en', 20);
    const refs = build.plan.slides
      .flatMap((s) => [...s.items, ...s.columns.flatMap((c) => c.items)])
      .map((i) => i.ref)
      .filter((r) => r.includes('/recommendations/'));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(['catastrophic-risk', 'global-infrastructure']).toContain(ref.split('/')[0]);
  });

  it('sets out the options of an ask side by side for defence staff, and for no one else', async () => {
    const security = (await deck('security', 'en', 10)).build.plan.slides.filter((s) => s.layout === 'options');
    expect(security).toHaveLength(1);
    expect(security[0]!.title).toBe('Chip exports: keep controls tight, or loosen them for partners?');
    expect(security[0]!.columns.map((c) => c.heading)).toEqual(['Option A', 'Option B']);
    expect(security[0]!.columns[0]!.items.map((i) => i.label)).toEqual([null, 'For:', 'Against:']);
    const zh = (await deck('security', 'zh-Hant', 10)).build.plan.slides.find((s) => s.layout === 'options')!;
    expect(zh.columns.map((c) => c.heading)).toEqual(['甲案', '乙案']);
    expect((await deck('policymaker', 'en', 20)).build.plan.slides.some((s) => s.layout === 'options')).toBe(false);
  });
});

describe('running order', () => {
  it('opens with why it matters, ends with the ask, and keeps agenda and sources for decks of 12 or more', async () => {
    const ten = (await deck('policymaker', 'en', 10)).build.plan.slides;
    expect(ten.map((s) => s.layout)).not.toContain('agenda');
    expect(ten.map((s) => s.layout)).not.toContain('sources');
    expect(ten[2]!.module).toBe('stakes');
    expect(ten.at(-1)!.layout).toBe('recommendations');
    expect(ten.filter((s) => s.module).at(-1)!.module).toBe('strategy');
    const twelve = (await deck('policymaker', 'en', 12)).build.plan.slides;
    expect(twelve[2]!.layout).toBe('agenda');
    expect(twelve.at(-1)!.layout).toBe('sources');
  });
});

describe('citations', () => {
  it('builds short citations from structured authors, and warns when it would have to guess', () => {
    const dir = copyOf('valid');
    const packFile = join(dir, 'pack.yaml');
    writeFileSync(
      packFile,
      readFileSync(packFile, 'utf8').replace(
        '    year: 2024\n',
        '    year: 2024\n  - { id: lancet, title: { en: Countdown }, authors: [Marina Romanello et al.], publisher: { en: The Lancet }, year: 2024 }\n  - { id: iea, title: { en: Outlook }, authors: [{ organisation: International Energy Agency, short: IEA }], year: 2018 }\n  - { id: kahl, title: { en: Race }, authors: [{ family: Kahl, given: Colin H. }, { family: Mitre, given: Jim }], year: 2025 }\n  - { id: guess, title: { en: Old }, authors: [International Energy Agency (IEA)], year: 2018 }\n',
      ),
    );
    const { pack, diagnostics } = loadPack(dir, { display: (p) => p.replace(`${dir}/`, '') });
    expect(pack).not.toBeNull();
    const strings = loadTemplates({ audience: 'policymaker', lang: 'en' }).templates!.strings;
    const short = (id: string) => {
      const s = pack!.sources.find((x) => x.id === id)!;
      return shortCitation(
        { ...s, title: s.title.byLang.en!.text, short: null, publisher: s.publisher?.byLang.en?.text ?? null },
        strings,
      );
    };
    expect(short('lancet')).toBe('Romanello et al., The Lancet (2024)');
    expect(short('iea')).toBe('IEA (2018)');
    expect(short('kahl')).toBe('Kahl & Mitre (2025)');
    expect(
      fullCitation(
        { ...pack!.sources.find((x) => x.id === 'kahl')!, title: 'Race', short: null, publisher: null },
        strings,
      ),
    ).toBe('Colin H. Kahl and Jim Mitre, “Race”, 2025.');
    expect(shortDiagnostics(diagnostics)).toMatch(
      /warning\[citation-guess\] the short citation of source `guess` cannot be formed from the author `International Energy Agency \(IEA\)`/,
    );
  });

  it('sets a label that holds a colon off with a dash, so no line has two colons', () => {
    const render = (label: string, lang = 'en') => {
      const strings = loadTemplates({ audience: 'policymaker', lang: lang as 'en' }).templates!.strings;
      return Handlebars.create().compile('{{{labelled label}}}', { noEscape: true })(
        { label, strings },
        { helpers: { labelled: TEMPLATE_HELPERS.labelled! } },
      );
    };
    expect(render('Economy')).toBe('**Economy:** ');
    expect(render('What works: measures that pay off')).toBe('**What works: measures that pay off** — ');
    expect(render('經濟', 'zh-Hant')).toBe('**經濟：**');
    expect(render('對策：有效措施', 'zh-Hant')).toBe('**對策：有效措施**——');
  });
});

/** A copy of the `valid` fixture pack with its module `alpha` rewritten by `edit`. */
function alphaWith(edit: (yaml: string) => string): string {
  const dir = copyOf('valid');
  const alpha = join(dir, 'modules', 'alpha.yaml');
  writeFileSync(alpha, edit(readFileSync(alpha, 'utf8')));
  return dir;
}

function copyOf(name: string): string {
  const dir = tempDir('briefing-editorial-');
  cpSync(join(FIXTURES, 'packs', name), dir, { recursive: true });
  return dir;
}

describe('finished type', () => {
  it('keeps the memo body most of a line clear of the footer rule', async () => {
    // Memos whose pages run to the bottom (the public's two pages ended 5 pt above the rule).
    for (const [lang, audience, pages] of [
      ['en', 'public', 2],
      ['zh-Hant', 'policymaker', 3],
      ['en', 'industry', 3],
    ] as const) {
      const r = await buildMemo({ content: PACK, lang, audience, pages });
      if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
      for (const page of r.result.build.layout.pages) {
        const rule = Math.max(...page.items.flatMap((x) => (x.type === 'line' ? [x.y1] : [])));
        const texts = page.items.flatMap((x) => (x.type === 'text' && x.tag !== 'page' ? [x] : []));
        const lowest = Math.max(...texts.map((t) => t.y + t.size * 0.3));
        expect(rule - lowest, `${audience} ${lang} ${pages} p. ${page.number}`).toBeGreaterThanOrEqual(10);
      }
    }
  });

  it('sets the slide number like the source line: no insets, from the top, so both share a baseline', async () => {
    const { bytes } = await deck('policymaker', 'en', 10);
    const { files } = readPptx(bytes);
    const bodyOf = (xml: string, marker: RegExp) => /<a:bodyPr[^>]*>/.exec(xml.slice(xml.search(marker)))?.[0] ?? '';
    const master = Object.entries(files).find(
      ([n, x]) => n.startsWith('ppt/slideLayouts/') && x.includes('type="sldNum"'),
    )![1];
    const number = bodyOf(master, /type="sldNum"/);
    const source = bodyOf(files['ppt/slides/slide3.xml']!, /name="Source"/);
    for (const attr of ['lIns="0"', 'tIns="0"', 'anchor="t"']) {
      expect(number).toContain(attr);
      expect(source).toContain(attr);
    }
  });

  it('sets the memo in the deck’s family: Carlito, the metric twin of Calibri', async () => {
    const r = await buildMemo({ content: PACK, lang: 'en', audience: 'public', pages: 1 });
    if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
    const fonts = new Set(
      r.result.build.layout.pages.flatMap((p) => p.items.flatMap((x) => (x.type === 'text' ? [x.font] : []))),
    );
    expect(fonts.size).toBeGreaterThan(0);
    const { templates } = loadTemplates({ audience: 'public', lang: 'en' });
    expect(templates!.theme.fonts.en!.memo.face).toBe('Carlito');
    expect(templates!.theme.fonts.en!.deck.face).toBe('Calibri');
  });
});

describe('Chinese type', () => {
  it('sets a quotation upright in Chinese (a slanted CJK face is a fake oblique), in italics in English', async () => {
    // The second pack quotes words as spoken (the built-in pack has only paraphrases, never shown as quotations).
    const styles = async (lang: (typeof LANGS)[number]) => {
      const r = await buildDeck({ content: CABLES, lang, audience: 'policymaker', slides: 16 });
      if (!r.ok) throw new Error(shortDiagnostics(r.diagnostics));
      const laid = r.result.build.layout as LaidDeck;
      const quote = laid.slides.flatMap((s) => s.shapes).find((x) => x.type === 'text' && x.name === 'Quote');
      if (quote?.type !== 'text') throw new Error(`no quote slide (${lang})`);
      return new Set(quote.paragraphs[0]!.runs.map((r) => r.style));
    };
    expect([...(await styles('zh-Hant'))]).toEqual(['regular']);
    expect([...(await styles('en'))]).toEqual(['italic']);
  });
});
