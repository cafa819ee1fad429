// What the preview page shows, built in the warm process: a deck's slides (with their speaker
// notes), a memo's pages or a handout's pages as SVG, drawn from the same laid-out boxes as the
// PPTX and PDF; every diagnostic with the lines of YAML around it; the fit report; and what was
// left out, with why. A build that fails returns its diagnostics with the view's last good pages,
// marked stale, or with no pages when it never built.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { LIMITS, readConfined, recordReads } from '../load/confined.js';
import { readPrepared, writePrepared } from '../load/prepared-cache.js';
import { languageSource } from '../localize/localize-pack.js';
import { type Diagnostic, hasErrors } from '../model/diagnostic.js';
import { LANGS, type Lang } from '../model/lang.js';
import type { BoxFit, LaidDeck, LaidPdf, MemoFit } from '../model/layout.js';
import { LENGTH_LIMITS } from '../model/limits.js';
import type { Drop } from '../model/plan.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { composeHandout, composeMemo } from '../pipeline.js';
import { type BuildCache, type BuildOptions, loadInputs, prepare } from '../prepare.js';
import { renderSvgPage, type SvgFace } from '../render/svg/render-svg.js';
import { codePointsByFile, subsetFonts } from '../render/svg/svg-fonts.js';

export type Output = 'deck' | 'memo' | 'handout';
export const OUTPUTS: readonly Output[] = ['deck', 'memo', 'handout'];

/** One view of the pack: which output, for whom, in which language, how long. */
export interface ViewRequest {
  output: Output;
  audience: string;
  lang: Lang;
  /** Slides (deck, handout) or pages (memo). */
  length: number;
}

export interface PreviewSource {
  content: string;
  template: string | null;
  date: string | null;
  marking: string | undefined;
  /** Folders a diagnostic's YAML may be quoted from: the pack, the template folder, the built-in templates. */
  roots: string[];
}

export interface ShownDiagnostic {
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  hints: string[];
  /** `file:line:col`, or null when the problem has no place. */
  where: string | null;
  /** The lines around it (numbered), with the column to point at, when the file can be read. */
  context: { first: number; line: number; col: number; lines: string[] } | null;
}

export interface ShownPage {
  number: number;
  svg: string;
  /** A slide's speaker notes, paragraph by paragraph (deck only). */
  notes?: string[];
}

export interface ShownFitBox extends BoxFit {
  /** Where the box is on the slide (points), for the page to outline it. */
  rect: { x: number; y: number; w: number; h: number } | null;
}

export interface View {
  ok: boolean;
  /**
   * The build failed and `pages` (with their fit report and what they left out) are the last ones
   * this view built, before the change that broke it.
   */
  stale: boolean;
  request: ViewRequest;
  /** The document's title, as on its cover. */
  title: string;
  width: number;
  height: number;
  pages: ShownPage[];
  /** The fonts the SVGs name: each family and where the page fetches it. */
  fonts: { family: string; url: string }[];
  diagnostics: ShownDiagnostic[];
  fit: { deck: { slide: number; boxes: ShownFitBox[] }[] } | { memo: MemoFit } | null;
  drops: (Omit<Drop, 'span'> & { where: string })[];
  /** Milliseconds spent building it. */
  took: number;
}

/** Files the page may fetch, by an opaque id: only fonts and pictures a render used. */
export class Served {
  private readonly files = new Map<string, { path: string; type: string } | { bytes: Uint8Array; type: string }>();

  /** The id of a file, registering it. The id changes when the file does, so browsers may cache by it. */
  add(path: string, type: string): string {
    let stamp = '';
    try {
      const s = statSync(path);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch {
      // Unreadable now: the fetch will say so.
    }
    const id = createHash('sha256').update(`${path}\0${stamp}`).digest('hex').slice(0, 20);
    this.files.set(id, { path, type });
    return id;
  }

  /** The id of bytes made for the page (a font's subset), registering them; the same bytes keep their id. */
  addBytes(bytes: Uint8Array, type: string): string {
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 20);
    if (!this.files.has(id)) {
      this.files.set(id, { bytes, type });
      // Subsets of earlier builds are dropped, oldest first, beyond a few hundred.
      if (this.files.size > 400) this.files.delete(this.files.keys().next().value!);
    }
    return id;
  }

  get(id: string): { path: string; type: string } | { bytes: Uint8Array; type: string } | undefined {
    return this.files.get(id);
  }
}

/**
 * Builds views for one state of the files: the pack and templates are loaded once per state
 * (until `reset`) and shared by every audience, language and output asked for.
 */
export class Builder {
  private cache: BuildCache = newCache();
  private readonly views = new Map<string, View>();
  private readonly loaded = new Map<string, ReturnType<typeof prepare>>();
  /** Each view's last build that worked, kept across changes. */
  private readonly lastGood = new Map<string, View>();
  /** The pack's languages, once read. */
  private langs: Lang[] | null = null;
  /**
   * Until the first change, loads come from the disk cache a command-line run keeps (and go into
   * it), so a preview of an unchanged pack starts as fast as a build. After a change the pack is
   * read again in this warm process, which is faster than writing the cache on every save.
   */
  private diskCache = true;

  constructor(
    private readonly source: PreviewSource,
    private readonly served: Served,
  ) {}

  /** Forget everything loaded: a file changed. */
  reset(): void {
    this.cache = newCache();
    this.views.clear();
    this.loaded.clear();
    this.langs = null;
    this.diskCache = false;
  }

  /** Languages the pack has (authored or derived); all three while it cannot be loaded. */
  languages(): Lang[] {
    this.langs ??= this.packLanguages();
    return this.langs;
  }

  private packLanguages(): Lang[] {
    const { pack } = loadInputs(
      this.options({ output: 'deck', audience: 'policymaker', lang: 'en', length: 10 }),
      this.cache,
    ).p;
    return pack ? LANGS.filter((l) => languageSource(pack, l) !== null) : [...LANGS];
  }

  view(request: ViewRequest): View {
    const key = JSON.stringify(request);
    const known = this.views.get(key);
    if (known) return known;
    const started = performance.now();
    const built = this.build(request);
    let view: View = { ...built, stale: false, took: Math.round(performance.now() - started) };
    // A view that worked is kept across changes; one that fails shows it, marked as stale.
    const good = this.lastGood.get(key);
    if (view.ok) this.lastGood.set(key, view);
    else if (good)
      view = {
        ...view,
        pages: good.pages,
        fonts: good.fonts,
        title: good.title,
        width: good.width,
        height: good.height,
        // The fit report and what was left out describe the pages shown.
        fit: good.fit,
        drops: good.drops,
        stale: true,
      };
    if (this.lastGood.size > 64) this.lastGood.delete(this.lastGood.keys().next().value!);
    this.views.set(key, view);
    if (this.views.size > 64) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  private options(request: ViewRequest): BuildOptions {
    return {
      content: this.source.content,
      template: this.source.template,
      lang: request.lang,
      audience: request.audience,
      date: this.source.date,
      marking: this.source.marking,
    };
  }

  private prepared(request: ViewRequest) {
    const options = this.options(request);
    const key = `${request.audience}|${request.lang}`;
    let result = this.loaded.get(key);
    if (!result) {
      const found = this.diskCache ? readPrepared(options) : null;
      if (found?.hit) result = found.hit;
      else {
        const recorded = recordReads(() => prepare(options, this.cache));
        result = recorded.value;
        if (found?.key) writePrepared(found.key, result, recorded.reads);
      }
      this.loaded.set(key, result);
    }
    return { ready: result.prepared, diagnostics: result.diagnostics };
  }

  private build(request: ViewRequest): Omit<View, 'took' | 'stale'> {
    const empty = { request, title: '', width: 0, height: 0, pages: [], fonts: [], fit: null, drops: [] };
    const { ready, diagnostics } = this.prepared(request);
    if (!ready) return { ...empty, ok: false, diagnostics: this.shownDiagnostics(diagnostics) };
    if (request.output === 'memo') {
      const composed = composeMemo(ready, request.length);
      const all = [...diagnostics, ...composed.diagnostics];
      if (!composed.memo || hasErrors(all)) return { ...empty, ok: false, diagnostics: this.shownDiagnostics(all) };
      const laid = composed.memo.layout;
      return {
        ...this.pages(laid, request),
        ok: true,
        request,
        diagnostics: this.shownDiagnostics(all),
        fit: { memo: laid.fit },
        drops: this.drops(composed.memo.plan.drops),
      };
    }
    const composed = composeHandout(ready, request.length, request.output === 'handout');
    const all = [...diagnostics, ...composed.diagnostics];
    if (!composed.handout || hasErrors(all)) return { ...empty, ok: false, diagnostics: this.shownDiagnostics(all) };
    const deck = composed.handout.layout;
    const shown = this.pages(composed.handout.handout, request);
    if (request.output === 'deck')
      for (const page of shown.pages) page.notes = notesOf(deck.slides[page.number - 1]?.notes ?? '');
    return {
      ...shown,
      ok: true,
      request,
      diagnostics: this.shownDiagnostics(all),
      fit: { deck: deckFit(deck) },
      drops: this.drops(composed.handout.plan.drops),
    };
  }

  private pages(laid: LaidPdf, request: ViewRequest): Pick<View, 'title' | 'pages' | 'fonts' | 'width' | 'height'> {
    // Each font cut down to the characters these pages set: a Chinese face is some 100 KB instead
    // of 7 MB, which the browser fetches and checks in a moment. A subset has no kerning or
    // ligatures to apply, so the browser advances exactly as layout measured. Its family name is
    // its bytes' id: the same subset is fetched once, whatever view it comes back in.
    const subsets = subsetFonts(codePointsByFile(laid, laid.pages));
    const byFile = new Map<string, { family: string; url: string }>();
    for (const f of subsets) {
      const id = this.served.addBytes(f.bytes, f.format === 'truetype' ? 'font/ttf' : 'font/otf');
      byFile.set(f.file, { family: `briefing-${id}`, url: `/file/${id}` });
    }
    const face = (file: string): SvgFace => ({
      family: byFile.get(file)?.family ?? 'sans-serif',
      weight: 400,
      style: 'normal',
    });
    const image = (file: string) => `/file/${this.served.add(file, imageType(file))}`;
    const prefix = `${request.output}-${request.audience}-${request.lang}-`;
    const pages = laid.pages.map((p) => ({
      number: p.number,
      svg: renderSvgPage(laid, p, { face, image, idPrefix: prefix, title: `${laid.title} — ${p.number}` }),
    }));
    return { title: laid.title, pages, fonts: [...new Set(byFile.values())], width: laid.width, height: laid.height };
  }

  private drops(drops: readonly Drop[]): View['drops'] {
    return drops.map(({ span, ...d }) => ({ ...d, where: `${this.shownPath(span.file)}:${span.line}:${span.col}` }));
  }

  private shownDiagnostics(ds: readonly Diagnostic[]): ShownDiagnostic[] {
    return ds.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      hints: d.hints,
      where: d.span ? `${this.shownPath(d.span.file)}:${d.span.line}:${d.span.col}` : null,
      context: d.span ? this.context(d.span.file, d.span.line, d.span.col) : null,
    }));
  }

  /**
   * A file as the page names it: from the pack's folder (`my-pack/modules/economy.yaml`) or the
   * template folder's, or in the built-in templates; anything else (the Markdown a template made)
   * as the build named it.
   */
  private shownPath(file: string): string {
    const path = resolve(process.cwd(), file);
    for (const root of this.source.roots) {
      if (!inside(path, root)) continue;
      const shown = relative(dirname(root.replace(/[\\/]+$/, '')), path)
        .split(sep)
        .join('/');
      return root === BUILTIN_TEMPLATES ? `(built in) ${shown}` : shown;
    }
    return file;
  }

  /** Two lines either side of `line` in a file of the pack or the templates, read with the folder rules. */
  private context(file: string, line: number, col: number): ShownDiagnostic['context'] {
    // Paths in diagnostics are shown relative to the working folder.
    const path = resolve(process.cwd(), file);
    if (!/\.(ya?ml|md|hbs)$/i.test(path)) return null;
    const root = this.source.roots.find((r) => inside(path, r));
    if (!root) return null;
    const read = readConfined(path, root, LIMITS.yaml);
    if (!read.ok) return null;
    const all = read.bytes.toString('utf8').split(/\r\n|\r|\n/);
    const first = Math.max(1, line - 2);
    const last = Math.min(all.length, line + 2);
    if (line < 1 || line > all.length) return null;
    return { first, line, col, lines: all.slice(first - 1, last).map((l) => l.slice(0, 400)) };
  }
}

function inside(path: string, root: string): boolean {
  const r = root.replace(/[\\/]+$/, '');
  return path === r || path.startsWith(r + sep);
}

function newCache(): BuildCache {
  return { packs: new Map(), templates: new Map(), prepared: new Map() };
}

/** Speaker notes as paragraphs (blank lines between them). */
function notesOf(notes: string): string[] {
  return notes
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

function deckFit(deck: LaidDeck): { slide: number; boxes: ShownFitBox[] }[] {
  return deck.fit.map((boxes, i) => {
    const slide = deck.slides[i];
    return {
      slide: slide?.number ?? i + 1,
      boxes: boxes.map((b) => {
        const shape = slide?.shapes.find((s) => s.type === 'text' && s.name === b.box);
        return { ...b, rect: shape ? { x: shape.x, y: shape.y, w: shape.w, h: shape.h } : null };
      }),
    };
  });
}

function imageType(file: string): string {
  return /\.jpe?g$/i.test(file) ? 'image/jpeg' : 'image/png';
}

/** A view request from a URL's query, or what is wrong with it. */
export function parseViewRequest(
  query: URLSearchParams,
  audiences: readonly string[],
): { ok: true; request: ViewRequest } | { ok: false; message: string } {
  const output = (query.get('output') ?? 'deck') as Output;
  if (!OUTPUTS.includes(output)) return { ok: false, message: `output must be one of ${OUTPUTS.join(', ')}` };
  const audience = query.get('audience') ?? 'policymaker';
  if (!audiences.includes(audience))
    return { ok: false, message: `unknown audience; audiences are ${audiences.join(', ')}` };
  const lang = (query.get('lang') ?? 'en') as Lang;
  if (!LANGS.includes(lang)) return { ok: false, message: `lang must be one of ${LANGS.join(', ')}` };
  const limits = output === 'memo' ? LENGTH_LIMITS.pages : LENGTH_LIMITS.slides;
  const raw = query.get('length') ?? (output === 'memo' ? '1' : '10');
  const length = /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(length) || length < limits.min || length > limits.max)
    return { ok: false, message: `length must be a whole number from ${limits.min} to ${limits.max}` };
  return { ok: true, request: { output, audience, lang, length } };
}
