// Five audiences from one pack, and template folders users make their own.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { FIXTURES, PACK, readPdf, readPptx, runCli, tempDir } from './helpers.js';

const AUDIENCES = ['policymaker', 'security', 'industry', 'partners', 'public'];

/** The share of the smaller set that the two sets have in common. */
function overlap(a: Set<string>, b: Set<string>): number {
  const common = [...a].filter((x) => b.has(x)).length;
  return common / Math.min(a.size, b.size);
}

function slideLines(bytes: Uint8Array): Set<string> {
  const lines = new Set<string>();
  for (const s of readPptx(bytes).slides) {
    for (const shape of s.shapes) {
      if (/^Slide Number/.test(shape.name)) continue;
      for (const p of shape.paragraphs) {
        const t = p
          .map((r) => r.text)
          .join('')
          .replace(/\n/g, ' ')
          .trim();
        if (t) lines.add(t);
      }
    }
  }
  return lines;
}

describe('audiences', () => {
  for (const lang of ['en', 'zh-Hant'] as const) {
    it(`gives each audience its own 10-slide deck and one-page memo (${lang}): no two share more than 60 % of their lines`, async () => {
      const decks = new Map<string, Set<string>>();
      const memos = new Map<string, Set<string>>();
      for (const audience of AUDIENCES) {
        const deck = await buildDeck({ content: PACK, lang, audience, slides: 10 });
        const memo = await buildMemo({ content: PACK, lang, audience, pages: 1 });
        if (!deck.ok || !memo.ok)
          throw new Error(
            `${audience}: ${[...deck.diagnostics, ...memo.diagnostics].map((d) => d.message).join('; ')}`,
          );
        expect(readPptx(deck.result.bytes).slides).toHaveLength(10);
        decks.set(audience, slideLines(deck.result.bytes));
        const pdf = await readPdf(memo.result.bytes);
        expect(pdf.pages).toBe(1);
        memos.set(
          audience,
          new Set(
            pdf.text
              .join('\n')
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          ),
        );
      }
      for (let i = 0; i < AUDIENCES.length; i++) {
        for (let j = i + 1; j < AUDIENCES.length; j++) {
          const [a, b] = [AUDIENCES[i]!, AUDIENCES[j]!];
          expect(overlap(decks.get(a)!, decks.get(b)!), `decks ${a} / ${b}`).toBeLessThanOrEqual(0.6);
          expect(overlap(memos.get(a)!, memos.get(b)!), `memos ${a} / ${b}`).toBeLessThanOrEqual(0.6);
        }
      }
    });
  }

  it('frames each audience differently: decisions, options, terms, banners', async () => {
    const titles = async (audience: string) => {
      const r = await buildDeck({ content: PACK, lang: 'en', audience, slides: 10 });
      if (!r.ok) throw new Error('build failed');
      return readPptx(r.result.bytes).slides.map((s) => s.shapes.find((x) => x.name === 'Title')?.text ?? '');
    };
    const policymaker = await titles('policymaker');
    expect(policymaker.at(-1)).toBe('Actions the research urges on Washington'); // the deck ends with the ask
    // Defence staff weigh the options of an ask that has them, side by side.
    expect(await titles('security')).toContain('Chip exports: keep controls tight, or loosen them for partners?');
    const pub = await titles('public');
    expect(pub).toContain('Terms explained');
    expect(pub).toContain('The short version');
    const security = await buildDeck({ content: PACK, lang: 'en', audience: 'security', slides: 5 });
    const shapes = readPptx(security.ok ? security.result.bytes : new Uint8Array()).slides.flatMap((s) =>
      s.shapes.map((x) => x.name),
    );
    expect(shapes.filter((n) => n === 'Marking (top)')).toHaveLength(5);
    expect(shapes.filter((n) => n === 'Marking (bottom)')).toHaveLength(5);
    const unmarked = await buildDeck({ content: PACK, lang: 'en', audience: 'security', slides: 5, marking: '' });
    expect(
      readPptx(unmarked.ok ? unmarked.result.bytes : new Uint8Array()).slides.flatMap((s) =>
        s.shapes.map((x) => x.name),
      ),
    ).not.toContain('Marking (top)');
  });
});

describe('template folders', () => {
  it('takes an edited theme and one audience’s edited deck template from `init`, everything else built in', async () => {
    const cwd = tempDir();
    expect(runCli(['init', 'brand', '--full'], cwd).code).toBe(0);
    const dir = join(cwd, 'brand');
    const theme = readFileSync(join(dir, 'theme.yaml'), 'utf8');
    writeFileSync(join(dir, 'theme.yaml'), theme.replace('accent: "0E7C7B"', 'accent: "D1495B"'));
    mkdirSync(join(dir, 'audiences', 'industry'), { recursive: true });
    // The industry deck puts a kicker on every slide.
    const deckHbs = readFileSync(join(dir, 'deck.hbs'), 'utf8').replace(
      '{{> (slidePartial layout)}}',
      '{{> (slidePartial layout)}}\n\n<!-- kicker: Board edition -->',
    );
    writeFileSync(join(dir, 'audiences', 'industry', 'deck.hbs'), deckHbs);

    const industry = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'industry', slides: 8 });
    const policymaker = await buildDeck({
      content: PACK,
      template: dir,
      lang: 'en',
      audience: 'policymaker',
      slides: 8,
    });
    if (!industry.ok || !policymaker.ok)
      throw new Error([...industry.diagnostics, ...policymaker.diagnostics].map((d) => d.message).join('\n'));
    const kickers = (bytes: Uint8Array) =>
      readPptx(bytes).slides.map((s) => s.shapes.find((x) => x.name === 'Kicker')?.text ?? null);
    // Edited for industry only.
    expect(kickers(industry.result.bytes).slice(1)).toEqual(Array(7).fill('BOARD EDITION'));
    expect(kickers(policymaker.result.bytes)).not.toContain('BOARD EDITION');
    // The theme's accent for every audience; the accent bar of the master and the bullets.
    for (const r of [industry, policymaker]) {
      const xml = Object.entries(readPptx(r.result.bytes).files)
        .filter(([n]) => /slide(Master|Layout)?\d*\.xml$/.test(n))
        .map(([, x]) => x)
        .join('');
      expect(xml).toContain('D1495B');
      expect(xml).not.toContain('0E7C7B');
    }
  });

  it('builds an audience defined only in a user folder, and lists it', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'mine');
    mkdirSync(join(dir, 'audiences'), { recursive: true });
    writeFileSync(
      join(dir, 'audiences', 'investors.yaml'),
      'id: investors\nlabel: { en: investors }\ndescription: { en: "Investors: markets and figures first" }\ndeck:\n  sections: [summary, modules, sources]\n  weights: { figures: 120 }\n',
    );
    const deck = await buildDeck({ content: PACK, template: dir, lang: 'en', audience: 'investors', slides: 7 });
    expect(deck.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const slides = readPptx(deck.ok ? deck.result.bytes : new Uint8Array()).slides;
    expect(slides).toHaveLength(7);
    expect(slides[0]!.shapes.find((s) => s.name === 'Kicker')?.text).toBe('BRIEFING FOR INVESTORS');
    const memo = await buildMemo({ content: PACK, template: dir, lang: 'en', audience: 'investors', pages: 1 });
    expect(memo.ok).toBe(true);
    const list = runCli(['list', 'audiences', '--template', dir], cwd);
    expect(list.stdout).toMatch(/investors +Investors: markets and figures first {2}\(.*investors\.yaml\)/);
    expect(
      runCli(['deck', '--template', dir, '--audience', 'investors', '--slides', '5', '-o', 'i.pptx'], cwd).code,
    ).toBe(0);
    expect(existsSync(join(cwd, 'i.pptx'))).toBe(true);
  });

  it('points at the line of a bad theme value or audience profile, with a hint', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'theme.yaml'), 'colors:\n  accent: teal\n');
    mkdirSync(join(dir, 'audiences'));
    writeFileSync(
      join(dir, 'audiences', 'board.yaml'),
      'id: board\nlabel: Board\ndescription: The board\ndeck:\n  sections: [summary, chapters]\n',
    );
    const r = await buildDeck({
      content: PACK,
      template: dir,
      lang: 'en',
      audience: 'policymaker',
      slides: 5,
      display: (p) => p.replace(`${dir}/`, ''),
    });
    expect(r.ok).toBe(false);
    const theme = r.diagnostics.find((d) => d.span?.file === 'theme.yaml')!;
    expect(theme.span).toMatchObject({ line: 2, col: 11 });
    expect(theme.message).toContain('six hex digits');
    const profile = r.diagnostics.find((d) => d.span?.file === 'audiences/board.yaml')!;
    expect(profile.span?.line).toBe(5);
    expect(profile.message).toContain('sections are summary, agenda, modules');
  });
});

describe('the worked example in docs/templates.md', () => {
  it('changes the industry deck’s colours and slide order, and nothing else', async () => {
    const { ROOT } = await import('./helpers.js');
    const template = join(ROOT, 'docs', 'examples', 'industry-brand');
    // Twelve slides: a deck that short gets a sources slide at the end.
    const industry = await buildDeck({ content: PACK, template, lang: 'en', audience: 'industry', slides: 12 });
    const policymaker = await buildDeck({ content: PACK, template, lang: 'en', audience: 'policymaker', slides: 12 });
    if (!industry.ok || !policymaker.ok) throw new Error('build failed');
    const titles = readPptx(industry.result.bytes).slides.map((s) => s.shapes.find((x) => x.name === 'Title')?.text);
    expect(titles.slice(1, 3)).toEqual(['The bottom line for the board', 'What to prepare for']);
    expect(titles.at(-1)).toBe('Sources');
    const colours = (bytes: Uint8Array) =>
      Object.entries(readPptx(bytes).files)
        .filter(([n]) => n.startsWith('ppt/slide'))
        .map(([, x]) => x)
        .join('');
    expect(colours(industry.result.bytes)).toContain('1F3B2D');
    expect(colours(policymaker.result.bytes)).not.toContain('1F3B2D');
    // The policymaker deck ends with the ask, then the sources as its backup.
    expect(
      readPptx(policymaker.result.bytes)
        .slides.map((s) => s.shapes.find((x) => x.name === 'Title')?.text)
        .slice(-2),
    ).toEqual(['Actions the research urges on Washington', 'Sources']);
  });
});

describe('a bottom line and subtitle per audience', () => {
  const pack = () => {
    const dir = tempDir('briefing-per-audience-');
    cpSync(join(FIXTURES, 'packs', 'valid'), dir, { recursive: true });
    const yaml = readFileSync(join(dir, 'pack.yaml'), 'utf8').replace(
      'modules: [alpha, beta]',
      'perAudience:\n  public:\n    bluf: { en: "Plain words for everyone. Nothing here needs a dictionary." }\n    subtitle: { en: "What it means for you" }\nmodules: [alpha, beta]',
    );
    writeFileSync(join(dir, 'pack.yaml'), yaml);
    return dir;
  };

  it('gives the audience its own, and every other audience the pack’s', async () => {
    const dir = pack();
    const text = async (audience: string) => {
      const r = await buildMemo({ content: dir, lang: 'en', audience, pages: 1 });
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
      return (await readPdf(r.result.bytes)).text.join('\n').replace(/\s+/g, ' ');
    };
    const pub = await text('public');
    expect(pub).toContain('Plain words for everyone.');
    expect(pub).not.toContain('Small packs work.');
    const pol = await text('policymaker');
    expect(pol).toContain('Small packs work.');
    expect(pol).not.toContain('Plain words for everyone.');
    const deck = await buildDeck({ content: dir, lang: 'en', audience: 'public', slides: 4 });
    if (!deck.ok) throw new Error('deck');
    const lines = [...slideLines(deck.result.bytes)].join(' ');
    expect(lines).toContain('Plain words for everyone.');
    expect(lines).toContain('What it means for you');
  });

  it('checks the audience ids and the translations', () => {
    const dir = pack();
    writeFileSync(
      join(dir, 'pack.yaml'),
      readFileSync(join(dir, 'pack.yaml'), 'utf8')
        .replace('languages: [en]', 'languages: [en, zh-Hant]')
        .replace('  public:\n', '  pubic:\n'),
    );
    const r = runCli(['check', '--content', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /pack\.yaml:\d+:\d+: error\[unknown-audience\]: unknown audience `pubic`\n\s+hint: did you mean `public`\?/,
    );
    expect(r.stderr).toMatch(/error\[missing-translation\]: the bottom line for `pubic` has no `zh-Hant` text/);
  });
});

describe('a memo fills its page', () => {
  for (const lang of ['en', 'zh-Hant'] as const) {
    it(`fills at least 90 % of every audience's one-page memo (${lang})`, async () => {
      for (const audience of AUDIENCES) {
        const r = await buildMemo({ content: PACK, lang, audience, pages: 1 });
        if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
        expect(r.result.build.layout.fit.lastPageFill, audience).toBeGreaterThanOrEqual(0.9);
      }
    });
  }
});
