// The pipeline, written down once. Each stage is a pure function of its inputs except where noted.
//
//   load      files → ContentPack + Templates                  src/load/     (reads files)   ┐ prepare.ts,
//   localize  ContentPack × lang → LocalizedPack               src/localize/                  ┘ cached on disk
//   plan      LocalizedPack × audience × length → Plan         src/plan/
//   template  Plan × Templates × strings → Briefing Markdown   src/template/
//   parse     Briefing Markdown → Document                     src/parse/
//   layout    Document × Theme × FontMetrics → LaidOut         src/layout/   (fonts are read once)
//   render    LaidOut → bytes (.pptx | .pdf)                   src/render/
//
// Length is a contract: when layout finds a box that overflows at its smallest size, the plan
// drops the least important item of that slide (or, for memos, keeps fewer ranked items) and
// template → parse → layout run again, until everything fits or only essentials are left.

import { AssetError } from './asset-error.js';
import { type FontBook, loadFontBook } from './layout/font-metrics.js';
import { layoutDeck, type RememberedSlide } from './layout/layout-deck.js';
import { layoutHandout } from './layout/layout-handout.js';
import { layoutMemo } from './layout/layout-memo.js';
import { paperFor } from './layout/paper.js';
import { readImageInfo } from './load/assets.js';
import { audienceView } from './localize/localize-pack.js';
import type { ChartSpec } from './model/chart.js';
import { type Diagnostic, error, hasErrors, warning } from './model/diagnostic.js';
import type { DeckDocument, MemoDocument } from './model/document.js';
import type { Lang } from './model/lang.js';
import type { LaidDeck, LaidHandout, LaidMemo, LayoutMeta } from './model/layout.js';
import { LENGTH_LIMITS } from './model/limits.js';
import type { LocalizedPack } from './model/localized.js';
import type { DeckPlan, MemoPlan, PlanMeta } from './model/plan.js';
import type { Span } from './model/span.js';
import type { Templates } from './model/templates.js';
import type { Strings } from './model/theme.js';
import { deckParser, memoParser, type ParseWork } from './parse/parse-chunks.js';
import { fill } from './plan/format.js';
import { dropFromSlide, planDeck } from './plan/plan-deck.js';
import { planMemo, rankMemoItems } from './plan/plan-memo.js';
import type { Prepared } from './prepare.js';
import { printable } from './printable.js';
import { compileTemplates } from './template/render-template.js';
import { mark } from './trace.js';

export type { BuildCache, BuildOptions, Prepared } from './prepare.js';

export interface DeckBuild {
  plan: DeckPlan;
  markdown: string;
  document: DeckDocument;
  layout: LaidDeck;
  /** What the fitting rounds did to get here. */
  work: FitWork;
}

export interface HandoutBuild extends DeckBuild {
  handout: LaidHandout;
}

/** The deck, laid out as for the PPTX, then as PDF pages (one per slide; with `notes`, A4 with the speaker notes). */
export function composeHandout(
  prepared: Prepared,
  slides: number,
  notes: boolean,
): { handout: HandoutBuild | null; diagnostics: Diagnostic[] } {
  const composed = composeDeck(prepared, slides);
  if (!composed.deck) return { handout: null, diagnostics: composed.diagnostics };
  const { templates, pack } = prepared;
  const theme = templates.theme;
  const laid = layoutHandout({
    deck: composed.deck.layout,
    // Loaded (or found unreadable) by composeDeck already.
    fonts: fontsFor(templates, pack.lang, 'deck'),
    headingFonts: fontsFor(templates, pack.lang, 'deckHeadings'),
    widthReserve: theme.deck.fit.widthReserve,
    notes,
    page: paperFor(pack.langTag, theme.memo.page[pack.lang]),
    colors: theme.colors,
  });
  mark('handout: layout');
  const diagnostics = [...composed.diagnostics];
  // The PDF embeds the deck's fonts: a character they lack (on a slide, or in its notes) is an empty box.
  const reported = new Set(
    diagnostics.filter((d) => d.code === 'missing-glyph').map((d) => /U\+([0-9A-F]+)/.exec(d.message)?.[1]),
  );
  for (const { codePoint, slide } of laid.missing) {
    const d = missingGlyph(
      codePoint,
      'deck',
      composed.deck.document.slides[slide - 1]?.span,
      `on slide ${slide} or its notes`,
    );
    if (!reported.has(codePoint.toString(16).toUpperCase().padStart(4, '0'))) diagnostics.push(d);
  }
  for (const n of laid.crowdedNotes) {
    diagnostics.push(
      warning(
        'notes-crowded',
        `the speaker notes of slide ${n} are set below 8 pt to fit under the slide`,
        composed.deck.document.slides[n - 1]?.span,
        "shorten the notes (the module's `notes`), or hand out the PPTX",
      ),
    );
  }
  return { handout: { ...composed.deck, handout: laid.handout }, diagnostics };
}

const MAX_FIT_ROUNDS = 400;

/**
 * plan → template → parse → layout, dropping items until every slide fits. A length that a hint
 * suggests has been built (`verify`: false for those trial builds themselves).
 */
export function composeDeck(
  prepared: Prepared,
  slides: number,
  verify = true,
): { deck: DeckBuild | null; diagnostics: Diagnostic[] } {
  const { templates, pack, audience, marking } = prepared;
  const diagnostics: Diagnostic[] = [];
  const planned = planDeck({ pack, audience, slides, strings: templates.strings, marking, date: prepared.date });
  if (!planned.plan) {
    const builds = (n: number) => composeDeck(prepared, n, false).deck !== null;
    diagnostics.push(...planned.diagnostics.map((d) => (verify ? withVerifiedLength(d, 'slides', builds) : d)));
    return { deck: null, diagnostics };
  }
  diagnostics.push(...planned.diagnostics);
  mark('deck: plan');
  const books = bodyAndHeadingFonts(templates, pack.lang, 'deck');
  if (!books.ok) return { deck: null, diagnostics: [...diagnostics, books.problem] };
  const { fonts, headingFonts } = books;
  mark('deck: fonts');
  const { compiled, diagnostics: compileProblems } = compiledFor(templates);
  mark('deck: compile templates');
  if (!compiled) return { deck: null, diagnostics: [...diagnostics, ...compileProblems] };
  const { extras, diagnostics: extraProblems } = themeExtras(templates, pack.lang);
  diagnostics.push(...extraProblems);
  let plan = planned.plan;
  const emergency = new Set<number>();
  const parser = deckParser();
  const remembered = new Map<string, RememberedSlide>();
  for (let round = 0; round < MAX_FIT_ROUNDS; round++) {
    const t = compiled.render(plan);
    if (t.markdown === null) return { deck: null, diagnostics: [...diagnostics, ...t.diagnostics] };
    mark('deck: template');
    const parsed = parser.parse(t.markdown, `${templates.deck.file} (output)`);
    mark('deck: parse');
    if (hasErrors(parsed.diagnostics)) return { deck: null, diagnostics: [...diagnostics, ...parsed.diagnostics] };
    if (parsed.document.slides.length !== plan.slides.length) {
      return {
        deck: null,
        diagnostics: [
          ...diagnostics,
          error(
            'template-slide-count',
            `the deck template made ${parsed.document.slides.length} slide${parsed.document.slides.length === 1 ? '' : 's'}, but ${plan.slides.length} were planned`,
            { file: templates.deck.file, line: 1, col: 1 },
            'emit one slide per entry of `slides`, separated by `---` on a line of its own with a blank line before it',
            'see the output with `--emit markdown`',
          ),
        ],
      };
    }
    const laid = layoutDeck({
      document: parsed.document,
      theme: templates.theme,
      fonts,
      headingFonts,
      ...extras,
      ...layoutMeta(pack.lang, plan.meta, templates.strings),
      quotes: {
        open: templates.strings.citation.openQuote ?? '“',
        close: templates.strings.citation.closeQuote ?? '”',
      },
      marking,
      emergency,
      remembered,
    });
    mark('deck: layout');
    if (laid.overflows.length === 0) {
      // A chart that cannot be drawn legibly is the content's to fix: point at its YAML, not the slide's Markdown.
      const located = laid.diagnostics.map((d) => {
        const n = d.code === 'chart-unreadable' ? Number(/^slide (\d+):/.exec(d.message)?.[1]) : Number.NaN;
        const span = Number.isInteger(n) ? plan.slides[n - 1]?.chart?.span : undefined;
        return span ? { ...d, span } : d;
      });
      diagnostics.push(...parsed.diagnostics, ...located);
      for (const n of emergency) {
        for (const shape of laid.deck.slides[n - 1]!.shapes) {
          const min =
            shape.type === 'text' && Object.hasOwn(templates.theme.deck.roles, shape.role)
              ? templates.theme.deck.roles[shape.role]?.min
              : undefined;
          if (shape.type !== 'text' || min === undefined || shape.fit.size >= min) continue;
          diagnostics.push(
            warning(
              'fit-below-minimum',
              `slide ${n}: \`${shape.name}\` is set at ${shape.fit.size} pt, below the theme's minimum of ${min} pt, because it is too long to fit otherwise`,
              spanForBox(plan, n, shape.name, pack),
              'shorten the text, or ask for more slides',
            ),
          );
        }
      }
      for (const { codePoint, slide } of laid.missing) {
        const s = plan.slides[slide - 1]!;
        const texts = [
          ...s.items,
          ...s.columns.flatMap((c) => c.items),
          ...s.figures.map((f) => ({ text: `${f.value} ${f.label}`, span: f.span })),
          ...(s.quote ? [s.quote] : []),
        ];
        diagnostics.push(
          missingGlyph(
            codePoint,
            'deck',
            originOf(codePoint, texts) ?? parsed.document.slides[slide - 1]?.span,
            `on slide ${slide}`,
          ),
        );
      }
      return {
        deck: {
          plan,
          markdown: t.markdown,
          document: parsed.document,
          layout: laid.deck,
          work: { attempts: round + 1, parse: parser.work, slidesLaidOut: remembered.size },
        },
        diagnostics,
      };
    }
    // Drop one item from every slide that overflows, then lay out again. When only essentials
    // are left, the slide may go below the minimum sizes once; after that the run fails.
    for (const slideNumber of [...new Set(laid.overflows.map((o) => o.slide))]) {
      const next = dropFromSlide(plan, slideNumber, templates.strings);
      if (!next && !emergency.has(slideNumber)) {
        emergency.add(slideNumber);
        continue;
      }
      if (!next) {
        const slide = plan.slides[slideNumber - 1]!;
        const boxes = laid.overflows
          .filter((o) => o.slide === slideNumber)
          .map((o) => `\`${o.box}\``)
          .join(', ');
        // More slides spread a module's points over more parts; a slide of its own (the bottom
        // line) gets no more room from them. A length is suggested only once it has been built.
        const longer =
          slide.module && verify
            ? firstLength(slides + 1, 'slides', (n) => composeDeck(prepared, n, false).deck !== null)
            : null;
        return {
          deck: null,
          diagnostics: [
            ...diagnostics,
            error(
              'fit-essential',
              `slide ${slideNumber} (${slide.layout}${slide.module ? `, module \`${slide.module}\`` : ''}): ${boxes} does not fit even at the smallest font size, and only essential content is left`,
              spanForBox(plan, slideNumber, laid.overflows.find((o) => o.slide === slideNumber)!.box, pack) ??
                parsed.document.slides[slideNumber - 1]?.span,
              longer !== null
                ? `ask for more slides (\`--slides ${longer}\`) so the content is spread out, or shorten the text`
                : slide.module
                  ? 'shorten the text, or split the module'
                  : 'shorten the text: this slide is the same at any length',
            ),
          ],
        };
      }
      plan = next;
    }
  }
  return { deck: null, diagnostics: [...diagnostics, error('internal-fit', 'fitting did not settle')] };
}

/** Trial builds a hint may make to find a length that works (each one is a whole build). */
const HINT_TRIALS = 6;

/** The first length from `from` on (`step` 1 or -1, inside the limits) that `builds`, within a few trials. */
function firstLength(
  from: number,
  unit: 'slides' | 'pages',
  builds: (n: number) => boolean,
  step: 1 | -1 = 1,
): number | null {
  const { min, max } = LENGTH_LIMITS[unit];
  for (let n = from, tries = 0; n >= min && n <= max && tries < HINT_TRIALS; n += step, tries++)
    if (builds(n)) return n;
  return null;
}

/**
 * A diagnostic whose hints name a length (`--slides 24`), with that length replaced by the
 * nearest one that builds, searching away from the length that failed; a hint with no length that
 * builds drops its `ask for …` clause, or the hint itself.
 */
function withVerifiedLength(d: Diagnostic, unit: 'slides' | 'pages', builds: (n: number) => boolean): Diagnostic {
  const flag = new RegExp(`\`--${unit} (\\d+)\``);
  if (!d.hints.some((h) => flag.test(h))) return d;
  const hints = d.hints.flatMap((h) => {
    const m = flag.exec(h);
    if (!m) return [h];
    const named = Number(m[1]);
    // Fewer (a pack with content for so many) or more (a length too short for the essentials).
    const step = /fewer|at most/.test(h) ? -1 : 1;
    const works = firstLength(named, unit, builds, step);
    if (works !== null) return [h.replace(flag, `\`--${unit} ${works}\``)];
    const rest = h.replace(/^ask for [^,]*(, or |$)/, '');
    return rest === h || rest === '' ? [] : [rest];
  });
  return { ...d, hints };
}

const compiledCache = new WeakMap<Templates, ReturnType<typeof compileTemplates>>();

/** Templates are compiled once per loaded template set (a batch reuses the set). */
function compiledFor(templates: Templates): ReturnType<typeof compileTemplates> {
  let hit = compiledCache.get(templates);
  if (!hit) {
    hit = compileTemplates(templates);
    compiledCache.set(templates, hit);
  }
  return hit;
}

const fontCache = new Map<string, FontBook>();

export function fontsFor(
  templates: Templates,
  lang: Lang,
  kind: 'deck' | 'memo' | 'deckHeadings' | 'memoHeadings',
): FontBook {
  const set = templates.theme.fonts[lang]!;
  const files = set[kind] ?? set[kind === 'deckHeadings' ? 'deck' : 'memo'];
  const key = `${kind}|${templates.theme.dir}|${JSON.stringify(files)}`;
  let book = fontCache.get(key);
  if (!book) {
    book = loadFontBook(files, templates.theme.dir, { widestWeak: kind.startsWith('deck') });
    fontCache.set(key, book);
  }
  return book;
}

/** The body and heading fonts of an output, or the font that could not be read. */
function bodyAndHeadingFonts(
  templates: Templates,
  lang: Lang,
  output: 'deck' | 'memo',
): { ok: true; fonts: FontBook; headingFonts: FontBook } | { ok: false; problem: Diagnostic } {
  try {
    return {
      ok: true,
      fonts: fontsFor(templates, lang, output),
      headingFonts: fontsFor(templates, lang, output === 'deck' ? 'deckHeadings' : 'memoHeadings'),
    };
  } catch (cause) {
    return { ok: false, problem: fontProblem(cause) };
  }
}

/** What a layout writes into its output about the document, from the plan. */
function layoutMeta(lang: Lang, meta: PlanMeta, strings: Strings): LayoutMeta {
  return {
    lang,
    separator: strings.punct.separator ?? ' · ',
    langTag: meta.langTag,
    title: meta.title,
    author: meta.author,
    subject: meta.subtitle,
    date: meta.date,
  };
}

export interface MemoBuild {
  plan: MemoPlan;
  markdown: string;
  document: MemoDocument;
  layout: LaidMemo;
  /** Characters the memo font has no glyph for, with the place they were set. */
  missingGlyphs: Record<number, Span>;
  /** What parsing the template's Markdown found (a chart block it left out, say). */
  parseWarnings: Diagnostic[];
  /** The footer line, when it was too long for one line and was shortened. */
  footerShortened: { full: string; shown: string } | null;
  /** What the fitting search did to get here (tests/fit-work.test.ts holds it to a budget). */
  work: FitWork;
}

/** The fitting search's work: its attempts, and the Markdown it parsed for them. */
export interface FitWork {
  attempts: number;
  parse: ParseWork;
  /** Decks: slides laid out over all rounds (a slide unchanged since the last round is not laid out again). */
  slidesLaidOut?: number;
}

/**
 * plan → template → parse → layout for an exact page count: keep the longest prefix of the
 * ranked items that fits N pages, at the first body size (in the theme's order of preference)
 * that also fills the last page well.
 */
/** How full a memo's last page should be: the body size search stops at the first size that gets there. */
const MEMO_FILL_TARGET = 0.9;

export function composeMemo(
  prepared: Prepared,
  pages: number,
  verify = true,
): { memo: MemoBuild | null; diagnostics: Diagnostic[] } {
  // A length a hint suggests has been built; the trial builds themselves suggest none.
  const builds = (n: number) => composeMemo(prepared, n, false).memo !== null;
  const verified = (d: Diagnostic) => (verify ? withVerifiedLength(d, 'pages', builds) : d);
  const { templates, pack, audience, marking } = prepared;
  const { compiled, diagnostics: compileProblems } = compiledFor(templates);
  mark('memo: compile templates');
  if (!compiled) return { memo: null, diagnostics: compileProblems };
  const books = bodyAndHeadingFonts(templates, pack.lang, 'memo');
  if (!books.ok) return { memo: null, diagnostics: [...compileProblems, books.problem] };
  const { fonts, headingFonts } = books;
  mark('memo: fonts');
  const theme = templates.theme;
  const { extras, diagnostics: extraProblems } = themeExtras(templates, pack.lang);
  const input = { pack, audience, pages, strings: templates.strings, marking, date: prepared.date };
  const ranked = rankMemoItems(pack, audience);
  const essentials = ranked.filter((r) => r.essential).map((r) => r.ref);
  const optional = ranked.filter((r) => !r.essential).map((r) => r.ref);
  const page = paperFor(pack.langTag, theme.memo.page[pack.lang]);
  const strings = templates.strings;

  let templateProblem: Diagnostic[] | null = null;
  const parser = memoParser();
  let attempts = 0;
  const attempt = (keep: ReadonlySet<string>, bodySize: number): MemoBuild | null => {
    attempts++;
    const plan = planMemo(input, keep);
    const t = compiled.render(plan);
    if (t.markdown === null) {
      templateProblem = t.diagnostics;
      return null;
    }
    mark('memo: template');
    const parsed = parser.parse(t.markdown, `${templates.memo.file} (output)`);
    mark('memo: parse');
    if (hasErrors(parsed.diagnostics)) {
      templateProblem = parsed.diagnostics.filter((d) => d.severity === 'error');
      return null;
    }
    if (parsed.document.blocks.length === 0) {
      templateProblem = [
        error(
          'template-empty',
          'the memo template made no text',
          { file: templates.memo.file, line: 1, col: 1 },
          'write the memo in `memo.hbs`: a heading, the bottom line and the sections (`briefing init` copies the built-in one)',
          'see the output with `--emit markdown`',
        ),
      ];
      return null;
    }
    const laid = layoutMemo({
      document: parsed.document,
      theme,
      fonts,
      headingFonts,
      ...extras,
      page,
      bodySize,
      ...layoutMeta(pack.lang, plan.meta, strings),
      runningHead: fill(strings.memo.runningHead ?? '{title} · {date}', {
        title: plan.meta.title,
        date: plan.meta.dateText,
      }),
      pageLabel: strings.memo.page ?? '{n} / {total}',
      footer: plan.footer,
      numbering: strings.memo.numbering === 'cjk' ? 'cjk' : 'decimal',
      marking,
    });
    mark('memo: layout');
    // A chart the layout could not draw legibly is left out of the memo: report it as a dropped fact.
    const same = (a: ChartSpec, b: ChartSpec) =>
      a.kind === b.kind && a.values.join() === b.values.join() && a.categories.join('\n') === b.categories.join('\n');
    const refused = plan.sections.flatMap((s) =>
      s.chart && laid.refusedCharts.some((r) => same(r.chart, s.chart!)) ? [s.chart] : [],
    );
    const shown: MemoPlan =
      refused.length === 0
        ? plan
        : {
            ...plan,
            sections: plan.sections.map((s) => (s.chart && refused.includes(s.chart) ? { ...s, chart: null } : s)),
            drops: [
              ...plan.drops,
              ...refused.map((c) => ({
                ref: c.ref,
                kind: 'fact' as const,
                text: c.title,
                priority: 2 as const,
                reason: 'no-room' as const,
                slide: null,
                span: c.span,
              })),
            ],
          };
    return {
      plan: shown,
      markdown: t.markdown,
      document: parsed.document,
      layout: laid.memo,
      missingGlyphs: laid.missingAt,
      parseWarnings: parsed.diagnostics,
      footerShortened: laid.footerShortened,
      work: { attempts, parse: parser.work },
    };
  };
  const keepFirst = (k: number, extra: readonly string[] = []) =>
    new Set([...essentials, ...optional.slice(0, k), ...extra]);

  let best: MemoBuild | null = null;
  /** The longest prefix that fitted, by body size. */
  const prefixAt = new Map<number, number>();
  let mostPages = 0;
  let essentialsFit = false;
  for (const size of theme.memo.bodySizes) {
    const base = attempt(keepFirst(0), size);
    if (!base) return { memo: null, diagnostics: templateProblem ?? [] };
    if (base.layout.pages.length > pages) continue;
    essentialsFit = true;
    // The largest k whose prefix fits (pages grow with k): galloping up from 0, then bisecting.
    // Few items fit a short memo, so this tries small memos, which are quick to lay out, where a
    // plain bisection would start by laying out half of everything. Type only grows taller with
    // its size: what fitted at a larger size fits at this one, and what did not fit at a smaller
    // size does not fit here, so a size after the first starts from what the others found.
    let lo = 0;
    let hi = optional.length + 1; // the smallest k known not to fit (or past the end)
    let fit = base;
    const fits = (k: number) => {
      const r = attempt(keepFirst(k), size);
      // A template that fails with more items (it writes more markup, say) stops the search below.
      if (!r || r.layout.pages.length > pages) return false;
      fit = r;
      return true;
    };
    for (const [other, found] of prefixAt) {
      if (other < size) hi = Math.min(hi, found + 1);
    }
    const known = [...prefixAt].filter(([other]) => other > size).map(([, found]) => found);
    const floor = known.length > 0 ? Math.max(...known) : 0;
    if (floor > 0 && floor < hi && fits(floor)) lo = floor;
    const guess = [...prefixAt].find(([other]) => other < size)?.[1];
    if (lo === 0 && guess !== undefined && guess > 0 && guess < hi) {
      // The prefix that fitted at a smaller size: if it fits here too, it is the most that does.
      if (fits(guess)) lo = guess;
      else hi = guess;
    } else {
      for (let step = 1; lo + step < hi; step *= 2) {
        if (fits(lo + step)) lo += step;
        else {
          hi = lo + step;
          break;
        }
      }
    }
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    prefixAt.set(size, lo);
    // `lo` only grows, so `fit` (the last prefix that fitted) is the prefix of length `lo`.
    // Then later, smaller items that may still fit, until the page is nearly full.
    const extra: string[] = [];
    for (
      let j = lo + 1, tries = 0;
      j < optional.length && tries < 6 && fit.layout.fit.lastPageFill < 0.95;
      j++, tries++
    ) {
      const r = attempt(keepFirst(lo, [...extra, optional[j]!]), size);
      if (r && r.layout.pages.length <= pages) {
        extra.push(optional[j]!);
        fit = r;
      }
    }
    mostPages = Math.max(mostPages, fit.layout.pages.length);
    if (fit.layout.pages.length !== pages) continue;
    if (!best || fit.layout.fit.lastPageFill > best.layout.fit.lastPageFill) best = fit;
    // A page nine-tenths full is done; short of that, another body size may fill it better.
    if (fit.layout.fit.lastPageFill >= MEMO_FILL_TARGET) break;
  }
  if (templateProblem) return { memo: null, diagnostics: templateProblem };
  if (!essentialsFit) {
    return {
      memo: null,
      diagnostics: [
        verified(
          error(
            'fit-essential',
            `the memo's essentials (header, bottom line, the main findings) do not fit on ${pages} page${pages > 1 ? 's' : ''} even at ${Math.min(...theme.memo.bodySizes)} pt`,
            audienceView(pack, audience.id).bluf.span,
            pages < LENGTH_LIMITS.pages.max
              ? `ask for more pages (\`--pages ${pages + 1}\`), or shorten the bottom line and module summaries`
              : 'shorten the bottom line and module summaries',
          ),
        ),
      ],
    };
  }
  if (!best) {
    return {
      memo: null,
      diagnostics: [
        verified(
          error(
            'fit-too-short',
            `the content fills only ${mostPages} page${mostPages === 1 ? '' : 's'}, but ${pages} were asked for`,
            audienceView(pack, audience.id).bluf.span,
            `ask for \`--pages ${mostPages}\`${mostPages > LENGTH_LIMITS.pages.min ? ' or fewer' : ''}, or add points to the modules`,
          ),
        ),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [...extraProblems, ...best.parseWarnings];
  const memoTexts = [
    ...best.plan.judgments,
    ...best.plan.recommendations,
    ...best.plan.sections.flatMap((x) => x.items),
    { text: best.plan.meta.bluf, span: audienceView(pack, audience.id).bluf.span },
  ];
  for (const [cp, span] of Object.entries(best.missingGlyphs))
    diagnostics.push(missingGlyph(Number(cp), 'memo', originOf(Number(cp), memoTexts) ?? span));
  if (best.footerShortened)
    diagnostics.push(
      warning(
        'footer-shortened',
        `the memo's footer line “${printable(best.footerShortened.full, 160)}” is too long for one line; it is shown as “${printable(best.footerShortened.shown, 160)}”`,
        undefined,
        "shorten `footerText` in theme.yaml, the audience's `memo.footer`, or the running head (strings `memo.runningHead`)",
      ),
    );
  if (best.layout.fit.lastPageFill < theme.memo.minLastPageFill) {
    // A shorter memo is suggested only when there is one and it builds.
    const hint =
      pages > LENGTH_LIMITS.pages.min && verify && builds(pages - 1)
        ? [`ask for \`--pages ${pages - 1}\` for a fuller memo`]
        : [];
    diagnostics.push(
      warning(
        'fit-last-page',
        `the last page is only ${Math.round(best.layout.fit.lastPageFill * 100)}% full`,
        audienceView(pack, audience.id).bluf.span,
        ...hint,
      ),
    );
  }
  return { memo: best, diagnostics };
}

/** Where the text of a slide's box came from in the content, as well as the plan knows. */
function spanForBox(plan: DeckPlan, slideNumber: number, box: string, pack: LocalizedPack): Span | undefined {
  const slide = plan.slides[slideNumber - 1];
  if (!slide) return undefined;
  if (box === 'Bottom line') return audienceView(pack, plan.meta.audience).bluf.span;
  if (box === 'Title' || box === 'Subtitle' || box === 'Kicker') {
    if (slide.layout === 'title')
      return box === 'Subtitle' ? audienceView(pack, plan.meta.audience).subtitle?.span : pack.title.span;
    const m = pack.modules.find((x) => x.id === slide.module);
    if (m) return box === 'Kicker' ? m.title.span : m.summary.span;
  }
  return slide.items[0]?.span ?? slide.columns[0]?.items[0]?.span ?? slide.figures[0]?.span ?? slide.quote?.span;
}

/** The theme's optional logo (with its size in points) and footer line, for one language. */
function themeExtras(
  templates: Templates,
  lang: Lang,
): {
  extras: { logo: { file: string; width: number; height: number } | null; footerText: string | null };
  diagnostics: Diagnostic[];
} {
  const theme = templates.theme;
  const footerText = theme.footerText?.[lang] ?? theme.footerText?.['*'] ?? null;
  if (!theme.logo) return { extras: { logo: null, footerText }, diagnostics: [] };
  // The loader checked the logo and gave its real path; it is read again for its size, in case it changed.
  const image = readImageInfo(theme.logo.file, null);
  if (!image.ok) {
    return {
      extras: { logo: null, footerText },
      diagnostics: [error(image.code, `the theme's logo ${image.message}`, undefined, image.hint)],
    };
  }
  const width = theme.logo.width;
  return {
    extras: { logo: { file: image.real, width, height: (width * image.height) / image.width }, footerText },
    diagnostics: [],
  };
}

/** A font that could not be read while measuring: an error naming it (anything else is a bug). */
export function fontProblem(cause: unknown): Diagnostic {
  if (cause instanceof AssetError)
    return error(
      'font-unreadable',
      `the font \`${cause.file}\` ${cause.message}`,
      undefined,
      'replace it with an intact .ttf or .otf file, or name another font in theme.yaml',
    );
  throw cause;
}

/** A character no font of the theme can set, reported where the content wrote it. */
export function missingGlyph(cp: number, output: 'deck' | 'memo', span: Span | undefined, where = ''): Diagnostic {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return warning(
    'missing-glyph',
    `the ${output} fonts have no glyph for \`${String.fromCodePoint(cp)}\` (U+${hex})${where ? ` ${where}` : ''}`,
    span,
    output === 'memo'
      ? 'the PDF would show an empty box there: remove the character, or give the theme a font that has it'
      : 'viewers will substitute a font for it: remove the character, or give the theme a font that has it',
  );
}

/** The place in the content of the first text that contains `cp`. */
function originOf(cp: number, texts: readonly { text: string; span: Span }[]): Span | null {
  const ch = String.fromCodePoint(cp);
  return texts.find((t) => t.text.includes(ch))?.span ?? null;
}
