// layout: DeckDocument × Theme × FontMetrics → LaidDeck (slides with boxes in points, sizes chosen).
// Pure. Every text box is measured on real font metrics and gets the largest size that fits;
// what does not fit even at the smallest size is reported as an overflow for the pipeline to resolve.

import type { ChartSpec } from '../model/chart.js';
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
import type { Block, ChartBlock, DeckDocument, DocSlide, List, Paragraph, Run } from '../model/document.js';
import type {
  DeckMaster,
  DeckTheme,
  LaidDeck,
  LaidSlide,
  LayoutMeta,
  SlideShape,
  SlideTextBox,
} from '../model/layout.js';
import { SLIDE_LAYOUTS } from '../model/plan.js';
import type { Reference } from '../model/reference.js';
import type { Theme } from '../model/theme.js';
import { printable } from '../printable.js';
import { measureText } from './break-lines.js';
import { clearOf } from './clear-of.js';
import {
  balanceLines,
  type BoxSpec as FitBoxSpec,
  type FitContext,
  fitGroup,
  type ParaSpec,
  type RunSpec,
} from './fit-box.js';
import type { FontBook } from './font-metrics.js';
import { chartColors, layoutChart } from './layout-chart.js';

/** A box to fit, optionally drawn on a panel of its own size. */
type BoxSpec = FitBoxSpec & {
  /** Draw a tinted panel of the fitted box's size behind it (and an accent bar at its left). */
  panel?: string;
  panelBar?: string;
  /** An accent rule along the top edge of the panel (figure cards). */
  panelTop?: string;
  /** Move the fitted group down so that its tallest box sits in the middle of this band. */
  centerIn?: { y: number; h: number };
  /** Start below the named, already fitted box (plus `gap`), keeping the bottom edge. */
  flowAfter?: { box: string; gap: number };
};

export interface LayoutDeckInput extends LayoutMeta {
  document: DeckDocument;
  theme: Theme;
  fonts: FontBook;
  headingFonts?: FontBook;
  quotes: { open: string; close: string };
  /** A handling or classification line shown at the top and bottom of every slide. */
  marking?: string | null;
  /** A line at the top right of every content slide. */
  footerText?: string | null;
  /** A logo on the cover (absolute path, size in points). */
  logo?: { file: string; width: number; height: number } | null;
  /**
   * Slides whose text may go below the theme's minimum sizes (to 60 %), for a title or figure
   * that fits no other way. The pipeline asks for this only after dropping everything it can.
   */
  emergency?: ReadonlySet<number>;
  /**
   * Slides laid out before with the same inputs but the document (one fitting search's rounds):
   * a slide whose text is unchanged is taken from here rather than laid out again.
   */
  remembered?: Map<string, RememberedSlide>;
}

/** One slide's layout and what laying it out reported. */
export interface RememberedSlide {
  /** The line the slide started on when it was laid out. */
  line: number;
  slide: LaidSlide;
  diagnostics: Diagnostic[];
  overflows: Overflow[];
  missing: number[];
}

/** Every role's minimum size lowered to 60 % (a role on the type scale gets that as a last step), for the emergency fit. */
function emergencyRoles(roles: Theme['deck']['roles']): Theme['deck']['roles'] {
  return Object.fromEntries(
    Object.entries(roles).map(([k, r]) => {
      const min = Math.round(r.min * 0.6 * 2) / 2;
      return [k, { ...r, min, ...(Array.isArray(r.steps) && r.steps.length > 0 ? { steps: [...r.steps, min] } : {}) }];
    }),
  );
}

export interface Overflow {
  slide: number;
  box: string;
}

/** The layouts a slide may name: the planner's, one list for both. */
export const DECK_LAYOUTS = SLIDE_LAYOUTS;

/** A chart waiting for its title box to be fitted: it takes the room below the title. */
interface PendingChart {
  chart: ChartSpec;
  area: { x: number; y: number; w: number; h: number };
  titleBox: string;
}

const NO_INSETS = Object.freeze({ l: 0, r: 0, t: 0, b: 0 });

type Box = { x: number; y: number; w: number; h: number };

/** Where everything goes on the two kinds of slide: the built-in masters', or a reference's. */
interface Geometry {
  width: number;
  height: number;
  L: number;
  W: number;
  kicker: Box;
  /** The top right of a content slide, beside the kicker. */
  footerText: Box;
  title: Box;
  body: Box;
  footer: Box;
  number: Box;
  markingTop: Box;
  markingBottom: Box;
  /** The built-in masters' rules; none on a reference's. */
  footerRuleY: number | null;
  cover: { kicker: Box; title: Box; subtitle: Box; meta: Box; ruleY: number | null; dark: boolean };
  /** Drawing on a reference's layouts: no masters of ours, no logo of ours (the reference has its own). */
  reference: boolean;
}

/** Geometry of the two masters, from the theme's page size and margins, or from its reference file. */
function geometry(theme: Theme): Geometry {
  if (theme.referenceLayout) return referenceGeometry(theme, theme.referenceLayout);
  const { width, height } = theme.deck;
  const L = theme.deck.margin.left;
  const W = width - L - theme.deck.margin.right;
  const footerY = height - 42;
  const kicker = { x: L, y: 24, w: W, h: 20 };
  return {
    width,
    height,
    L,
    W,
    kicker,
    footerText: { ...kicker, x: kicker.x + kicker.w * 0.62, w: kicker.w * 0.38 },
    title: { x: L, y: 44, w: W, h: 84 },
    body: { x: L, y: 150, w: W, h: footerY - 16 - 150 },
    footerRuleY: footerY - 6,
    footer: { x: L, y: footerY, w: W - 100, h: 24 },
    number: { x: width - theme.deck.margin.right - 90, y: footerY, w: 90, h: 24 },
    markingTop: { x: L, y: 8, w: W, h: 15 },
    markingBottom: { x: L, y: height - 17, w: W, h: 15 },
    cover: {
      kicker: { x: L + 24, y: 146, w: W - 48, h: 26 },
      title: { x: L + 24, y: 176, w: W - 48, h: 140 },
      subtitle: { x: L + 24, y: 322, w: W - 48, h: 70 },
      ruleY: 404,
      meta: { x: L + 24, y: 418, w: W - 48, h: 72 },
      dark: true,
    },
    reference: false,
  };
}

/**
 * On a reference's layouts: the title where its title placeholder is, the body in its body
 * placeholder below the title, the source line and slide number where its footer and number
 * placeholders are, and every box moved clear of the pictures and shapes its master and layout
 * draw (the logo, bars).
 */
function referenceGeometry(theme: Theme, ref: Reference): Geometry {
  const { width, height } = ref;
  const L = theme.deck.margin.left;
  const W = width - L - theme.deck.margin.right;
  const c = ref.content;
  const clear = (b: Box, more: readonly Box[] = []) => clearOf(b, [...c.obstacles, ...more]);
  // The title where the reference puts it (its first line where PowerPoint puts a new slide's),
  // with room for three lines at the title's smallest size (our titles are sentences; the body
  // then follows its last line), the kicker above it.
  const placed = c.title ?? { x: L, y: 44, w: W, h: 84 };
  const kickerY = Math.max(4, placed.y - 22);
  const kicker = clear({ x: placed.x, y: kickerY, w: placed.w, h: 20 });
  const title = clear({
    ...placed,
    y: Math.max(placed.y, kickerY + 20),
    h: Math.max(placed.h, Math.ceil(4.2 * (theme.deck.roles.title?.min ?? 22))),
  });
  const number = clear(c.number ?? { x: width - theme.deck.margin.right - 90, y: height - 42, w: 90, h: 24 });
  const footerY = Math.min((c.footer ?? number).y, height - 26);
  const top = title.y + title.h + 16;
  const frame = c.body ?? { x: title.x, y: top, w: title.w, h: height - top };
  const bodyTop = Math.max(frame.y, top);
  const body = clear({ x: frame.x, y: bodyTop, w: frame.w, h: Math.min(frame.y + frame.h, footerY - 12) - bodyTop });
  const footer = clear({ x: body.x, y: footerY, w: body.w, h: 24 }, [number]);
  const cv = ref.cover;
  const clearCover = (b: Box) => clearOf(b, cv.obstacles);
  const coverTitle0 = cv.title ?? { x: L + 24, y: 176, w: W - 48, h: 140 };
  const coverAbove = coverTitle0.y >= 40;
  const coverTitle = coverAbove
    ? coverTitle0
    : { ...coverTitle0, y: coverTitle0.y + 30, h: Math.max(0, coverTitle0.h - 30) };
  let subtitle = cv.subtitle ?? { x: coverTitle.x, y: coverTitle.y + coverTitle.h + 6, w: coverTitle.w, h: 70 };
  let metaY = subtitle.y + subtitle.h + 14;
  // No room under the subtitle: the details share its place.
  if (height - 30 - metaY < 40) {
    subtitle = { ...subtitle, h: Math.round(subtitle.h * 0.45) };
    metaY = subtitle.y + subtitle.h + 8;
  }
  return {
    width,
    height,
    L,
    W,
    kicker,
    footerText: clear({ ...kicker, x: kicker.x + kicker.w * 0.62, w: kicker.w * 0.38 }),
    title,
    body,
    footerRuleY: null,
    footer,
    number,
    markingTop: clear({ x: body.x, y: 8, w: body.w, h: 15 }),
    markingBottom: clear({ x: body.x, y: height - 17, w: body.w, h: 15 }),
    cover: {
      kicker: clearCover({
        x: coverTitle0.x,
        y: coverAbove ? coverTitle0.y - 30 : coverTitle0.y,
        w: coverTitle0.w,
        h: 26,
      }),
      title: clearCover(coverTitle),
      subtitle: clearCover(subtitle),
      ruleY: null,
      meta: clearCover({ x: subtitle.x, y: metaY, w: subtitle.w, h: Math.min(72, height - 30 - metaY) }),
      dark: cv.dark,
    },
    reference: true,
  };
}

export function deckMasters(theme: Theme, fonts: FontBook): DeckMaster[] {
  const g = geometry(theme);
  const c = theme.colors;
  const content: DeckMaster = {
    name: 'BRIEFING_CONTENT',
    background: 'FFFFFF',
    shapes:
      g.footerRuleY === null
        ? []
        : [
            { type: 'rect', name: 'Accent bar', x: 0, y: 0, w: g.width, h: 6, fill: c.accent },
            { type: 'line', name: 'Title rule', x: g.L, y: 136, w: 56, h: 0, color: c.accent, width: 3 },
            { type: 'line', name: 'Footer rule', x: g.L, y: g.footerRuleY, w: g.W, h: 0, color: c.rule, width: 0.75 },
          ],
    title: g.title,
    slideNumber: { ...g.number, size: theme.deck.roles.footer?.max ?? 10, color: c.muted, face: fonts.face },
  };
  const cover: DeckMaster = {
    name: 'BRIEFING_COVER',
    background: g.reference ? 'FFFFFF' : c.primary,
    shapes:
      g.cover.ruleY === null
        ? []
        : [
            { type: 'rect', name: 'Accent band', x: 0, y: 0, w: 14, h: g.height, fill: c.accent },
            {
              type: 'line',
              name: 'Cover rule',
              x: g.cover.meta.x,
              y: g.cover.ruleY,
              w: 80,
              h: 0,
              color: c.accent,
              width: 3,
            },
          ],
    title: g.cover.title,
    slideNumber: null,
  };
  return [content, cover];
}

export function layoutDeck(input: LayoutDeckInput): {
  deck: LaidDeck;
  overflows: Overflow[];
  missing: { codePoint: number; slide: number }[];
  diagnostics: Diagnostic[];
} {
  const { theme, fonts } = input;
  const c = theme.colors;
  const g = geometry(theme);
  const ctx: FitContext = {
    fonts,
    headingFonts: input.headingFonts,
    roles: theme.deck.roles,
    lang: input.langTag,
    bullet: { ...theme.deck.bullet, color: c.accent },
    widthReserve: theme.deck.fit.widthReserve,
    spareLines: theme.deck.fit.spareLines,
    lineHeightScale: theme.deck.lineHeightScale?.[input.lang] ?? 1,
  };
  const diagnostics: Diagnostic[] = [];
  const overflows: Overflow[] = [];
  const missing = new Map<number, number>();

  const laySlide = (slide: DocSlide): LaidSlide => {
    const shapes: SlideShape[] = [];
    const groups: BoxSpec[][] = [];
    const charts: PendingChart[] = [];
    const cover = slide.layout === 'title';
    const parts = partsOf(slide);
    const kicker = slide.options.kicker;
    const slideCtx = input.emergency?.has(slide.number) ? { ...ctx, roles: emergencyRoles(ctx.roles) } : ctx;

    if (!(DECK_LAYOUTS as readonly string[]).includes(slide.layout)) {
      diagnostics.push(
        error(
          'unknown-layout',
          `unknown layout \`${slide.layout}\` on slide ${slide.number}`,
          slide.span,
          `layouts are ${DECK_LAYOUTS.map((l) => `\`${l}\``).join(', ')}`,
        ),
      );
    }
    if (!parts.title) {
      diagnostics.push(
        warning(
          'no-title',
          `slide ${slide.number} has no title heading`,
          slide.span,
          'start the slide with `## Title`: titles make decks navigable and accessible',
        ),
      );
    }

    if (cover) {
      const k = g.cover;
      // On a light cover (a reference's), the title in the primary colour and the rest muted.
      const [titleColor, quiet, kickerColor] = k.dark
        ? [c.inverse, c.inverseMuted, c.inverseMuted]
        : [c.primary, c.muted, c.accent];
      if (input.logo && !g.reference) {
        const { file, width: w, height: h } = input.logo;
        shapes.push({
          type: 'image',
          name: 'Logo',
          x: g.width - theme.deck.margin.right - w,
          y: g.height - 40 - h,
          w,
          h,
          file,
          alt: input.author ?? input.title,
        });
      }
      const coverTitle: BoxSpec = {
        ...box('Title', 'cover', k.title, [para('cover', parts.title, titleColor)]),
        placeholder: 'title',
        valign: 'bottom',
      };
      // On a reference's title layout (a tall title placeholder) the kicker sits just above the
      // title's first line rather than above its placeholder.
      const lines = g.reference ? (fitGroup([{ ...coverTitle, shrinkToContent: true }], slideCtx).boxes[0]?.h ?? 0) : 0;
      const kickerBox = g.reference
        ? { ...k.kicker, y: Math.max(k.kicker.y, k.title.y + k.title.h - lines - k.kicker.h - 4) }
        : k.kicker;
      if (kicker) groups.push([box('Kicker', 'kicker', kickerBox, [para('kicker', plain(kicker), kickerColor)])]);
      groups.push([
        {
          ...coverTitle,
        },
      ]);
      if (parts.subtitle)
        groups.push([box('Subtitle', 'subtitle', k.subtitle, [para('subtitle', parts.subtitle, quiet)])]);
      const meta = parts.before
        .filter((b): b is Paragraph => b.type === 'paragraph')
        .map((p) => para('meta', p.runs, quiet));
      if (meta.length > 0) groups.push([box('Details', 'meta', k.meta, meta)]);
    } else {
      // The footer line at the top right: not on a reference's slides, whose master names the house.
      const footerText = g.reference ? null : input.footerText;
      const kickerArea = footerText ? { ...g.kicker, w: g.kicker.w * 0.6 } : g.kicker;
      if (kicker) groups.push([box('Kicker', 'kicker', kickerArea, [para('kicker', plain(kicker), c.accent)])]);
      if (footerText) {
        groups.push([
          box('Footer text', 'footer', g.footerText, [
            { ...para('footer', plain(footerText), c.muted), align: 'right' },
          ]),
        ]);
      }
      // On a reference's layout the title starts where the house's title does, and the body
      // follows its last line; on ours it sits on the body, its first line wherever that falls.
      const title: BoxSpec = {
        ...box('Title', 'title', g.title, [para('title', parts.title, c.primary)]),
        placeholder: 'title',
        ...(g.reference ? { valign: 'top', shrinkToContent: true } : { valign: 'bottom' }),
      };
      groups.push([title]);
      const rise = g.reference ? Math.max(0, g.title.h - (fitGroup([title], slideCtx).boxes[0]?.h ?? g.title.h)) : 0;
      const area = { ...g.body, y: g.body.y - rise, h: g.body.h + rise };
      groups.push(
        ...bodyGroups(slide, parts, area, theme, { ...input.quotes, separator: input.separator }, shapes, charts),
      );
      if (slide.source)
        groups.push([box('Source', 'footer', g.footer, [para('footer', plain(slide.source), c.muted)])]);
    }

    if (input.marking) {
      // Banners at the top and the bottom edge, in space the masters keep free.
      const color = cover && g.cover.dark ? c.inverse : c.marking;
      const banner = (name: string, at: Box): BoxSpec => ({
        ...box(name, 'marking', at, [{ ...para('marking', plain(input.marking!), color), align: 'center' }]),
      });
      groups.push([banner('Marking (top)', g.markingTop)], [banner('Marking (bottom)', g.markingBottom)]);
    }
    const fittedByName = new Map<string, SlideTextBox>();
    for (const specs of groups) {
      const group = specs.map((b) => {
        const above = b.flowAfter ? fittedByName.get(b.flowAfter.box) : undefined;
        if (!above || !b.flowAfter) return b;
        const y = above.y + above.h + b.flowAfter.gap;
        return { ...b, y, h: b.y + b.h - y };
      });
      const fitted = fitGroup(group, slideCtx);
      fitted.boxes = fitted.boxes.map((b) =>
        b.role === 'title' || b.role === 'cover' ? balanceLines(b, slideCtx) : b,
      );
      const tallest = Math.max(0, ...fitted.boxes.filter((_, i) => group[i]!.sameHeight).map((b) => b.h));
      fitted.boxes = fitted.boxes.map((b, i) => (group[i]!.sameHeight ? { ...b, h: tallest } : b));
      fitted.boxes = fitted.boxes.map((b, i) => {
        const band = group[i]!.centerIn;
        return band ? { ...b, y: Math.round(band.y + Math.max(0, (band.h - tallest) / 2)) } : b;
      });
      fitted.boxes.forEach((b, i) => {
        fittedByName.set(b.name, b);
        const spec = group[i]!;
        if (spec.panel)
          shapes.push({ type: 'rect', name: `${b.name} panel`, x: b.x, y: b.y, w: b.w, h: b.h, fill: spec.panel });
        if (spec.panelBar)
          shapes.push({ type: 'rect', name: `${b.name} bar`, x: b.x, y: b.y, w: 5, h: b.h, fill: spec.panelBar });
        if (spec.panelTop)
          shapes.push({ type: 'rect', name: `${b.name} accent`, x: b.x, y: b.y, w: b.w, h: 4, fill: spec.panelTop });
      });
      shapes.push(...fitted.boxes);
      for (const cp of fitted.missing) missing.set(cp, missing.get(cp) ?? slide.number);
      if (fitted.overflow)
        for (const b of fitted.boxes) if (b.fit.overflow) overflows.push({ slide: slide.number, box: b.name });
    }
    // Charts, once their titles are fitted: the chart in the room below, its labels fitted as one group.
    for (const p of charts) {
      const title = fittedByName.get(p.titleBox);
      const top = title ? title.y + title.h + 10 : p.area.y;
      const frame = { x: p.area.x, y: top, w: p.area.w, h: p.area.y + p.area.h - top };
      const roles = slideCtx.roles;
      const labelRole = roles.chartLabel ? 'chartLabel' : 'label';
      const valueRole = roles.chartValue ? 'chartValue' : 'label';
      const sizeOf = (role: string) => roles[role]?.max ?? 12;
      const smallest = (role: string) => (roles[role] ? roles[role]!.min / roles[role]!.max : 1);
      const laid = layoutChart(p.chart, frame, {
        colors: chartColors(theme),
        ink: c.ink,
        muted: c.muted,
        track: c.panel,
        size: sizeOf(labelRole),
        measure: (text, role) =>
          measureText(
            text,
            role === 'chartValue' ? fonts.styles.bold : fonts.styles.regular,
            sizeOf(role === 'chartValue' ? valueRole : labelRole),
          ),
        minScale: { chartValue: smallest(valueRole), chartLabel: smallest(labelRole) },
      });
      const specs: BoxSpec[] = laid.labels.map((l) => ({
        ...box(
          l.name,
          labelRole,
          l.rect,
          l.paragraphs.map((x, k) => ({
            ...para(x.role === 'chartValue' ? valueRole : labelRole, plain(x.text), x.color),
            align: l.align,
            spaceBefore: k > 0 ? 0.1 : 0,
          })),
        ),
        valign: l.valign,
      }));
      const fitted = laid.problem ? null : fitGroup(specs, slideCtx);
      // A chart whose labels would overlap, or not fit their places even at the smallest sizes,
      // is refused: dropping the slide's points would not give it room (it has the right half).
      if (!fitted || fitted.overflow) {
        diagnostics.push(
          error(
            'chart-unreadable',
            `slide ${slide.number}: the chart “${printable(p.chart.title)}” cannot be drawn legibly in the room beside the points: ${laid.problem ?? 'its labels do not fit their places even at the smallest sizes'}`,
            slide.span,
            'shorten the category names (or write the values in a larger unit), or chart fewer categories; a `bar` chart gives names the most room',
          ),
        );
        continue;
      }
      for (const d of laid.decor) {
        shapes.push(
          d.type === 'rect'
            ? { type: 'rect', name: d.name, x: d.x, y: d.y, w: d.w, h: d.h, fill: d.color }
            : { type: 'line', name: d.name, x: d.x, y: d.y, w: d.w, h: d.h, color: d.color, width: d.width },
        );
      }
      shapes.push({
        type: 'chart',
        name: 'Chart',
        ...frame,
        chart: p.chart,
        plot: laid.plot,
        axis: laid.axis,
        gapWidth: laid.gapWidth,
        colors: chartColors(theme),
        marks: laid.marks,
      });
      shapes.push(...fitted.boxes);
      for (const cp of fitted.missing) missing.set(cp, missing.get(cp) ?? slide.number);
    }
    return {
      number: slide.number,
      layout: slide.layout,
      master: cover ? 'BRIEFING_COVER' : 'BRIEFING_CONTENT',
      background: null,
      shapes: orderShapes(shapes),
      notes: slide.notes.join('\n\n'),
      sourceLine: slide.source,
    };
  };
  // A slide laid out in an earlier fitting round, from the same text, is the same slide again.
  const slides = input.document.slides.map((slide): LaidSlide => {
    const memory = input.remembered;
    if (!memory) return laySlide(slide);
    // Where the slide's text sits in the Markdown is not part of its layout: a slide moved down
    // by an earlier slide's change is the same slide, its diagnostics moved with it.
    const key = `${input.emergency?.has(slide.number) ? 'emergency ' : ''}${JSON.stringify(slide, (k, v) => (k === 'span' ? undefined : v))}`;
    const hit = memory.get(key);
    if (hit) {
      const moved = slide.span.line - hit.line;
      diagnostics.push(
        ...hit.diagnostics.map((d) =>
          moved !== 0 && d.span?.file === slide.span.file
            ? {
                ...d,
                span: {
                  ...d.span,
                  line: d.span.line + moved,
                  ...(d.span.endLine !== undefined ? { endLine: d.span.endLine + moved } : {}),
                },
              }
            : d,
        ),
      );
      overflows.push(...hit.overflows);
      for (const cp of hit.missing) if (!missing.has(cp)) missing.set(cp, slide.number);
      return hit.slide;
    }
    const [d, o, seen] = [diagnostics.length, overflows.length, new Set(missing.keys())];
    const laid = laySlide(slide);
    memory.set(key, {
      line: slide.span.line,
      slide: laid,
      diagnostics: diagnostics.slice(d),
      overflows: overflows.slice(o),
      missing: [...missing.keys()].filter((cp) => !seen.has(cp)),
    });
    return laid;
  });

  const fit = slides.map((s) => s.shapes.filter((x): x is SlideTextBox => x.type === 'text').map((x) => x.fit));
  return {
    deck: {
      type: 'deck',
      width: g.width,
      height: g.height,
      lang: input.langTag,
      title: input.title,
      author: input.author,
      subject: input.subject,
      date: input.date,
      masters: deckMasters(theme, fonts),
      slides,
      fit,
      theme: deckTheme(theme, fonts, input.headingFonts),
      ...(theme.referenceLayout
        ? {
            reference: {
              file: theme.referenceLayout.file,
              root: theme.referenceLayout.root,
              digest: theme.referenceLayout.digest,
              content: {
                part: theme.referenceLayout.content.part,
                titleType: theme.referenceLayout.content.titleType,
              },
              cover: { part: theme.referenceLayout.cover.part, titleType: theme.referenceLayout.cover.titleType },
            },
          }
        : {}),
    },
    overflows,
    missing: [...missing].map(([codePoint, slide]) => ({ codePoint, slide })),
    diagnostics,
  };
}

/** Decoration first, then the title (read first by screen readers), then the rest in reading order. */
function orderShapes(shapes: SlideShape[]): SlideShape[] {
  const rank = (s: SlideShape) =>
    s.type === 'rect' || s.type === 'line' ? 0 : s.type === 'text' && s.placeholder === 'title' ? 1 : 2;
  return shapes
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map((x) => x.s);
}

interface SlideParts {
  title: Run[];
  subtitle: Run[] | null;
  /** Blocks after the title and before the first column marker. */
  before: Block[];
  columns: Block[][];
}

function partsOf(slide: DocSlide): SlideParts {
  let title: Run[] = [];
  let subtitle: Run[] | null = null;
  const before: Block[] = [];
  const columns: Block[][] = [];
  for (const b of slide.blocks) {
    if (b.type === 'marker' && b.name === 'column') {
      columns.push([]);
      continue;
    }
    if (b.type === 'heading' && title.length === 0 && b.depth <= 2 && columns.length === 0) {
      title = b.runs;
      continue;
    }
    if (b.type === 'heading' && slide.layout === 'title' && subtitle === null && columns.length === 0) {
      subtitle = b.runs;
      continue;
    }
    if (columns.length > 0) columns[columns.length - 1]!.push(b);
    else before.push(b);
  }
  return { title, subtitle, before, columns };
}

function bodyGroups(
  slide: DocSlide,
  parts: SlideParts,
  area: Rect,
  theme: Theme,
  quotes: { open: string; close: string; separator?: string },
  shapes: SlideShape[],
  charts: PendingChart[],
): BoxSpec[][] {
  const c = theme.colors;
  const sep = quotes.separator ?? ' · ';
  switch (slide.layout) {
    case 'chart': {
      // The points on the left; on the right the chart's title, measured to fit, and the chart.
      const gap = 32;
      const leftW = Math.round((area.w - gap) * 0.46);
      const left: Rect = { x: area.x, y: area.y, w: leftW, h: area.h };
      const right: Rect = { x: area.x + leftW + gap, y: area.y, w: area.w - leftW - gap, h: area.h };
      const all = [...parts.before, ...parts.columns.flat()];
      const chart = all.find((b): b is ChartBlock => b.type === 'chart');
      const text = all.filter((b) => b.type !== 'chart');
      const groups: BoxSpec[][] = [
        [box('Left column', 'column', chart ? left : area, blocksToParas(text, 'column', theme, 'lead', sep))],
      ];
      if (chart) {
        const role = theme.deck.roles.chartTitle ? 'chartTitle' : 'label';
        groups.push([
          {
            ...box('Chart title', role, { ...right, h: Math.round(right.h * 0.22) }, [
              para(role, plain(chart.chart.title), c.primary),
            ]),
            shrinkToContent: true,
          },
        ]);
        charts.push({ chart: chart.chart, area: right, titleBox: 'Chart title' });
      }
      return groups;
    }
    case 'two-column': {
      const gap = 28;
      const leftW = Math.round((area.w - gap) * 0.58);
      const left: Rect = { x: area.x, y: area.y, w: leftW, h: area.h };
      const right: Rect = { x: area.x + leftW + gap, y: area.y, w: area.w - leftW - gap, h: area.h };
      const [first = [], second = []] = parts.columns.length > 0 ? parts.columns : [parts.before];
      // Each column finds its own size: a long figures panel must not shrink the argument.
      return [
        [
          box(
            'Left column',
            'column',
            left,
            blocksToParas([...(parts.columns.length > 0 ? parts.before : []), ...first], 'column', theme, 'lead', sep),
          ),
        ],
        [
          {
            ...box('Right column', 'column', right, statParas(second, theme)),
            insets: { l: 18, r: 18, t: 16, b: 12 },
            shrinkToContent: true,
            panel: c.panel,
          },
        ],
      ];
    }
    case 'options': {
      // Options side by side, in equal panels that share one size, so neither looks favoured.
      const gap = 24;
      const w = Math.round((area.w - gap) / 2);
      const columns = (parts.columns.length > 0 ? parts.columns : [parts.before]).slice(0, 2);
      return [
        columns.map((blocks, k) => ({
          ...box(
            `Option ${k + 1}`,
            'column',
            { x: area.x + k * (w + gap), y: area.y, w, h: area.h },
            blocksToParas(blocks, 'column', theme, 'lead', sep),
          ),
          insets: { l: 18, r: 18, t: 16, b: 12 },
          panel: c.panel,
          shrinkToContent: true,
          sameHeight: true,
        })),
      ];
    }
    case 'summary': {
      // The bottom line in a tinted panel, the key judgments under it.
      const lead = parts.before.filter((b) => b.type !== 'list');
      const rest = parts.before.filter((b) => b.type === 'list');
      // The panel takes what its text needs (at most 40 % of the area); the list the rest.
      const panel: Rect = { x: area.x, y: area.y, w: area.w, h: Math.round(area.h * 0.4) };
      return [
        [
          {
            ...box('Bottom line', 'bottomLine', panel, blocksToParas(lead, 'body', theme, 'bottomLine', sep)),
            insets: { l: 22, r: 18, t: 10, b: 8 },
            shrinkToContent: true,
            panel: c.panel,
            panelBar: c.accent,
          },
        ],
        [
          {
            ...box('Key judgments', 'body', area, blocksToParas(rest, 'body', theme, 'lead', sep)),
            flowAfter: { box: 'Bottom line', gap: 18 },
          },
        ],
      ];
    }
    case 'key-figure': {
      const list = parts.before.find((b): b is List => b.type === 'list');
      const lead = parts.before.filter((b) => b.type === 'paragraph');
      const groups: BoxSpec[][] = [];
      let top = area.y;
      if (lead.length > 0) {
        groups.push([box('Lead', 'lead', { ...area, h: 60 }, blocksToParas(lead, 'lead', theme, 'lead', sep))]);
        top += 72;
      }
      const figures = (list?.items ?? []).map(figureOf);
      const n = Math.max(1, figures.length);
      const gap = 24;
      const w = (area.w - gap * (n - 1)) / n;
      // Cards as tall as the tallest one's text, side by side in the middle of the room: a
      // card is a figure and what it measures, not a panel with its lower half empty.
      const band = { y: top, h: area.y + area.h - top };
      const cards: BoxSpec[] = figures.map((f, i) => {
        const r: Rect = { x: area.x + i * (w + gap), y: top, w, h: band.h };
        const ps: ParaSpec[] = [
          para('figure', f.value, c.accent),
          { ...para('label', f.label, c.ink), spaceBefore: 0.4 },
        ];
        if (f.source.length > 0) ps.push({ ...para('footer', f.source, c.muted), spaceBefore: 1 });
        return {
          ...box(`Figure ${i + 1}`, 'figure', r, ps),
          insets: { l: 22, r: 22, t: 26, b: 18 },
          panel: c.panel,
          panelTop: c.accent,
          shrinkToContent: true,
          sameHeight: true,
          centerIn: band,
        };
      });
      if (cards.length > 0) groups.push(cards);
      return groups;
    }
    case 'quote': {
      const quote = parts.before.find((b) => b.type === 'quote');
      const rest = parts.before.filter((b) => b !== quote);
      shapes.push({ type: 'rect', name: 'Quote bar', x: area.x, y: area.y + 4, w: 5, h: area.h - 24, fill: c.accent });
      const ps: ParaSpec[] = [];
      if (quote && quote.type === 'quote') {
        const runs = quote.blocks.flatMap((b) => (b.type === 'paragraph' ? b.runs : []));
        ps.push(para('quote', [plainRun(quotes.open), ...runs, plainRun(quotes.close)], c.primary));
      }
      rest.forEach((b, i) => {
        if (b.type === 'paragraph')
          ps.push({ ...para(i === 0 ? 'label' : 'lead', b.runs, i === 0 ? c.muted : c.ink), spaceBefore: 0.9 });
      });
      return [
        [
          {
            ...box('Quote', 'quote', { x: area.x + 28, y: area.y, w: area.w - 28, h: area.h - 12 }, ps),
            valign: 'middle',
          },
        ],
      ];
    }
    default: {
      const role = slide.layout === 'sources' ? 'column' : 'body';
      return [[box('Body', role, area, blocksToParas(parts.before, role, theme, 'lead', sep))]];
    }
  }
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function box(name: string, role: string, r: Rect, paragraphs: ParaSpec[]): BoxSpec {
  return {
    name,
    role,
    placeholder: null,
    x: r.x,
    y: r.y,
    w: r.w,
    h: r.h,
    insets: { ...NO_INSETS },
    valign: 'top',
    paragraphs,
  };
}

function para(role: string, runs: readonly Run[], color: string): ParaSpec {
  return { runs: runs.map((r) => runSpec(r, color)), role, bullet: null, align: 'left', spaceBefore: 0 };
}

function runSpec(r: Run, color: string, boldColor?: string): RunSpec {
  const style = r.bold ? (r.italic ? 'boldItalic' : 'bold') : r.italic ? 'italic' : 'regular';
  return { text: r.text, style, color: r.bold && boldColor ? boldColor : color, href: r.href };
}

function plainRun(text: string): Run {
  return { text, bold: false, italic: false, code: false, href: null };
}

function plain(text: string): Run[] {
  return [plainRun(text)];
}

/** Paragraphs, headings and lists in a text box: leads before a list, bullets or numbers for items. */
function blocksToParas(
  blocks: readonly Block[],
  role: string,
  theme: Theme,
  leadRole = 'lead',
  sep = ' · ',
): ParaSpec[] {
  const c = theme.colors;
  const out: ParaSpec[] = [];
  const gap = theme.deck.roles[role]?.paragraphSpace ?? 0.5;
  let sawList = false;
  for (const b of blocks) {
    if (b.type === 'heading') {
      out.push({ ...para('heading', b.runs, c.accent), spaceBefore: out.length > 0 ? 0.8 : 0 });
    } else if (b.type === 'paragraph') {
      // A paragraph before the list is the lead: larger and quieter.
      out.push({
        ...para(sawList ? role : leadRole, b.runs, sawList ? c.ink : c.primary),
        spaceBefore: out.length > 0 ? 0.6 : 0,
      });
    } else if (b.type === 'list') {
      sawList = true;
      b.items.forEach((item, i) => {
        const runs = item.blocks.flatMap((x, k) =>
          x.type === 'paragraph' ? (k > 0 ? [plainRun(' '), ...x.runs] : x.runs) : [],
        );
        out.push({
          runs: runs.map((r) => runSpec(r, c.ink, c.primary)),
          role,
          bullet: b.ordered ? { type: 'number', start: b.start + i } : { type: 'char' },
          align: 'left',
          spaceBefore: out.length > 0 ? (i === 0 ? Math.max(gap, 0.7) : gap) : 0,
        });
      });
    } else if (b.type === 'quote') {
      for (const x of b.blocks)
        if (x.type === 'paragraph')
          out.push({ ...para('quote', x.runs, c.primary), spaceBefore: out.length > 0 ? 0.6 : 0 });
    } else if (b.type === 'table') {
      for (const row of b.rows)
        out.push({
          ...para(
            role,
            row.flatMap((cell, k) => (k > 0 ? [plainRun(sep), ...cell] : cell)),
            c.ink,
          ),
          spaceBefore: out.length > 0 ? 0.3 : 0,
        });
    }
  }
  return out;
}

/** The figures column of a two-column slide: a heading, then each figure's value and label. */
function statParas(blocks: readonly Block[], theme: Theme): ParaSpec[] {
  const c = theme.colors;
  const out: ParaSpec[] = [];
  for (const b of blocks) {
    if (b.type === 'heading') out.push({ ...para('heading', b.runs, c.accent) });
    else if (b.type === 'list') {
      for (const item of b.items) {
        const f = figureOf(item);
        if (f.value.length > 0) out.push({ ...para('stat', f.value, c.accent), spaceBefore: out.length > 0 ? 0.9 : 0 });
        out.push({ ...para('column', f.label, c.ink), spaceBefore: f.value.length > 0 ? 0.15 : 0.6 });
      }
    } else if (b.type === 'paragraph')
      out.push({ ...para('column', b.runs, c.ink), spaceBefore: out.length > 0 ? 0.6 : 0 });
  }
  return out;
}

/** A figure list item: `**value** label`, optionally followed by a source paragraph. */
function figureOf(item: { blocks: Block[] }): { value: Run[]; label: Run[]; source: Run[] } {
  const first = item.blocks.find((b): b is Paragraph => b.type === 'paragraph');
  const runs = first?.runs ?? [];
  const lead = runs[0]?.bold ? runs[0] : null;
  const label = (lead ? runs.slice(1) : runs).map((r, i) => (i === 0 ? { ...r, text: r.text.replace(/^\s+/, '') } : r));
  const second = item.blocks.filter((b): b is Paragraph => b.type === 'paragraph')[1];
  return {
    value: lead ? [{ ...lead, bold: false }] : [],
    label,
    source: second?.runs.map((r) => ({ ...r, italic: false })) ?? [],
  };
}

/**
 * The template's palette in PowerPoint's colour slots, and its faces as the theme fonts: a shape,
 * chart or text box a user adds in PowerPoint then comes out in the template's colours and type,
 * not Office blue and Calibri. Text 1 is the body ink, Background 1 white, Text 2 the primary
 * colour, Background 2 the panel tint; the accents are the chart colours, in order.
 */
export function deckTheme(theme: Theme, fonts: FontBook, headingFonts?: FontBook): DeckTheme {
  const c = theme.colors;
  const chart = chartColors(theme);
  const pick = (i: number, fallback: string) => chart[i] ?? fallback;
  const heading = headingFonts ?? fonts;
  return {
    colors: {
      dk1: c.ink,
      lt1: 'FFFFFF',
      dk2: c.primary,
      lt2: c.panel,
      accents: [
        pick(0, c.accent),
        pick(1, c.primary),
        pick(2, c.muted),
        pick(3, c.rule),
        pick(4, c.marking),
        pick(5, c.inverseMuted),
      ],
      hlink: c.accent,
      folHlink: c.muted,
    },
    major: { latin: heading.face, ea: heading.eaFace },
    minor: { latin: fonts.face, ea: fonts.eaFace },
  };
}
