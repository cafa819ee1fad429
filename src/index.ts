// The library API: build a deck, build a memo, check a pack. The CLI is a thin layer over this.
import { hasErrors, type Diagnostic } from './model/diagnostic.js';
import type { Lang } from './model/lang.js';
import type { Drop } from './model/plan.js';
import { type BuildCache, type BuildOptions, composeDeck, composeMemo, type DeckBuild, type MemoBuild, prepare } from './pipeline.js';

export type { Diagnostic } from './model/diagnostic.js';
export type { Lang } from './model/lang.js';
export { LANGS, LANG_TAGS } from './model/lang.js';
export type { DeckPlan, MemoPlan, Drop, SlidePlan } from './model/plan.js';
export type { LaidDeck, LaidMemo, BoxFit } from './model/layout.js';
export type { BuildCache, BuildOptions, DeckBuild, MemoBuild } from './pipeline.js';
export { newBuildCache } from './pipeline.js';
export { DEFAULT_PACK, BUILTIN_TEMPLATES } from './paths.js';

export interface DeckResult {
  bytes: Uint8Array;
  build: DeckBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
}

export interface MemoResult {
  bytes: Uint8Array;
  build: MemoBuild;
  drops: Drop[];
  diagnostics: Diagnostic[];
}

export type Outcome<T> = { ok: true; result: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Builds an exactly-N-slide PPTX. */
export async function buildDeck(options: BuildOptions & { slides: number }, cache?: BuildCache): Promise<Outcome<DeckResult>> {
  const { prepared, diagnostics } = prepare(options, cache);
  if (!prepared) return { ok: false, diagnostics };
  const composed = composeDeck(prepared, options.slides);
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.deck || hasErrors(all)) return { ok: false, diagnostics: all };
  const { renderPptx } = await import('./render/pptx/render-pptx.js');
  const bytes = await renderPptx(composed.deck.layout);
  return { ok: true, result: { bytes, build: composed.deck, drops: composed.deck.plan.drops, diagnostics: all }, diagnostics: all };
}

/** Builds an exactly-N-page PDF memo. */
export async function buildMemo(options: BuildOptions & { pages: number }, cache?: BuildCache): Promise<Outcome<MemoResult>> {
  const { prepared, diagnostics } = prepare(options, cache);
  if (!prepared) return { ok: false, diagnostics };
  const composed = composeMemo(prepared, options.pages);
  const all = [...diagnostics, ...composed.diagnostics];
  if (!composed.memo || hasErrors(all)) return { ok: false, diagnostics: all };
  const { renderPdf } = await import('./render/pdf/render-pdf.js');
  const bytes = await renderPdf(composed.memo.layout);
  return { ok: true, result: { bytes, build: composed.memo, drops: composed.memo.plan.drops, diagnostics: all }, diagnostics: all };
}

/**
 * Validates a pack and the templates for every language the pack declares, and proves that the
 * default deck and memo can be built. Writes nothing.
 */
export function checkContent(options: { content: string; template?: string | null; audience?: string; languages: readonly Lang[]; display?: (p: string) => string }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const lang of options.languages) {
    const { prepared, diagnostics } = prepare({ content: options.content, template: options.template ?? null, lang, audience: options.audience ?? 'policymaker', display: options.display });
    for (const d of diagnostics) {
      const key = `${d.code}|${d.span?.file}|${d.span?.line}|${d.span?.col}|${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(d);
      }
    }
    if (!prepared) continue;
    // Points without a source cannot be traced.
    for (const m of prepared.pack.modules) {
      for (const p of m.points) {
        if (!p.source && !seen.has(`nosource|${p.ref}`)) {
          seen.add(`nosource|${p.ref}`);
          out.push({ severity: 'warning', code: 'no-source', message: `point ${p.ref.split('/').pop()} of module \`${m.id}\` names no source`, span: p.text.span, hints: ['add `source: <id>` so the claim can be traced'] });
        }
      }
    }
  }
  return out;
}
