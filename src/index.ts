// The library API: build a deck, build a memo, check a pack. The CLI is a thin layer over this.
import { type Diagnostic, error, hasErrors } from './model/diagnostic.js';
import type { ContentPack } from './model/content.js';
import { type Lang, LANGS } from './model/lang.js';
import type { LaidDeck } from './model/layout.js';
import { IMAGE_WIDTH } from './model/limits.js';
import type { LocalizedPack } from './model/localized.js';
import type { Drop } from './model/plan.js';
import type { Span } from './model/span.js';
import {
  type BuildCache,
  type BuildOptions,
  composeDeck,
  composeHandout,
  composeMemo,
  type DeckBuild,
  fontProblem,
  type HandoutBuild,
  type MemoBuild,
} from './pipeline.js';
import type { Prepared } from './prepare.js';
import { mark } from './trace.js';

export type { Diagnostic } from './model/diagnostic.js';
export type { Lang } from './model/lang.js';
export { LANG_TAGS, LANGS } from './model/lang.js';
export type { BoxFit, LaidDeck, LaidMemo } from './model/layout.js';
export type { DeckPlan, Drop, MemoPlan, SlidePlan } from './model/plan.js';
export type { BuildCache, BuildOptions, DeckBuild, HandoutBuild, MemoBuild } from './pipeline.js';

/** A cache for a batch of builds in one process (see `briefing build`). */
export function newBuildCache(): BuildCache {
  return { packs: new Map(), templates: new Map(), prepared: new Map() };
}

/**
 * load + localize: from a batch's memory (`cache`), else from the disk cache when the inputs have
 * not changed since an earlier run (the loaders, with their YAML parser, schemas and OpenCC, are
 * then never imported), else loaded now. In a batch, the deck and the memo of one language and
 * audience share one result, and with it their compiled templates.
 */
async function prepared(
  options: BuildOptions,
  cache?: BuildCache,
): Promise<{ prepared: Prepared | null; diagnostics: Diagnostic[] }> {
  const memoryKey = JSON.stringify([
    options.content,
    options.template ?? null,
    options.lang,
    options.audience,
    options.date ?? null,
    options.marking ?? null,
    Boolean(options.display),
  ]);
  const inMemory = cache?.prepared.get(memoryKey);
  if (inMemory) return inMemory;
  // A custom way of showing paths cannot be part of a cache key; such calls are not cached.
  const disk = !options.display ? await import('./load/prepared-cache.js') : null;
  const found = disk?.readPrepared(options);
  let result = found?.hit ?? null;
  if (!result) {
    const { prepare } = await import('./prepare.js');
    const { recordReads } = await import('./load/confined.js');
    const loaded = recordReads(() => prepare(options, cache));
    result = loaded.value;
    if (disk && found?.key) disk.writePrepared(found.key, result, loaded.reads);
  }
  cache?.prepared.set(memoryKey, result);
  return result;
}

export { BUILTIN_TEMPLATES, DEFAULT_PACK } from './paths.js';

export interface DeckResult {
  bytes: Uint8Array;
  build: DeckBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
  /** Real paths of every file the build read (an output must not replace one). */
  inputs: string[];
  /** Real paths of the folders it reads all of (an output must not go there). */
  inputFolders: string[];
}

export interface MemoResult {
  bytes: Uint8Array;
  build: MemoBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
  /** Real paths of every file the build read (an output must not replace one). */
  inputs: string[];
  /** Real paths of the folders it reads all of (an output must not go there). */
  inputFolders: string[];
}

export type Outcome<T> = { ok: true; result: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The reference file the loader checked, read again for the render inside its template folder, and
 * only if it is still the same bytes (a file swapped for a link to another during the run is not).
 */
async function readReferenceBytes(ref: NonNullable<LaidDeck['reference']>): Promise<Uint8Array> {
  const { LIMITS, readConfined } = await import('./load/confined.js');
  const { createHash } = await import('node:crypto');
  const read = readConfined(ref.file, ref.root || null, LIMITS.reference);
  if (!read.ok) throw Object.assign(new Error(read.message), { name: 'BadReference', hint: read.hint });
  if (createHash('sha256').update(read.bytes).digest('hex') !== ref.digest)
    throw Object.assign(new Error('changed while the deck was being built'), {
      name: 'BadReference',
      hint: 'run the command again once nothing else is writing the template folder',
    });
  return read.bytes;
}

/** A build that worked: what it made, with its drops, diagnostics and the files it read. */
function succeeded<B extends { plan: { drops: Drop[] } }, X extends object>(
  ready: Prepared,
  build: B,
  all: Diagnostic[],
  made: X,
): {
  ok: true;
  result: X & { build: B; drops: Drop[]; diagnostics: Diagnostic[]; inputs: string[]; inputFolders: string[] };
  diagnostics: Diagnostic[];
} {
  return {
    ok: true,
    result: {
      ...made,
      build,
      drops: build.plan.drops,
      diagnostics: all,
      inputs: ready.inputs,
      inputFolders: ready.inputFolders,
    },
    diagnostics: all,
  };
}

/** Builds an exactly-N-slide PPTX. */
export async function buildDeck(
  options: BuildOptions & { slides: number },
  cache?: BuildCache,
): Promise<Outcome<DeckResult>> {
  const { prepared: ready, diagnostics } = await prepared(options, cache);
  if (!ready) return { ok: false, diagnostics };
  mark('load + localize');
  const composed = composeDeck(ready, options.slides);
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.deck || hasErrors(all)) return { ok: false, diagnostics: all };
  const { renderPptx } = await import('./render/pptx/render-pptx.js');
  mark('import renderer');
  const laid = composed.deck.layout;
  let bytes: Uint8Array;
  try {
    bytes = await renderPptx(laid, {
      reference: laid.reference ? await readReferenceBytes(laid.reference) : undefined,
    });
  } catch (cause) {
    // What is wrong with the reference file (load/reference.ts BadReference, not imported up front).
    if (!(cause instanceof Error && cause.name === 'BadReference')) throw cause;
    const hint = (cause as Error & { hint?: string }).hint;
    return {
      ok: false,
      diagnostics: [
        ...all,
        error(
          'bad-reference',
          `the reference file ${cause.message}`,
          undefined,
          hint ?? 'save it again from PowerPoint',
        ),
      ],
    };
  }
  mark('render pptx');
  return succeeded(ready, composed.deck, all, { bytes });
}

export interface HandoutResult {
  bytes: Uint8Array;
  build: HandoutBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
  /** Real paths of every file the build read (an output must not replace one). */
  inputs: string[];
  /** Real paths of the folders it reads all of (an output must not go there). */
  inputFolders: string[];
}

/**
 * Builds the deck as a PDF handout: exactly N pages for N slides, drawn from the same boxes as the
 * PPTX; with `notes`, A4 (or the language's memo paper) pages with the speaker notes under each slide.
 */
export async function buildHandout(
  options: BuildOptions & { slides: number; notes?: boolean },
  cache?: BuildCache,
): Promise<Outcome<HandoutResult>> {
  const { prepared: ready, diagnostics } = await prepared(options, cache);
  if (!ready) return { ok: false, diagnostics };
  const composed = composeHandout(ready, options.slides, options.notes ?? false);
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.handout || hasErrors(all)) return { ok: false, diagnostics: all };
  const { renderPdf } = await import('./render/pdf/render-pdf.js');
  let bytes: Uint8Array;
  try {
    bytes = await renderPdf(composed.handout.handout);
  } catch (cause) {
    return { ok: false, diagnostics: [...all, fontProblem(cause)] };
  }
  return succeeded(ready, composed.handout, all, { bytes });
}

export interface SlideImagesResult {
  format: 'svg' | 'png';
  /** One file per slide, in order: `slide-01.svg`… (three digits from 100 slides). */
  files: { name: string; bytes: Uint8Array }[];
  build: HandoutBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
  /** Real paths of every file the build read (an output must not replace one). */
  inputs: string[];
  /** Real paths of the folders it reads all of (an output must not go there). */
  inputFolders: string[];
}

/** The PNG width `buildSlideImages` draws slides at, in pixels, unless told. */
export const DEFAULT_IMAGE_WIDTH = IMAGE_WIDTH.default;

/**
 * Builds the deck's slides as pictures, as the PDF handout lays them out: `svg` gives one SVG per
 * slide that stands alone (its fonts embedded as subsets, its text real text); `png` draws the
 * same SVG with resvg, `width` pixels wide.
 */
export async function buildSlideImages(
  options: BuildOptions & { slides: number; format: 'svg' | 'png'; width?: number },
  cache?: BuildCache,
): Promise<Outcome<SlideImagesResult>> {
  const { prepared: ready, diagnostics } = await prepared(options, cache);
  if (!ready) return { ok: false, diagnostics };
  const composed = composeHandout(ready, options.slides, false);
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.handout || hasErrors(all)) return { ok: false, diagnostics: all };
  const { standaloneSvgs, slidePngs, slideTitles } = await import('./render/svg/slide-images.js');
  mark('import renderer');
  const laid = composed.handout.handout;
  const titles = slideTitles(composed.handout.layout);
  let images: Uint8Array[];
  try {
    images =
      options.format === 'svg'
        ? standaloneSvgs(laid, titles).map((svg) => new TextEncoder().encode(svg))
        : slidePngs(laid, titles, options.width ?? DEFAULT_IMAGE_WIDTH);
  } catch (cause) {
    return { ok: false, diagnostics: [...all, fontProblem(cause)] };
  }
  mark(`render ${options.format}`);
  const digits = Math.max(2, String(images.length).length);
  return succeeded(ready, composed.handout, all, {
    format: options.format,
    files: images.map((bytes, i) => ({
      name: `slide-${String(i + 1).padStart(digits, '0')}.${options.format}`,
      bytes,
    })),
  });
}

/** Builds an exactly-N-page PDF memo. */
export async function buildMemo(
  options: BuildOptions & { pages: number },
  cache?: BuildCache,
): Promise<Outcome<MemoResult>> {
  const { prepared: ready, diagnostics } = await prepared(options, cache);
  if (!ready) return { ok: false, diagnostics };
  mark('load + localize');
  const composed = composeMemo(ready, options.pages);
  mark('compose memo');
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.memo || hasErrors(all)) return { ok: false, diagnostics: all };
  const { renderPdf } = await import('./render/pdf/render-pdf.js');
  mark('import renderer');
  let bytes: Uint8Array;
  try {
    bytes = await renderPdf(composed.memo.layout);
  } catch (cause) {
    return { ok: false, diagnostics: [...all, fontProblem(cause)] };
  }
  mark('render pdf');
  return succeeded(ready, composed.memo, all, { bytes });
}

/**
 * Validates a pack and the templates for every language the pack declares, and proves that the
 * default deck and memo can be built. Writes nothing.
 */
export async function checkContent(options: {
  content: string;
  template?: string | null;
  audience?: string;
  languages: readonly Lang[];
  display?: (p: string) => string;
}): Promise<Diagnostic[]> {
  return (await checkPackFolder(options)).diagnostics;
}

/**
 * `checkContent`, with the pack as loaded and the languages checked: by default every language
 * the pack has (authored or derived), or English when it has none. Each file of the pack is read
 * and validated once; each language then localizes the loaded pack.
 */
export async function checkPackFolder(options: {
  content: string;
  template?: string | null;
  audience?: string;
  languages?: readonly Lang[];
  display?: (p: string) => string;
}): Promise<{ diagnostics: Diagnostic[]; pack: ContentPack | null; languages: Lang[] }> {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const { prepare: prepareNow, loadInputs } = await import('./prepare.js');
  const cache = newBuildCache();
  const base = {
    content: options.content,
    template: options.template ?? null,
    audience: options.audience ?? 'policymaker',
    display: options.display,
    deepCheck: true,
  };
  // The pack, loaded as the first language's build loads it (the cache keeps it for the others).
  const first = options.languages?.[0] ?? 'en';
  const pack = loadInputs({ ...base, lang: first }, cache).p.pack;
  let languages = options.languages ? [...options.languages] : [];
  if (!options.languages) {
    const { languageSource } = await import('./localize/localize-pack.js');
    languages = pack ? LANGS.filter((l) => languageSource(pack, l) !== null) : [];
  }
  const checked = languages.length > 0 ? languages : (['en'] as Lang[]);
  for (const lang of checked) {
    const { prepared, diagnostics } = prepareNow({ ...base, lang }, cache);
    for (const d of diagnostics) {
      const key = `${d.code}|${d.span?.file}|${d.span?.line}|${d.span?.col}|${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(d);
      }
    }
    if (!prepared) continue;
    for (const d of untracedClaims(prepared.pack)) {
      if (seen.has(`nosource|${d.message}`)) continue;
      seen.add(`nosource|${d.message}`);
      out.push(d);
    }
  }
  return { diagnostics: out, pack, languages };
}

/**
 * A warning for every claim that names no source, so it cannot be traced: points, facts, quotes and
 * recommendations. Module summaries and the bottom line sum these up and are not checked.
 */
export function untracedClaims(pack: LocalizedPack): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (what: string, m: string, ref: string, span: Span) =>
    out.push({
      severity: 'warning',
      code: 'no-source',
      message: `${what} ${ref.split('/').pop()} of module \`${m}\` names no source`,
      span,
      hints: ["add `source: <id>` (an id from the pack's `sources`) so the claim can be traced"],
    });
  for (const m of pack.modules) {
    for (const p of m.points) if (!p.source) warn('point', m.id, p.ref, p.text.span);
    for (const f of m.facts) if (!f.source) warn('fact', m.id, f.ref, f.value.span);
    for (const q of m.quotes) if (!q.source) warn('quote', m.id, q.ref, q.text.span);
    for (const r of m.recommendations) if (!r.source) warn('recommendation', m.id, r.ref, r.text.span);
  }
  return out;
}
