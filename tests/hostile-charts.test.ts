// Hostile charts: a chart of thousands of categories, of `.inf` or huge values, or of names too
// long for its room is an error at its place in the YAML, or is refused at layout; a chart that is
// drawn has no two labels overlapping.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck, buildMemo } from '../src/index.js';
import { measureText } from '../src/layout/break-lines.js';
import { type ChartStyle, layoutChart, type Rect } from '../src/layout/layout-chart.js';
import { layoutDeck } from '../src/layout/layout-deck.js';
import { layoutMemo } from '../src/layout/layout-memo.js';
import { loadPack } from '../src/load/load-pack.js';
import { loadTemplates } from '../src/load/load-templates.js';
import type { ChartKind, ChartSpec } from '../src/model/chart.js';
import type { Diagnostic } from '../src/model/diagnostic.js';
import { AUDIENCES } from '../src/model/lang.js';
import type { Placed, SlideTextBox } from '../src/model/layout.js';
import { parseDeck, parseMemo } from '../src/parse/parse-briefing.js';
import { fontsFor } from '../src/pipeline.js';
import { FIXTURES, PACK, tempDir } from './helpers.js';

const FACT_LABEL = '    label: { en: Share of alpha in the test }\n';

/**
 * The `valid` fixture pack with a chart on alpha's fact, written as a block so that every
 * category has a line of its own. Returns the folder and the line (1-based) of `key:` lines.
 */
function packWithChart(chart: {
  kind: string;
  categories: readonly string[];
  values: string;
  max?: string;
  title?: string;
}): { dir: string; lineOf: (text: string) => number } {
  const dir = tempDir('briefing-chart-');
  cpSync(join(FIXTURES, 'packs', 'valid'), dir, { recursive: true });
  const file = join(dir, 'modules', 'alpha.yaml');
  const yaml = [
    '    chart:',
    `      kind: ${chart.kind}`,
    ...(chart.title ? [`      title: { en: ${JSON.stringify(chart.title)} }`] : []),
    '      unit: "%"',
    '      categories:',
    ...chart.categories.map((c) => `        - { en: ${JSON.stringify(c)} }`),
    `      values: ${chart.values}`,
    ...(chart.max ? [`      max: ${chart.max}`] : []),
  ].join('\n');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(FACT_LABEL);
  const written = text.replace(FACT_LABEL, `${FACT_LABEL}${yaml}\n`);
  writeFileSync(file, written);
  const lines = written.split('\n');
  return { dir, lineOf: (t) => lines.findIndex((l) => l.includes(t)) + 1 };
}

const load = (dir: string) => loadPack(dir, { audiences: AUDIENCES }).diagnostics;
const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');
const numbers = (n: number, f = (i: number) => (i % 9) + 1) =>
  `[${Array.from({ length: n }, (_, i) => f(i)).join(', ')}]`;
const LONG = (i: number) =>
  `Manufacturers of industrial robots in the region numbered ${i + 1} of the world, with a long name`;

function overlaps(a: Rect, b: Rect, eps = 0.01): boolean {
  return a.x + a.w > b.x + eps && b.x + b.w > a.x + eps && a.y + a.h > b.y + eps && b.y + b.h > a.y + eps;
}

function expectNoOverlap(rects: readonly (Rect & { name: string })[]): void {
  for (const [i, a] of rects.entries())
    for (const b of rects.slice(i + 1)) expect(overlaps(a, b), `${a.name} overlaps ${b.name}`).toBe(false);
}

describe('chart limits at load', () => {
  it('refuses 5,000 categories with one short error at the list, not one per category', () => {
    const categories = Array.from({ length: 5000 }, (_, i) => `Category ${i + 1}`);
    const { dir, lineOf } = packWithChart({ kind: 'bar', categories, values: numbers(5000) });
    const ds = load(dir);
    const json = JSON.stringify(ds);
    expect(json.length, 'every diagnostic together stays small').toBeLessThan(2000);
    const atList = ds.find((d) => d.span?.line === lineOf('- { en: "Category 1" }'));
    expect(atList, JSON.stringify(ds)).toBeDefined();
    expect(atList!.severity).toBe('error');
    expect(atList!.code).toBe('invalid-value');
    expect(atList!.span!.file).toMatch(/modules[/\\]alpha\.yaml$/);
    expect(atList!.message).toMatch(/at most 12 categories/);
    for (const d of ds) expect(d.message.length).toBeLessThan(300);
  });

  it('does not build a memo or a deck from it', async () => {
    const { dir } = packWithChart({
      kind: 'column',
      categories: Array.from({ length: 5000 }, (_, i) => `c${i}`),
      values: numbers(5000),
    });
    const memo = await buildMemo({ content: dir, lang: 'en', audience: 'industry', pages: 1 });
    expect(memo.ok).toBe(false);
    expect(JSON.stringify(memo.diagnostics).length).toBeLessThan(2000);
    const deck = await buildDeck({ content: dir, lang: 'en', audience: 'industry', slides: 5 });
    expect(deck.ok).toBe(false);
    expect(JSON.stringify(deck.diagnostics).length).toBeLessThan(2000);
  });

  it('refuses a pie of more than 6 parts at the first part too many, with a hint', () => {
    const { dir, lineOf } = packWithChart({
      kind: 'pie',
      categories: ['A', 'B', 'C', 'D', 'E', 'F', 'G'],
      values: numbers(7),
    });
    const [d, ...rest] = errors(load(dir));
    expect(rest).toEqual([]);
    expect(d!.code).toBe('chart-too-many');
    expect(d!.message).toBe('a pie chart shows at most 6 parts, and this one has 7');
    expect(d!.span!.line).toBe(lineOf('- { en: "G" }'));
    expect(d!.hints.join(' ')).toMatch(/`Other`/);
  });

  it('allows 12 bars and 6 pie parts', () => {
    expect(
      load(
        packWithChart({ kind: 'bar', categories: Array.from({ length: 12 }, (_, i) => `B${i}`), values: numbers(12) })
          .dir,
      ),
    ).toEqual([]);
    expect(
      load(
        packWithChart({ kind: 'pie', categories: Array.from({ length: 6 }, (_, i) => `P${i}`), values: numbers(6) })
          .dir,
      ),
    ).toEqual([]);
  });

  for (const [written, shown] of [
    ['.inf', 'positive infinity'],
    ['-.inf', 'negative infinity'],
    ['.nan', 'not-a-number'],
  ] as const) {
    it(`refuses a value of \`${written}\` (${shown}) at the value itself`, () => {
      const { dir, lineOf } = packWithChart({ kind: 'pie', categories: ['A', 'B'], values: `[50, ${written}]` });
      const ds = errors(load(dir));
      expect(ds).toHaveLength(1);
      expect(ds[0]!.code).toBe('invalid-value');
      expect(ds[0]!.message).toMatch(/finite numbers, not `\.inf` or `\.nan`/);
      expect(ds[0]!.span!.line).toBe(lineOf('values:'));
      // The column of the second value, not of the list.
      expect(ds[0]!.span!.col).toBe(
        readFileSync(join(dir, 'modules', 'alpha.yaml'), 'utf8')
          .split('\n')
          [lineOf('values:') - 1]!.indexOf(written) + 1,
      );
    });
  }

  it('refuses a value too large to print or add up exactly, at the values, with a hint', () => {
    const { dir, lineOf } = packWithChart({ kind: 'pie', categories: ['A', 'B'], values: '[1.0e308, 1.0e308]' });
    const ds = errors(load(dir));
    expect(ds.map((d) => d.code)).toEqual(['chart-value']);
    expect(ds[0]!.message).toBe(
      'the chart value `1e+308` is too large: a chart shows values up to 10^15 (`1e15`) in size',
    );
    expect(ds[0]!.span!.line).toBe(lineOf('values:'));
    expect(ds[0]!.hints[0]).toMatch(/larger unit/);
    // 10^15 itself is allowed, and negative values are bounded too.
    expect(errors(load(packWithChart({ kind: 'bar', categories: ['A', 'B'], values: '[1e15, -1e15]' }).dir))).toEqual(
      [],
    );
    expect(
      errors(load(packWithChart({ kind: 'bar', categories: ['A', 'B'], values: '[1, -2e15]' }).dir)).map((d) => d.code),
    ).toEqual(['chart-value']);
  });

  it('refuses an infinite or huge axis maximum at `max`', () => {
    for (const max of ['.inf', '1e16']) {
      const { dir, lineOf } = packWithChart({ kind: 'bar', categories: ['A'], values: '[5]', max });
      const ds = errors(load(dir));
      expect(ds, max).toHaveLength(1);
      expect(ds[0]!.span!.line).toBe(lineOf('max:'));
      expect(ds[0]!.message).toMatch(/axis maximum must be/);
    }
  });

  it('never quotes a long name in a message', () => {
    const categories = Array.from({ length: 13 }, () => 'x'.repeat(10_000));
    const { dir } = packWithChart({ kind: 'bar', categories, values: numbers(13), title: 'y'.repeat(10_000) });
    const ds = load(dir);
    expect(ds.length).toBeGreaterThan(0);
    for (const d of ds) expect(d.message.length).toBeLessThan(300);
  });
});

describe('a chart is drawn legibly or refused', () => {
  const CASES: { kind: ChartKind; n: number; long: boolean }[] = [
    { kind: 'pie', n: 6, long: false },
    { kind: 'pie', n: 6, long: true },
    { kind: 'bar', n: 12, long: false },
    { kind: 'bar', n: 12, long: true },
    { kind: 'column', n: 12, long: false },
    { kind: 'column', n: 12, long: true },
    { kind: 'line', n: 12, long: false },
    { kind: 'line', n: 12, long: true },
  ];
  /** Whether each case was drawn on a slide and in a memo. */
  const outcomes: Record<string, { deck: boolean; memo: boolean }> = {};

  for (const { kind, n, long } of CASES) {
    const name = `${n} ${kind} categories with ${long ? 'long' : 'short'} names`;
    outcomes[name] = { deck: false, memo: false };
    it(`${name}: on a slide, labels that do not overlap and fit their boxes, or an error`, async () => {
      const categories = Array.from({ length: n }, (_, i) => (long ? LONG(i) : `R${i + 1}`));
      const { dir } = packWithChart({ kind, categories, values: numbers(n, (i) => (i * 7.5 + 3) % 40) });
      const deck = await buildDeck({ content: dir, lang: 'en', audience: 'industry', slides: 5 });
      outcomes[name]!.deck = deck.ok;
      if (!deck.ok) {
        const refused = deck.diagnostics.filter((d) => d.code === 'chart-unreadable');
        expect(refused, JSON.stringify(deck.diagnostics)).toHaveLength(1);
        expect(refused[0]!.severity).toBe('error');
        expect(refused[0]!.message.length).toBeLessThan(300);
        expect(refused[0]!.hints.length).toBeGreaterThan(0);
        return;
      }
      const slide = deck.result.build.layout.slides.find((s) => s.shapes.some((x) => x.type === 'chart'));
      expect(slide, 'the chart is on a slide').toBeDefined();
      const labels = slide!.shapes.filter(
        (x): x is SlideTextBox => x.type === 'text' && /^Chart (key|category|value) /.test(x.name),
      );
      expect(labels).toHaveLength(kind === 'pie' ? n : 2 * n);
      for (const l of labels) expect(l.fit.overflow, l.name).toBe(false);
      for (const l of labels) expect(l.fit.size, l.name).toBeGreaterThanOrEqual(l.fit.minSize);
      expectNoOverlap(labels);
    });

    it(`${name}: in a memo, text that does not overlap, or the chart left out`, async () => {
      const categories = Array.from({ length: n }, (_, i) => (long ? LONG(i) : `R${i + 1}`));
      const { dir } = packWithChart({ kind, categories, values: numbers(n, (i) => (i * 7.5 + 3) % 40) });
      // The tiny pack fills one page; a tall chart may need a second.
      let memo = await buildMemo({ content: dir, lang: 'en', audience: 'industry', pages: 1 });
      if (memo.ok && memo.result.build.plan.sections.every((s) => s.chart === null)) {
        const two = await buildMemo({ content: dir, lang: 'en', audience: 'industry', pages: 2 });
        if (two.ok) memo = two;
      }
      expect(memo.ok, JSON.stringify(memo.diagnostics)).toBe(true);
      if (!memo.ok) return;
      const { layout } = memo.result.build;
      const figure = layout.structure.findIndex((node) => node.role === 'Figure');
      outcomes[name]!.memo = figure >= 0;
      const items = layout.pages.flatMap((p) => p.items).filter((x) => x.tag === figure);
      if (figure < 0) {
        // Left out whole, and reported: no marks, no labels, a dropped fact.
        expect(memo.result.drops.filter((d) => d.kind === 'fact')).toHaveLength(1);
        const all = layout.pages.flatMap((p) => p.items);
        expect(all.some((x) => x.type === 'wedge' || x.type === 'polyline' || x.type === 'dot')).toBe(false);
        expect(all.flatMap((x) => (x.type === 'text' ? [x.text] : [])).join(' ')).not.toContain(
          categories[0]!.split(' ')[0],
        );
        return;
      }
      const texts = items.filter((x): x is Extract<Placed, { type: 'text' }> => x.type === 'text');
      for (const c of categories)
        expect(
          texts
            .map((t) => t.text)
            .join(' ')
            .replace(/\s+/g, ' '),
          c,
        ).toContain(c.split(' ')[0]);
      expectNoOverlap(texts.map((t, i) => ({ name: `${i}: ${t.text}`, ...textBox(t) })));
    });
  }

  it('draws the short names everywhere, and refuses at least one chart of long names', () => {
    for (const { kind, n } of CASES)
      expect(outcomes[`${n} ${kind} categories with short names`], kind).toEqual({ deck: true, memo: true });
    const long = CASES.filter((c) => c.long).map((c) => outcomes[`${c.n} ${c.kind} categories with long names`]!);
    expect(long.some((o) => !o.deck || !o.memo)).toBe(true);
  });
});

/** The box a line of memo text takes: its advance from x, and from its ascent to its descent around the baseline. */
const memoFonts = (() => {
  const { templates } = loadTemplates({ audience: 'industry', lang: 'en' });
  return fontsFor(templates!, 'en', 'memo');
})();
function textBox(t: Extract<Placed, { type: 'text' }>): Rect {
  const style = t.font.replace(/^h-/, '').replace(/-ea$/, '') as 'regular' | 'bold' | 'italic' | 'boldItalic';
  const w = measureText(t.text.trimEnd(), memoFonts.styles[style], t.size, t.charSpacing);
  return { x: t.x, y: t.y - t.size * 0.75, w, h: t.size * 0.95 };
}

describe('layoutChart', () => {
  const style: ChartStyle = {
    colors: ['111111', '222222', '333333', '444444', '555555', '666666'],
    ink: '000000',
    muted: '666666',
    track: 'EEEEEE',
    size: 10,
    measure: (text) => text.length * 5,
  };
  const frame: Rect = { x: 0, y: 0, w: 450, h: 250 };
  const spec = (kind: ChartKind, values: number[], categories = values.map((_, i) => `C${i + 1}`)): ChartSpec => ({
    kind,
    title: 'T',
    unit: '',
    categories,
    values,
    max: null,
    alt: 'T',
  });

  it('lays out a chart with few categories and no problem', () => {
    for (const kind of ['pie', 'bar', 'column', 'line'] as const) {
      const laid = layoutChart(spec(kind, [50, 30, 20]), frame, style);
      expect(laid.problem, kind).toBeNull();
      expectNoOverlap(laid.labels.map((l) => ({ name: l.name, ...l.rect })));
    }
  });

  it('refuses thousands of categories (a chart block a template wrote) without laying them out', () => {
    const laid = layoutChart(
      spec(
        'column',
        Array.from({ length: 5000 }, (_, i) => i),
      ),
      frame,
      style,
    );
    expect(laid.problem).toBe('its 5000 categories are too many to label');
    expect(laid.labels).toEqual([]);
    expect(laid.marks).toEqual([]);
  });

  it('refuses a pie with no part above zero, an infinite part or total, or more parts than colours', () => {
    expect(layoutChart(spec('pie', [0, 0]), frame, style).problem).toMatch(/parts above zero/);
    expect(layoutChart(spec('pie', [1e308, 1e308]), frame, style).problem).toMatch(/finite total/);
    expect(layoutChart(spec('pie', [Number.POSITIVE_INFINITY, 1]), frame, style).problem).toMatch(/finite number/);
    expect(layoutChart(spec('pie', [Number.NaN, 1]), frame, style).problem).toMatch(/finite number/);
    expect(layoutChart(spec('pie', [1, 1, 1, 1, 1, 1, 1]), frame, style).problem).toBe(
      'its 7 parts need 7 colours, and the theme has 6',
    );
  });

  it('still draws a pie whose parts are tiny, one wedge per part above zero', () => {
    const laid = layoutChart(spec('pie', [1e-12, 3e-12, 0]), frame, style);
    expect(laid.problem).toBeNull();
    const wedges = laid.marks.filter((m) => m.type === 'wedge');
    expect(wedges).toHaveLength(2);
    expect(wedges.at(-1)!.type === 'wedge' && wedges.at(-1)!.end).toBeCloseTo(360);
  });

  it('refuses labels that would be squeezed or overlap in a small frame', () => {
    const small: Rect = { x: 0, y: 0, w: 120, h: 40 };
    expect(layoutChart(spec('pie', [1, 2, 3, 4, 5, 6]), small, style).problem).not.toBeNull();
    expect(
      layoutChart(
        spec(
          'bar',
          Array.from({ length: 12 }, (_, i) => i),
        ),
        small,
        style,
      ).problem,
    ).not.toBeNull();
    expect(
      layoutChart(
        spec(
          'column',
          Array.from({ length: 12 }, (_, i) => i),
        ),
        small,
        style,
      ).problem,
    ).not.toBeNull();
    // A word wider than its column cannot be read, even in a frame tall enough.
    expect(
      layoutChart(
        spec(
          'column',
          [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
          Array.from({ length: 12 }, () => 'Internationalisation'),
        ),
        frame,
        style,
      ).problem,
    ).toBe('its names or values are too wide for its columns');
  });

  it('judges labels at the smallest size the caller may shrink them to', () => {
    // 12 columns of 37.5 pt: `Germany` is 35 pt at full size, 52.5 pt for `Netherlands` fits only at 60 %.
    const names = Array.from({ length: 12 }, (_, i) => (i === 0 ? 'Netherlands' : 'Germany'));
    const columns = spec(
      'column',
      Array.from({ length: 12 }, (_, i) => i + 1),
      names,
    );
    expect(layoutChart(columns, frame, style).problem).not.toBeNull();
    expect(
      layoutChart(columns, frame, { ...style, minScale: { chartValue: 0.6, chartLabel: 0.6 } }).problem,
    ).toBeNull();
  });
});

describe('the layouts refuse what cannot be drawn', () => {
  const { templates } = loadTemplates({ audience: 'industry', lang: 'en' });
  const t = templates!;
  const meta = { lang: 'en' as const, langTag: 'en-US', title: 'T', author: null, subject: null, date: '2025-01-15' };
  const block = (c: object) =>
    `\`\`\`chart\n${JSON.stringify({ title: 'Robots', unit: '%', max: null, alt: 'Robots', ...c })}\n\`\`\``;
  const wide = {
    kind: 'column',
    categories: Array.from({ length: 12 }, () => 'Internationalisation'),
    values: Array.from({ length: 12 }, (_, i) => i),
  };

  it('leaves an unreadable chart out of a memo and says which and why', () => {
    const md = `## Alpha\n\nA point about alpha.\n\n${block(wide)}\n\nAfter the chart.\n\n${block({ kind: 'pie', categories: ['A', 'B'], values: [60, 40] })}\n`;
    const { document } = parseMemo(md, 'memo.md');
    const laid = layoutMemo({
      document,
      theme: t.theme,
      fonts: fontsFor(t, 'en', 'memo'),
      page: 'a4',
      bodySize: 11,
      ...meta,
      runningHead: 'T',
      pageLabel: '{n}',
      marking: null,
    });
    expect(laid.refusedCharts.map((r) => [r.chart.kind, r.problem])).toEqual([
      ['column', 'its names or values are too wide for its columns'],
    ]);
    // The pie is drawn, as the only figure; nothing of the column chart is on the page.
    expect(laid.memo.structure.filter((n) => n.role === 'Figure')).toHaveLength(1);
    const texts = laid.memo.pages.flatMap((p) => p.items).flatMap((x) => (x.type === 'text' ? [x.text] : []));
    expect(texts.join(' ')).not.toContain('Internationalisation');
    expect(texts.join(' ')).toContain('After the chart.');
  });

  it('refuses an unreadable chart on a slide with one short error, even of thousands of categories', () => {
    const thousands = {
      kind: 'bar',
      categories: Array.from({ length: 5000 }, (_, i) => `c${i}`),
      values: Array.from({ length: 5000 }, (_, i) => i),
    };
    const md = (chart: object) =>
      `<!-- layout: chart -->\n\n## Robots\n\n<!-- column -->\n\n- A point\n\n<!-- column -->\n\n${block(chart)}\n`;
    // Thousands of categories are refused when the Markdown is read, before any layout.
    const parsed = parseDeck(md(thousands), 'deck.md');
    expect(parsed.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'chart-invalid']]);
    expect(parsed.document.slides[0]!.blocks.some((b) => b.type === 'chart')).toBe(false);
    for (const chart of [wide, { ...wide, title: `\u001b[2J${'T'.repeat(10_000)}` }]) {
      const { document } = parseDeck(md(chart), 'deck.md');
      const laid = layoutDeck({
        document,
        theme: t.theme,
        fonts: fontsFor(t, 'en', 'deck'),
        ...meta,
        quotes: { open: '“', close: '”' },
      });
      // No label is left to overflow (only a title of 10,000 characters does).
      expect(laid.overflows.filter((o) => o.box !== 'Chart title')).toEqual([]);
      expect(laid.diagnostics.map((d) => [d.severity, d.code])).toEqual([['error', 'chart-unreadable']]);
      expect(laid.diagnostics[0]!.message.length).toBeLessThan(300);
      expect(laid.diagnostics[0]!.message).not.toContain('\u001b');
      expect(laid.diagnostics[0]!.span?.file).toBe('deck.md');
      expect(
        laid.deck.slides[0]!.shapes.some((x) => x.type === 'chart' || /^Chart (key|category|value)/.test(x.name)),
      ).toBe(false);
    }
  });
});

describe("the built-in pack's charts", () => {
  it('are drawn on slides and in memos, with no label overlapping another', async () => {
    const deck = await buildDeck({ content: PACK, lang: 'en', audience: 'industry', slides: 10 });
    expect(deck.ok).toBe(true);
    if (!deck.ok) return;
    const charts = deck.result.build.layout.slides.filter((s) => s.shapes.some((x) => x.type === 'chart'));
    expect(
      charts
        .map(
          (s) =>
            s.shapes.find((x) => x.type === 'chart')!.type === 'chart' &&
            (s.shapes.find((x) => x.type === 'chart') as { chart: ChartSpec }).chart.kind,
        )
        .sort(),
    ).toEqual(['pie']);
    for (const s of charts)
      expectNoOverlap(
        s.shapes.filter((x): x is SlideTextBox => x.type === 'text' && /^Chart (key|category|value) /.test(x.name)),
      );
    const memo = await buildMemo({ content: PACK, lang: 'en', audience: 'industry', pages: 2 });
    expect(memo.ok).toBe(true);
    if (!memo.ok) return;
    expect(memo.result.build.layout.structure.filter((n) => n.role === 'Figure')).toHaveLength(1);
  });
});
