// The pipeline, written down once. Each stage is a pure function of its inputs except where noted.
//
//   load      files → ContentPack + Templates                  src/load/     (reads files)
//   localize  ContentPack × lang → LocalizedPack               src/localize/
//   plan      LocalizedPack × audience × length → Plan         src/plan/
//   template  Plan × Templates × strings → Briefing Markdown   src/template/
//   parse     Briefing Markdown → Document                     src/parse/
//   layout    Document × Theme × FontMetrics → LaidOut         src/layout/   (fonts are read once)
//   render    LaidOut → bytes (.pptx | .pdf)                   src/render/
//
// Length is a contract: when layout finds a box that overflows at its smallest size, the plan
// drops the least important item of that slide (or, for memos, keeps fewer ranked items) and
// template → parse → layout run again, until everything fits or only essentials are left.
import { loadPack } from './load/load-pack.js';
import { loadTemplates } from './load/load-templates.js';
import { type FontBook, loadFontBook } from './layout/font-metrics.js';
import { layoutDeck } from './layout/layout-deck.js';
import { localizePack } from './localize/localize-pack.js';
import { type Diagnostic, error, hasErrors } from './model/diagnostic.js';
import type { DeckDocument } from './model/document.js';
import type { Lang } from './model/lang.js';
import type { LaidDeck } from './model/layout.js';
import type { LocalizedPack } from './model/localized.js';
import type { DeckPlan } from './model/plan.js';
import type { Templates } from './model/templates.js';
import type { AudienceProfile } from './model/theme.js';
import { parseDeck } from './parse/parse-briefing.js';
import { dropFromSlide, planDeck } from './plan/plan-deck.js';
import { renderTemplate } from './template/render-template.js';

export interface BuildOptions {
  /** Content-pack folder. */
  content: string;
  /** A user template folder layered over the built-in one. */
  template?: string | null;
  lang: Lang;
  audience: string;
  /** Document date (YYYY-MM-DD); default the pack's date. */
  date?: string | null;
  marking?: string | null;
  display?: (absolutePath: string) => string;
}

export interface Prepared {
  templates: Templates;
  pack: LocalizedPack;
  audience: AudienceProfile;
  date: string;
}

/** load + localize: everything both outputs start from. */
export function prepare(options: BuildOptions): { prepared: Prepared | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const t = loadTemplates({ userDir: options.template ?? null, audience: options.audience, lang: options.lang, display: options.display });
  diagnostics.push(...t.diagnostics);
  const p = loadPack(options.content, { audiences: t.templates?.audiences.map((a) => a.id), display: options.display });
  diagnostics.push(...p.diagnostics);
  if (!t.templates || !p.pack || hasErrors(diagnostics)) return { prepared: null, diagnostics };
  const l = localizePack(p.pack, options.lang);
  diagnostics.push(...l.diagnostics);
  if (!l.pack) return { prepared: null, diagnostics };
  const audience = t.templates.audiences.find((a) => a.id === options.audience)!;
  return { prepared: { templates: t.templates, pack: l.pack, audience, date: options.date ?? p.pack.date }, diagnostics };
}

export interface DeckBuild {
  plan: DeckPlan;
  markdown: string;
  document: DeckDocument;
  layout: LaidDeck;
}

const MAX_FIT_ROUNDS = 400;

/** plan → template → parse → layout, dropping items until every slide fits. */
export function composeDeck(prepared: Prepared, slides: number, marking: string | null = null): { deck: DeckBuild | null; diagnostics: Diagnostic[] } {
  const { templates, pack, audience } = prepared;
  const diagnostics: Diagnostic[] = [];
  const planned = planDeck({ pack, audience, slides, strings: templates.strings, marking, date: prepared.date });
  diagnostics.push(...planned.diagnostics);
  if (!planned.plan) return { deck: null, diagnostics };
  const fonts = fontsFor(templates, pack.lang, 'deck');
  let plan = planned.plan;
  for (let round = 0; round < MAX_FIT_ROUNDS; round++) {
    const t = renderTemplate(templates, plan);
    if (!t.markdown) return { deck: null, diagnostics: [...diagnostics, ...t.diagnostics] };
    const parsed = parseDeck(t.markdown, `${templates.deck.file} (output)`);
    if (parsed.document.slides.length !== plan.slides.length) {
      return {
        deck: null,
        diagnostics: [
          ...diagnostics,
          error('template-slide-count', `the deck template made ${parsed.document.slides.length} slides, but ${plan.slides.length} were planned`, { file: templates.deck.file, line: 1, col: 1 }, 'emit one slide per entry of `slides`, separated by `---` on a line of its own with a blank line before it', 'see the output with `--emit markdown`'),
        ],
      };
    }
    const laid = layoutDeck({
      document: parsed.document,
      theme: templates.theme,
      fonts,
      langTag: plan.meta.langTag,
      title: plan.meta.title,
      author: plan.meta.author,
      subject: plan.meta.subtitle,
      date: plan.meta.date,
      quotes: { open: templates.strings.citation.openQuote ?? '“', close: templates.strings.citation.closeQuote ?? '”' },
    });
    if (laid.overflows.length === 0) {
      diagnostics.push(...parsed.diagnostics, ...laid.diagnostics);
      return { deck: { plan, markdown: t.markdown, document: parsed.document, layout: laid.deck }, diagnostics };
    }
    // Drop one item from every slide that overflows, then lay out again.
    for (const slideNumber of [...new Set(laid.overflows.map((o) => o.slide))]) {
      const next = dropFromSlide(plan, slideNumber);
      if (!next) {
        const slide = plan.slides[slideNumber - 1]!;
        const boxes = laid.overflows.filter((o) => o.slide === slideNumber).map((o) => `\`${o.box}\``).join(', ');
        return {
          deck: null,
          diagnostics: [
            ...diagnostics,
            error(
              'fit-essential',
              `slide ${slideNumber} (${slide.layout}${slide.module ? `, module \`${slide.module}\`` : ''}): ${boxes} does not fit even at the smallest font size, and only essential content is left`,
              slide.items[0]?.span ?? parsed.document.slides[slideNumber - 1]?.span,
              `ask for more slides (\`--slides ${slides + 2}\`) so the content is spread out, or shorten the text`,
            ),
          ],
        };
      }
      plan = next;
    }
  }
  return { deck: null, diagnostics: [...diagnostics, error('internal-fit', 'fitting did not settle')] };
}

const fontCache = new Map<string, FontBook>();

export function fontsFor(templates: Templates, lang: Lang, kind: 'deck' | 'memo'): FontBook {
  const files = templates.theme.fonts[lang]![kind];
  const key = `${templates.theme.dir}|${JSON.stringify(files)}`;
  let book = fontCache.get(key);
  if (!book) {
    book = loadFontBook(files, templates.theme.dir);
    fontCache.set(key, book);
  }
  return book;
}
