// `briefing check --trace`: every claim of a pack beside its source and locator, and, where the
// reviewer gives the source's text, the paragraphs the locator names. A fact-checker reads a pack
// against its source in minutes this way, and sees at once which claims have no locator.
import type { ContentPack, Localized } from './model/content.js';
import type { Span } from './model/span.js';

export interface TracedClaim {
  kind: 'point' | 'fact' | 'recommendation' | 'quote';
  module: string;
  span: Span;
  text: string;
  source: string | null;
  at: string | null;
  /** The source the claim's source was read in (its `via`), whose text the locator numbers. */
  via: string | null;
}

function textOf(value: Localized, lang: string): string {
  return value.any ?? value.byLang[lang]?.text ?? value.byLang.en?.text ?? Object.values(value.byLang)[0]?.text ?? '';
}

/** Every point, fact, quote and recommendation of the pack, in module order, in `lang`. */
export function traceClaims(pack: ContentPack, lang: string): TracedClaim[] {
  const viaOf = new Map(pack.sources.map((s) => [s.id, s.via]));
  const claim = (
    kind: TracedClaim['kind'],
    module: string,
    x: { source: string | null; at: string | null; span: Span },
    text: string,
  ): TracedClaim => ({
    kind,
    module,
    span: x.span,
    text,
    source: x.source,
    at: x.at,
    via: x.source ? (viaOf.get(x.source) ?? null) : null,
  });
  return pack.modules.flatMap((m) => [
    ...m.points.map((p) => claim('point', m.id, p, textOf(p.text, lang))),
    ...m.facts.map((f) => claim('fact', m.id, f, `${textOf(f.value, lang)}: ${textOf(f.label, lang)}`)),
    ...m.quotes.map((q) => claim('quote', m.id, q, `${textOf(q.text, lang)} (${textOf(q.by, lang)})`)),
    ...m.recommendations.map((r) => claim('recommendation', m.id, r, textOf(r.text, lang))),
  ]);
}

/** The paragraphs of a text: blocks separated by blank lines, numbered from 1 (`¶1`). */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * The paragraph numbers a locator names: `¶6`, `¶6–7` (or `¶6-7`), `¶6, ¶34`,
 * `¶36; options ¶11, ¶25`. Other locators (`p. 4`, `§3`) name none.
 */
export function paragraphNumbers(at: string): number[] {
  const out: number[] = [];
  for (const m of at.matchAll(/¶\s*(\d{1,5})(?:\s*[–-]\s*¶?\s*(\d{1,5}))?/g)) {
    const from = Number(m[1]);
    const to = m[2] ? Math.min(Number(m[2]), from + 20) : from;
    for (let n = from; n <= to; n++) if (!out.includes(n)) out.push(n);
  }
  return out;
}
