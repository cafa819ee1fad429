// layout: MemoDocument × Theme × FontMetrics × body size → LaidMemo (pages of placed text).
// Pure. Lines are broken on real metrics and placed at fixed positions; the renderer only draws.
// Pages break between lines, with headings kept with what follows and no lone first or last line.
import { CJK } from '../localize/spacing.js';
import type { ChartSpec } from '../model/chart.js';
import type { Block, MemoDocument, Run } from '../model/document.js';
import type { FontStyle, LaidMemo, LaidPage, LayoutMeta, MemoBoxFit, Placed, Tag } from '../model/layout.js';
import type { Span } from '../model/span.js';
import type { Theme } from '../model/theme.js';
import { breakLines, type Line, measureText, noLoneLastCharacter, withSpace } from './break-lines.js';
import type { FontBook } from './font-metrics.js';
import { chartColors, layoutChart } from './layout-chart.js';
import { chartMarkPieces, decorPieces, offsetPlaced } from './placed.js';
import { Structure, tagged } from './structure.js';

export const PAGE_SIZES = Object.freeze({ letter: { width: 612, height: 792 }, a4: { width: 595.28, height: 841.89 } });

/** Characters a justified Chinese line is spread at: Han, kana, CJK punctuation, fullwidth forms. */
const SPREADS = new RegExp(`[${CJK}]`);

export interface LayoutMemoInput extends LayoutMeta {
  document: MemoDocument;
  theme: Theme;
  fonts: FontBook;
  /** Fonts for headings (title, section labels), when the theme has them. */
  headingFonts?: FontBook;
  /** A logo at the top right of the first page (absolute path), and a line for every footer. */
  logo?: { file: string; width: number; height: number } | null;
  footerText?: string | null;
  page: 'letter' | 'a4';
  bodySize: number;
  /** Running header for pages after the first, and the footer's left text. */
  runningHead: string;
  /** `Page {n} of {total}`. */
  pageLabel: string;
  /** How ordered lists are numbered: `1.` or `一、`. */
  numbering?: 'decimal' | 'cjk';
  marking: string | null;
  /** A handling line for every footer, e.g. PRE-DECISIONAL. */
  footer?: string | null;
}

/** A unit of flow: lines that belong together, with the rules for breaking pages around them. */
interface FlowBlock {
  lines: FlowLine[];
  spaceBefore: number;
  keepWithNext: boolean;
  /** Never split (panels). */
  whole: boolean;
  panel: { fill: string; bar: string; padX: number; padY: number } | null;
  /** What the fit report calls this block; null for rules. */
  label: string | null;
}

interface FlowLine {
  height: number;
  /** Items relative to the line's top-left corner. */
  items: Placed[];
}

interface Style {
  size: number;
  style: FontStyle;
  color: string;
  lineHeight: number;
  caps?: boolean;
  letterSpacing?: number;
  /** Set in the heading fonts. */
  heading?: boolean;
}

/** A chart the memo left out because it cannot be drawn legibly in the column, and why (see `ChartLayout.problem`). */
export interface RefusedChart {
  chart: ChartSpec;
  problem: string;
}

export function layoutMemo(input: LayoutMemoInput): {
  memo: LaidMemo;
  missing: number[];
  missingAt: Record<number, Span>;
  refusedCharts: RefusedChart[];
  /** The footer line, when it was too long for one line and was shortened. */
  footerShortened: { full: string; shown: string } | null;
} {
  const { theme, fonts, bodySize: s } = input;
  const c = theme.colors;
  const size = PAGE_SIZES[input.page];
  const m = theme.memo.margin;
  const width = size.width - m.left - m.right;
  const scale = theme.memo.lineHeightScale?.[input.lang] ?? 1;
  const lh = theme.memo.lineHeight;
  const justify = theme.memo.justify?.[input.lang] ?? false;
  const maxSpacing = theme.memo.maxJustifySpacing ?? 0.25;
  const missing = new Set<number>();
  const missingAt: Record<number, Span> = {};
  let currentSpan: Span | null = null;

  const st = {
    kicker: {
      size: s * 0.78,
      style: 'bold',
      color: c.accent,
      lineHeight: 1.3,
      caps: true,
      letterSpacing: 0.3,
      heading: true,
    },
    title: { size: s * 2.1, style: 'bold', color: c.primary, lineHeight: 1.12, heading: true },
    subtitle: { size: s * 1.12, style: 'regular', color: c.muted, lineHeight: 1.3 },
    label: { size: s * 0.78, style: 'bold', color: c.muted, lineHeight: lh, caps: true, letterSpacing: 0.3 },
    value: { size: s * 0.95, style: 'regular', color: c.ink, lineHeight: 1.3 },
    panelLabel: { size: s * 0.8, style: 'bold', color: c.accent, lineHeight: 1.4, caps: true, letterSpacing: 0.3 },
    panelText: { size: s * 1.06, style: 'regular', color: c.primary, lineHeight: 1.36 },
    h2: {
      size: s * 0.86,
      style: 'bold',
      color: c.accent,
      lineHeight: 1.4,
      caps: true,
      letterSpacing: 0.3,
      heading: true,
    },
    h3: { size: s * 1.1, style: 'bold', color: c.primary, lineHeight: 1.3, heading: true },
    lead: { size: s, style: 'italic', color: c.ink, lineHeight: lh },
    body: { size: s, style: 'regular', color: c.ink, lineHeight: lh },
    source: { size: s * 0.8, style: 'regular', color: c.muted, lineHeight: 1.32 },
    chartTitle: { size: s * 0.95, style: 'bold', color: c.primary, lineHeight: 1.3 },
    chartValue: { size: s * 0.95, style: 'bold', color: c.ink, lineHeight: 1.2 },
    chartLabel: { size: s * 0.85, style: 'regular', color: c.muted, lineHeight: 1.2 },
    footer: { size: Math.max(7, s * 0.72), style: 'regular', color: c.muted, lineHeight: 1.2 },
  } satisfies Record<string, Style>;

  /**
   * Breaks runs into lines of `maxWidth`, each line's items placed from x = 0. Chinese lines
   * (all but a paragraph's last) are justified by spacing the characters.
   */
  const linesOf = (runs: readonly Run[], base: Style, maxWidth: number, x0 = 0, justified = justify): FlowLine[] => {
    const book = base.heading && input.headingFonts ? input.headingFonts : fonts;
    const measure = runs.map((r) => {
      const style = styleOf(base.style, r);
      return {
        text: base.caps ? r.text.toUpperCase() : r.text,
        chain: book.styles[style],
        size: base.size,
        letterSpacing: base.letterSpacing ?? 0,
        style,
        href: r.href,
        heading: book !== fonts,
      };
    });
    // No lone character on a justified paragraph's last line: pull one more down with it.
    const broken = justified
      ? noLoneLastCharacter((w) => breakLines(measure, w), maxWidth, base.size)
      : breakLines(measure, maxWidth);
    for (const cp of broken.missing) {
      missing.add(cp);
      if (currentSpan && !(cp in missingAt)) missingAt[cp] = currentSpan;
    }
    const pitch = base.size * base.lineHeight * scale;
    const font = book.styles[base.style].faces[0]!;
    const ascent = (font.ascender / font.unitsPerEm) * base.size;
    const descent = (-font.descender / font.unitsPerEm) * base.size;
    const baseline = (pitch - (ascent + descent)) / 2 + ascent;
    return broken.lines.map((line: Line) => {
      // Justified by spacing Chinese characters only: a Latin word or a URL is never letter-spaced.
      // The space goes after each Chinese character but the line's last.
      // A fragment is set in one face, so it is Chinese or Latin (its spacing applies to all of it).
      const spread = line.fragments.map((f) => (SPREADS.test(f.text) ? [...f.text].length : 0));
      const gaps = spread.reduce((n, c) => n + c, 0) - (spread[spread.length - 1] ? 1 : 0);
      let extra = 0;
      if (justified && !line.last && gaps > 0) {
        extra = (maxWidth - line.width) / gaps;
        if (extra > maxSpacing * base.size || extra < 0) extra = 0;
      }
      let before = 0;
      return {
        height: pitch,
        items: line.fragments.map((f, k): Placed => {
          const r = measure[f.run]!;
          const x = x0 + f.x + before * extra;
          before += spread[k]!;
          return {
            type: 'text',
            x,
            y: baseline,
            text: withSpace(f.text, line, k),
            font: fontKey(r.style, f.face, r.heading),
            size: base.size,
            color: base.color,
            charSpacing: r.letterSpacing + (spread[k]! > 0 ? extra : 0),
            href: r.href,
          };
        }),
      };
    });
  };
  // The fit report's name for the next block: set before each is made.
  let label: string | null = null;
  const block = (lines: FlowLine[], spaceBefore: number, extra: Partial<FlowBlock> = {}): FlowBlock => ({
    lines,
    spaceBefore,
    keepWithNext: false,
    whole: false,
    panel: null,
    label,
    ...extra,
  });
  const quoted = (runs: readonly Run[]) => {
    const text = runs
      .map((r) => r.text)
      .join('')
      .trim();
    return `“${[...text].length > 40 ? `${[...text].slice(0, 39).join('')}…` : text}”`;
  };
  let section = '';
  // The tagged PDF's structure, node by node as blocks are made (see src/layout/structure.ts).
  const structure = new Structure();
  const tagLines = (lines: FlowLine[], tag: Tag): FlowLine[] => {
    const all = tagged(
      lines.flatMap((l) => l.items),
      tag,
      structure,
    );
    let k = 0;
    return lines.map((l) => ({ ...l, items: l.items.map(() => all[k++]!) }));
  };

  /** Charts left out because they cannot be drawn legibly. */
  const refusedCharts: RefusedChart[] = [];
  /**
   * A chart as one tall line of the flow (its height is the chart's), or why it cannot be drawn
   * legibly. A pie's keys and bars' names may take more lines than the first frame gives them: the
   * frame then grows to what they need, up to twice; columns' names have a fixed room below them.
   */
  const chartLine = (spec: ChartSpec): FlowLine | string => {
    const n = spec.categories.length;
    let frame =
      spec.kind === 'pie'
        ? { x: 0, y: s * 0.4, w: width * 0.7, h: s * 8 }
        : spec.kind === 'bar'
          ? { x: 0, y: s * 0.4, w: width, h: n * s * 2.6 }
          : { x: 0, y: s * 0.4, w: Math.min(width, n * s * 7), h: s * 12 };
    const style = (role: 'chartValue' | 'chartLabel') => st[role];
    for (let attempt = 0; ; attempt++) {
      const laid = layoutChart(spec, frame, {
        colors: chartColors(theme),
        ink: c.ink,
        muted: c.muted,
        track: c.panel,
        size: st.chartLabel.size,
        measure: (text, role) => measureText(text, fonts.styles[style(role).style], style(role).size),
      });
      // Decoration first: a bar's track lies behind it.
      const items: Placed[] = [...decorPieces(laid.decor), ...chartMarkPieces(laid.marks)];
      // How many times its place the tallest label needs: above 1, it would run into the next.
      let short = 0;
      for (const l of laid.labels) {
        const lines = l.paragraphs.flatMap((p) =>
          linesOf([plainRun(p.text)], { ...style(p.role), color: p.color }, l.rect.w, 0, false).map((line) => ({
            line,
            p,
          })),
        );
        const height = heightOf(lines.map((x) => x.line));
        short = Math.max(short, height / l.rect.h);
        let y =
          l.rect.y + (l.valign === 'middle' ? (l.rect.h - height) / 2 : l.valign === 'bottom' ? l.rect.h - height : 0);
        for (const { line, p } of lines) {
          const text = line.items.map((x) => (x.type === 'text' ? x.text : '')).join('');
          const w = measureText(text.trimEnd(), fonts.styles[style(p.role).style], style(p.role).size);
          const dx = l.align === 'right' ? l.rect.w - w : l.align === 'center' ? (l.rect.w - w) / 2 : 0;
          items.push(...line.items.map((x) => offsetPlaced(x, l.rect.x + dx, y)));
          y += line.height;
        }
      }
      if (!laid.problem && short <= 1 + 1e-6) return { height: frame.y + frame.h + s * 0.4, items };
      const grows = (spec.kind === 'pie' || spec.kind === 'bar') && laid.labels.length > 0 && attempt < 2;
      if (!grows) return laid.problem ?? 'its labels need more room than the chart has';
      frame = { ...frame, h: frame.h * Math.max(short, 1.25) * 1.05 };
    }
  };
  const heightOf = (lines: readonly FlowLine[]) => lines.reduce((h, l) => h + l.height, 0);

  // Turn the document into flow blocks, region by region.
  const flow: FlowBlock[] = [];
  let region = 'body';
  let pendingKicker: string | null = null;
  // The first page's logo sits at the top right: the header's text keeps clear of it.
  const headerWidth = input.logo ? Math.max(width * 0.5, width - input.logo.width - s * 1.5) : width;
  for (let i = 0; i < input.document.blocks.length; i++) {
    const b = input.document.blocks[i]!;
    currentSpan = b.span;
    if (b.type === 'marker') {
      if (b.name === 'region') region = b.value;
      else if (b.name === 'kicker') pendingKicker = b.value;
      else if (b.name === 'rule') flow.push(ruleBlock(width, c.rule, s * 0.6));
      continue;
    }
    if (region === 'header') {
      if (pendingKicker) {
        label = 'kicker';
        flow.push(block(tagLines(linesOf([plainRun(pendingKicker)], st.kicker, headerWidth), structure.add('P')), 0));
        pendingKicker = null;
      }
      label = b.type === 'heading' ? 'title' : b.type === 'paragraph' ? 'subtitle' : 'memo header';
      if (b.type === 'heading')
        flow.push(
          block(tagLines(linesOf(b.runs, st.title, headerWidth), structure.add('H1')), s * 0.2, { keepWithNext: true }),
        );
      else if (b.type === 'paragraph')
        flow.push(
          block(tagLines(linesOf(b.runs, st.subtitle, headerWidth), structure.add('P')), s * 0.3, {
            keepWithNext: true,
          }),
        );
      else if (b.type === 'list') {
        // To, From, Date, Subject: a table whose rows are headed by their labels.
        const table = structure.add('Table');
        const labelW = Math.max(
          ...b.items.map(
            (it) => measureText(labelText(it.blocks), fonts.styles.bold, st.label.size, st.label.letterSpacing) + 12,
          ),
          64,
        );
        const lines: FlowLine[] = [];
        for (const it of b.items) {
          const runs = itemRuns(it.blocks);
          const label = runs[0]?.bold ? runs[0] : null;
          const value = label ? trimStart(runs.slice(1)) : runs;
          const row = structure.add('TR', table);
          const th = label ? structure.add('TH', row) : null;
          const valueLines = tagLines(linesOf(value, st.value, headerWidth - labelW, labelW), structure.add('TD', row));
          if (label && th !== null && valueLines[0]) {
            const labelLine = tagLines(
              linesOf(
                [{ ...label, text: label.text.replace(/[:：]\s*$/, '') }],
                { ...st.label, lineHeight: st.value.lineHeight * (st.value.size / st.label.size) },
                labelW,
              ),
              th,
            );
            valueLines[0].items.unshift(
              ...(labelLine[0]?.items ?? []).map((x) =>
                x.type === 'text'
                  ? {
                      ...x,
                      y: valueLines[0]!.items[0]?.type === 'text' ? (valueLines[0]!.items[0] as { y: number }).y : x.y,
                    }
                  : x,
              ),
            );
          }
          lines.push(...valueLines);
        }
        flow.push(block(lines, s * 1.1, { whole: true }));
        flow.push(ruleBlock(width, c.rule, s * 0.7));
      }
      continue;
    }
    if (region === 'bottom-line') {
      // Heading and text together in one tinted panel.
      const panel = { fill: c.panel, bar: c.accent, padX: s * 1.2, padY: s * 0.8 };
      const inner = width - panel.padX * 2;
      label = 'bottom line';
      if (b.type === 'heading') {
        const next = input.document.blocks[i + 1];
        const lines = tagLines(
          linesOf(b.runs, st.panelLabel, inner),
          structure.add('H2', 0, { title: b.runs.map((r) => r.text).join(''), bookmark: 1 }),
        );
        if (next && next.type === 'paragraph') {
          lines.push(...tagLines(linesOf(next.runs, st.panelText, inner), structure.add('P')));
          i++;
        }
        flow.push(block(lines, s * 0.9, { whole: true, panel }));
      } else if (b.type === 'paragraph')
        flow.push(
          block(tagLines(linesOf(b.runs, st.panelText, inner), structure.add('P')), s * 0.9, { whole: true, panel }),
        );
      continue;
    }
    const small = region === 'sources';
    const text = small ? st.source : st.body;
    // The source list is set ragged-right: references are mostly names, titles and addresses.
    const justifyHere = justify && !small;
    if (b.type === 'heading') {
      section = quoted(b.runs);
      label = `heading ${section}`;
      const style = b.depth <= 2 ? st.h2 : st.h3;
      const heading = structure.add(b.depth <= 2 ? 'H2' : 'H3', 0, {
        title: b.runs.map((r) => r.text).join(''),
        bookmark: b.depth <= 2 ? 1 : 2,
      });
      flow.push(
        block(tagLines(linesOf(b.runs, style, width), heading), b.depth <= 2 ? s * 1.5 : s * 0.8, {
          keepWithNext: true,
        }),
      );
    } else if (b.type === 'paragraph') {
      const italic = b.runs.every((r) => r.italic);
      label = `paragraph ${section ? `under ${section}` : quoted(b.runs)}`;
      flow.push(
        block(tagLines(linesOf(b.runs, italic ? st.lead : text, width, 0, justifyHere), structure.add('P')), s * 0.35),
      );
    } else if (b.type === 'list') {
      const list = structure.add('L');
      b.items.forEach((it, k) => {
        const node = structure.item(list);
        const cjk = b.ordered && !small && input.numbering === 'cjk';
        const marker = b.ordered ? (cjk ? `${chineseNumeral(b.start + k)}、` : `${b.start + k}.`) : '•';
        const indent = b.ordered ? text.size * (cjk ? 2.1 : 1.6) : text.size * 1.1;
        const lines = tagLines(linesOf(itemRuns(it.blocks), text, width - indent, indent, justifyHere), node.body);
        // A source list entry is where note marks (`#source-N` links) lead.
        const firstText = lines[0]?.items.findIndex((x) => x.type === 'text') ?? -1;
        if (small && b.ordered && firstText >= 0)
          lines[0]!.items[firstText] = { ...lines[0]!.items[firstText]!, dest: `source-${b.start + k}` } as Placed;
        const markerStyle = { ...text, style: b.ordered ? ('bold' as const) : ('regular' as const), color: c.accent };
        label = `item ${k + 1}${section ? ` under ${section}` : ''}`;
        const first = lines[0];
        if (first) {
          const y =
            first.items.find((x) => x.type === 'text')?.type === 'text'
              ? (first.items[0] as { y: number }).y
              : text.size;
          const markerLine = linesOf([plainRun(marker)], markerStyle, indent, 0, false)[0];
          first.items.unshift(
            ...(markerLine?.items ?? []).map((it) => (it.type === 'text' ? { ...it, y, tag: node.label } : it)),
          );
        }
        flow.push(block(lines, k === 0 ? s * 0.35 : s * (small ? 0.15 : 0.3)));
      });
    } else if (b.type === 'quote') {
      label = `quote${section ? ` under ${section}` : ''}`;
      const quote = structure.add('BlockQuote');
      for (const q of b.blocks)
        if (q.type === 'paragraph')
          flow.push(
            block(tagLines(linesOf(q.runs, st.lead, width - s * 1.5, s * 1.5), structure.add('P', quote)), s * 0.35),
          );
    } else if (b.type === 'chart') {
      // Its title, then the chart drawn as in the handout: marks, keys and labels as measured
      // text; or, when it cannot be drawn legibly, nothing: it is listed in `refusedCharts`, for
      // the pipeline to report as left out.
      label = `chart ${quoted([plainRun(b.chart.title)])}`;
      const titleLines = linesOf([plainRun(b.chart.title)], st.chartTitle, width, 0, false);
      const drawn = chartLine(b.chart);
      if (typeof drawn === 'string') refusedCharts.push({ chart: b.chart, problem: drawn });
      else {
        const title = tagLines(titleLines, structure.add('P'));
        const figure = structure.add('Figure', 0, { alt: b.chart.alt });
        flow.push(
          block([...title, { ...drawn, items: drawn.items.map((x) => ({ ...x, tag: figure })) }], s * 0.9, {
            whole: true,
          }),
        );
      }
    } else if (b.type === 'table') {
      for (const [r, row] of b.rows.entries()) {
        label = `table row ${r + 1}${section ? ` under ${section}` : ''}`;
        flow.push(
          block(
            tagLines(
              linesOf(
                row.flatMap((cell, k) => (k > 0 ? [plainRun(input.separator ?? ' · '), ...cell] : cell)),
                text,
                width,
              ),
              structure.add('P'),
            ),
            s * 0.2,
          ),
        );
      }
    }
  }

  // Paginate.
  const headH = s * 2.2;
  const footH = s * 2.6;
  const top = m.top;
  // The body stops short of the footer rule by most of a line, so the last line never crowds it.
  const footerTop = size.height - m.bottom;
  const bottom = footerTop - s * 0.8;
  const pages: { items: Placed[]; y: number; top: number }[] = [];
  const newPage = () => {
    const pageTop = pages.length === 0 ? top : top + headH;
    pages.push({ items: [], y: pageTop, top: pageTop });
  };
  newPage();
  const place = (lines: FlowLine[], x0: number) => {
    const page = pages[pages.length - 1]!;
    for (const line of lines) {
      for (const it of line.items) page.items.push(offsetPlaced(it, x0, page.y));
      page.y += line.height;
    }
  };
  const boxes: MemoBoxFit[] = [];
  for (let i = 0; i < flow.length; i++) {
    const f = flow[i]!;
    // A block's size is its main text's: the largest in it (a panel's label is smaller than its text).
    const sizes = f.lines.flatMap((l) => l.items).flatMap((x) => (x.type === 'text' ? [x.size] : []));
    const report: MemoBoxFit | null =
      f.label && sizes.length > 0
        ? { box: f.label, page: 0, pages: 1, size: round(Math.max(...sizes)), linesUsed: f.lines.length }
        : null;
    if (report) boxes.push(report);
    let page = pages[pages.length - 1]!;
    const atTop = page.y === page.top;
    const before = atTop ? 0 : f.spaceBefore;
    const room = bottom - page.y - before;
    const pad = f.panel ? f.panel.padY * 2 : 0;
    const whole = heightOf(f.lines) + pad;
    // Keep a heading with the first two lines of what follows.
    const next = flow[i + 1];
    const keep = f.keepWithNext && next ? whole + next.spaceBefore + heightOf(next.lines.slice(0, 2)) : whole;
    if (!atTop && (keep > room || ((f.whole || f.lines.length < 4) && whole > room))) {
      newPage();
      page = pages[pages.length - 1]!;
    } else {
      page.y += before;
    }
    if (report) report.page = pages.length;
    if (f.panel) {
      const p = f.panel;
      page.items.push({ type: 'rect', x: m.left, y: page.y, w: width, h: whole, fill: p.fill });
      page.items.push({ type: 'rect', x: m.left, y: page.y, w: 3, h: whole, fill: p.bar });
      page.y += p.padY;
      place(f.lines, m.left + p.padX);
      page.y += p.padY;
      continue;
    }
    // Split a long block between lines: at least two lines on each side.
    let lines = f.lines;
    while (lines.length > 0) {
      page = pages[pages.length - 1]!;
      const fits = Math.floor((bottom - page.y + 1e-6) / (lines[0]!.height || 1));
      if (fits >= lines.length) {
        place(lines, m.left);
        break;
      }
      let take = Math.min(fits, lines.length - 2);
      if (take < 2) take = page.y === page.top ? Math.max(1, fits) : 0;
      if (take > 0) place(lines.slice(0, take), m.left);
      else if (report && report.page === pages.length) report.page++;
      lines = lines.slice(take);
      newPage();
      if (report && take > 0) report.pages++;
    }
  }

  // Running heads, footers, page numbers.
  let footerShortened: { full: string; shown: string } | null = null;
  const total = pages.length;
  const laidPages: LaidPage[] = pages.map((p, i) => {
    const items = [...p.items];
    const footY = footerTop + footH * 0.55;
    items.push({
      type: 'line',
      x1: m.left,
      y1: footerTop + footH * 0.15,
      x2: m.left + width,
      y2: footerTop + footH * 0.15,
      color: c.rule,
      width: 0.6,
    });
    const sep = input.separator ?? ' · ';
    const left = [input.footer, input.footerText, input.runningHead].filter(Boolean).join(sep);
    if (input.marking) {
      // The marking banner, centred above the top margin and below the footer.
      for (const y of [m.top * 0.45, size.height - m.bottom * 0.3]) {
        // Markings are set in capitals, as classification lines are.
        const text = input.marking.toUpperCase();
        const line = linesOf(
          [{ ...plainRun(text), bold: true }],
          { ...st.footer, color: c.marking, letterSpacing: 0.4 },
          width,
          0,
          false,
        )[0];
        const w = measureText(text, fonts.styles.bold, st.footer.size, 0.4);
        for (const it of line?.items ?? [])
          if (it.type === 'text') items.push({ ...it, x: it.x + m.left + (width - w) / 2, y, tag: 'page' });
      }
    }
    // On one line: when it does not fit, shortened with an ellipsis, and reported.
    const shown = oneLine(left, (t) => linesOf([plainRun(t)], st.footer, width * 0.7).length <= 1);
    if (shown !== left) footerShortened = { full: left, shown };
    for (const line of linesOf([plainRun(shown)], st.footer, width * 0.7)) {
      for (const it of line.items)
        if (it.type === 'text') items.push({ ...it, x: it.x + m.left, y: footY, tag: 'page' });
      break;
    }
    const label = input.pageLabel.replace('{n}', String(i + 1)).replace('{total}', String(total));
    const labelLine = linesOf([plainRun(label)], st.footer, width * 0.3, 0, false)[0];
    const w = measureText(label, fonts.styles.regular, st.footer.size);
    for (const it of labelLine?.items ?? [])
      if (it.type === 'text') items.push({ ...it, x: it.x + m.left + width - w, y: footY, tag: 'page' });
    if (i > 0) {
      const headY = top + s * 0.9;
      for (const line of linesOf([plainRun(input.runningHead)], st.footer, width)) {
        for (const it of line.items)
          if (it.type === 'text') items.push({ ...it, x: it.x + m.left, y: headY, tag: 'page' });
        break;
      }
      items.push({
        type: 'line',
        x1: m.left,
        y1: top + s * 1.4,
        x2: m.left + width,
        y2: top + s * 1.4,
        color: c.rule,
        width: 0.6,
      });
    }
    return { number: i + 1, items, fill: Math.min(1, (p.y - p.top) / (bottom - p.top)) };
  });
  const bodyPitch = s * lh * scale;
  const pageFits = pages.map((p, i) => ({
    page: i + 1,
    used: round(p.y - p.top),
    available: round(bottom - p.top),
    slack: round(bottom - p.y),
    spareLines: Math.max(0, Math.floor((bottom - p.y + 1e-6) / bodyPitch)),
  }));

  const fontsUsed: Record<string, string> = {};
  for (const style of ['regular', 'bold', 'italic', 'boldItalic'] as const) {
    for (const [i, f] of fonts.styles[style].faces.entries()) fontsUsed[fontKey(style, i, false)] = f.file;
    if (input.headingFonts)
      for (const [i, f] of input.headingFonts.styles[style].faces.entries())
        fontsUsed[fontKey(style, i, true)] = f.file;
  }
  if (input.logo && laidPages[0]) {
    const { file, width: w, height: h } = input.logo;
    laidPages[0].items.push({ type: 'image', x: m.left + width - w, y: m.top, w, h, file });
  }
  return {
    memo: {
      type: 'memo',
      width: size.width,
      height: size.height,
      lang: input.langTag,
      title: input.title,
      author: input.author,
      subject: input.subject,
      date: input.date,
      fonts: fontsUsed,
      pages: laidPages,
      structure: structure.nodes,
      fit: { pages: total, lastPageFill: round(laidPages[total - 1]!.fill), bodySize: s, pageFits, boxes },
    },
    missing: [...missing],
    missingAt,
    refusedCharts,
    footerShortened,
  };
}

/** 一 to 九十九, for numbering Chinese lists. */
export function chineseNumeral(n: number): string {
  const digits = '〇一二三四五六七八九';
  if (n < 10) return digits[n]!;
  if (n < 100) return `${n >= 20 ? digits[Math.floor(n / 10)] : ''}十${n % 10 ? digits[n % 10] : ''}`;
  return String(n);
}

/** The renderer's name for a face: the style, with `-ea` for the East Asian face, `h-` for headings. */
function fontKey(style: FontStyle, face: number, heading: boolean): string {
  return `${heading ? 'h-' : ''}${face === 0 ? style : `${style}-ea`}`;
}

function ruleBlock(width: number, color: string, space: number): FlowBlock {
  return {
    lines: [
      { height: space, items: [{ type: 'line', x1: 0, y1: space / 2, x2: width, y2: space / 2, color, width: 0.75 }] },
    ],
    spaceBefore: space * 0.5,
    keepWithNext: false,
    whole: true,
    panel: null,
    label: null,
  };
}

function styleOf(base: FontStyle, r: Run): FontStyle {
  const bold = base === 'bold' || base === 'boldItalic' || r.bold;
  const italic = base === 'italic' || base === 'boldItalic' || r.italic;
  return bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';
}

/**
 * `text` as it fits on one line: whole when it does, else its longest beginning that fits with an
 * ellipsis after it, cut after a word (or, in Chinese, after any character), never inside a
 * surrogate pair. Bisects on the length, since a shorter beginning never takes more room.
 */
export function oneLine(text: string, fits: (t: string) => boolean): string {
  if (fits(text)) return text;
  const chars = Array.from(text);
  const cut = (n: number) => {
    let head = chars.slice(0, n).join('').trimEnd();
    const space = head.lastIndexOf(' ');
    // Back to the last word boundary, unless that throws away more than a few characters.
    if (space > 0 && n < chars.length && chars[n] !== ' ' && head.length - space <= 12) head = head.slice(0, space);
    return `${head.replace(/[\s·,;:，、；：｜]+$/u, '')}…`;
  };
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(cut(mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? cut(lo) : '…';
}

function plainRun(text: string): Run {
  return { text, bold: false, italic: false, code: false, href: null };
}

function itemRuns(blocks: readonly Block[]): Run[] {
  return blocks.flatMap((b, k) => (b.type === 'paragraph' ? (k > 0 ? [plainRun(' '), ...b.runs] : b.runs) : []));
}

function labelText(blocks: readonly Block[]): string {
  const first = itemRuns(blocks)[0];
  return first?.bold ? first.text.replace(/[:：]\s*$/, '').toUpperCase() : '';
}

function trimStart(runs: Run[]): Run[] {
  return runs.map((r, i) => (i === 0 ? { ...r, text: r.text.replace(/^\s+/, '') } : r));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
