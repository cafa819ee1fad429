// localize: ContentPack × language → LocalizedPack (plain strings in that language, with places).
// Pure; the Traditional → Simplified converter is injected. A value missing in the language is
// an error at that value. Simplified Chinese that the pack does not author is derived from its
// Traditional Chinese; a zh-Hans value the pack does write always wins.
import type { ContentPack, Localized } from '../model/content.js';
import { type Diagnostic, error, warning } from '../model/diagnostic.js';
import { LANG_TAGS, type Lang } from '../model/lang.js';
import type { LocalizedPack, LSource, Text } from '../model/localized.js';
import type { Span } from '../model/span.js';
import { type Converter, deriveHans } from './derive-hans.js';
import { bindUnits, spaced } from './spacing.js';
import { taiwanWordsIn } from './taiwan-words.js';

export interface LocalizeOptions {
  /** Converts Traditional to Simplified Chinese; needed only to derive zh-Hans. */
  toHans?: Converter;
}

/** Whether `lang` is authored by the pack, derivable from what it authors, or neither. */
export function languageSource(pack: ContentPack, lang: Lang): 'authored' | 'derived' | null {
  if (pack.languages.includes(lang)) return 'authored';
  if (lang === 'zh-Hans' && pack.languages.includes('zh-Hant')) return 'derived';
  return null;
}

export function localizePack(
  pack: ContentPack,
  lang: Lang,
  options: LocalizeOptions = {},
): { pack: LocalizedPack | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const source = languageSource(pack, lang);
  if (!source) {
    return {
      pack: null,
      diagnostics: [
        error(
          'language-not-in-pack',
          `the pack \`${pack.id}\` has no \`${lang}\` text${lang === 'zh-Hans' ? ' and no `zh-Hant` text to derive it from' : ''}`,
          pack.span,
          `the pack's languages are ${pack.languages.map((l) => `\`${l}\``).join(', ')}; ask for one of them with \`--lang\``,
        ),
      ],
    };
  }
  const derive = source === 'derived' ? options.toHans : undefined;
  if (source === 'derived' && !derive) throw new Error('internal: deriving zh-Hans needs a converter');
  // Derived text is checked for the Taiwan words OpenCC leaves (taiwan-words.ts), each reported
  // once per value, at the zh-Hant value it came from.
  const toHans = (text: string, span: Span) => {
    if (!derive || !/[\u3000-\u9fff\uff00-\uffef]/.test(text)) return text;
    const hans = deriveHans(text, pack.glossary, derive);
    for (const [taiwan, mainland] of taiwanWordsIn(hans))
      diagnostics.push(
        warning(
          'hans-taiwan-word',
          `the derived Simplified Chinese reads \`${taiwan}\`, a Taiwan word; mainland readers write \`${mainland}\``,
          span,
          `add a glossary entry with the zh-Hant term and its zh-Hans form, or write this value's \`zh-Hans\` yourself`,
        ),
      );
    return hans;
  };
  // English is set with typographic quotes and apostrophes, whatever the author typed.
  // Then one spacing rule for every output (see spacing.ts).
  const set =
    lang === 'en'
      ? (text: string, paragraphs: boolean) => bindUnits(curlyQuotes(clean(text, paragraphs)))
      : (text: string, paragraphs: boolean) => spaced(clean(text, paragraphs), lang);
  const pick = (value: Localized, what: string, paragraphs = false): Text => {
    if (value.any !== null) return { text: set(toHans(value.any, value.span), paragraphs), span: value.span };
    const v = value.byLang[lang];
    if (v) return { text: set(v.text, paragraphs), span: v.span };
    const hant = derive ? value.byLang['zh-Hant'] : undefined;
    if (hant) return { text: set(toHans(hant.text, hant.span), paragraphs), span: hant.span };
    diagnostics.push(
      error(
        'missing-translation',
        `${what} has no \`${derive ? 'zh-Hant' : lang}\` text`,
        value.span,
        `add \`${derive ? 'zh-Hant' : lang}: …\` to this value`,
      ),
    );
    return { text: '', span: value.span };
  };
  const pickOpt = (value: Localized | null, what: string, paragraphs = false): Text | null =>
    value ? pick(value, what, paragraphs) : null;

  const localized: LocalizedPack = {
    id: pack.id,
    lang,
    langTag: pack.locales[lang] ?? LANG_TAGS[lang],
    title: pick(pack.title, 'the title'),
    subtitle: pickOpt(pack.subtitle, 'the subtitle'),
    date: pack.date,
    author: pickOpt(pack.author, 'the author line'),
    government: pickOpt(pack.government, 'the government'),
    bluf: pick(pack.bluf, 'the bottom line'),
    perAudience: Object.fromEntries(
      Object.entries(pack.perAudience).map(([id, v]) => [
        id,
        {
          bluf: pickOpt(v.bluf, `the bottom line for \`${id}\``),
          subtitle: pickOpt(v.subtitle, `the subtitle for \`${id}\``),
        },
      ]),
    ),
    sources: withYearLetters(
      pack.sources.map((s) => ({
        id: s.id,
        title: pick(s.title, `the title of source \`${s.id}\``).text,
        short: pickOpt(s.short, `the short citation of source \`${s.id}\``)?.text ?? null,
        // Names written in Chinese characters are converted too (國華P → 国华P).
        authors: derive
          ? s.authors.map((x) => ({ ...x, name: toHans(x.name, s.span), cite: toHans(x.cite, s.span) }))
          : s.authors,
        publisher: pickOpt(s.publisher, `the publisher of source \`${s.id}\``)?.text ?? null,
        year: s.year,
        date: s.date,
        url: s.url,
        via: s.via,
        span: s.span,
      })),
    ),
    modules: pack.modules.map((m) => ({
      id: m.id,
      file: m.file,
      title: pick(m.title, 'the module title'),
      summary: pick(m.summary, 'the module summary'),
      judgment: m.judgment
        ? {
            text: pick(m.judgment.text, 'the judgment'),
            evidence: m.judgment.evidence,
            replaces: m.judgment.replaces,
          }
        : null,
      place: m.place,
      relevance: m.relevance,
      points: m.points.map((p, i) => ({
        ref: `${m.id}/points/${i + 1}`,
        id: p.id,
        text: pick(p.text, `point ${i + 1}`),
        priority: p.priority,
        source: p.source,
        at: p.at,
        audiences: p.audiences,
        replaces: p.replaces,
      })),
      facts: m.facts.map((f, i) => ({
        ref: `${m.id}/facts/${i + 1}`,
        id: f.id,
        value: pick(f.value, `fact ${i + 1}`),
        label: pick(f.label, `the label of fact ${i + 1}`),
        source: f.source,
        at: f.at,
        audiences: f.audiences,
        chart: f.chart
          ? {
              kind: f.chart.kind,
              title: pickOpt(f.chart.title, `the title of the chart of fact ${i + 1}`),
              unit: pickOpt(f.chart.unit, `the unit of the chart of fact ${i + 1}`),
              categories: f.chart.categories.map((c, k) => pick(c, `category ${k + 1} of the chart of fact ${i + 1}`)),
              values: f.chart.values,
              max: f.chart.max,
              alt: pickOpt(f.chart.alt, `the alternative text of the chart of fact ${i + 1}`),
              span: f.chart.span,
            }
          : null,
      })),
      quotes: m.quotes.map((q, i) => ({
        ref: `${m.id}/quotes/${i + 1}`,
        text: pick(q.text, `quote ${i + 1}`),
        by: pick(q.by, `the attribution of quote ${i + 1}`),
        source: q.source,
        at: q.at,
        paraphrased: q.paraphrased,
        audiences: q.audiences,
      })),
      recommendations: m.recommendations.map((r, i) => ({
        ref: `${m.id}/recommendations/${i + 1}`,
        id: r.id,
        text: pick(r.text, `recommendation ${i + 1}`),
        short: pickOpt(r.short, `the short form of recommendation ${i + 1}`),
        owner: pickOpt(r.owner, `the owner of recommendation ${i + 1}`),
        timing: pickOpt(r.timing, `the timing of recommendation ${i + 1}`),
        kind: r.kind,
        question: pickOpt(r.question, `the question of recommendation ${i + 1}`),
        options: r.options.map((o, k) => ({
          text: pick(o.text, `option ${k + 1} of recommendation ${i + 1}`),
          pros: pick(o.pros, `the pros of option ${k + 1} of recommendation ${i + 1}`),
          cons: pick(o.cons, `the cons of option ${k + 1} of recommendation ${i + 1}`),
        })),
        priority: r.priority,
        source: r.source,
        at: r.at,
        audiences: r.audiences,
        replaces: r.replaces,
      })),
      notes: pickOpt(m.notes, 'the speaker-notes text', true),
    })),
    glossary: pack.glossary.flatMap((g) => {
      const term =
        g.terms[lang] ?? (lang === 'zh-Hans' && g.terms['zh-Hant'] ? toHans(g.terms['zh-Hant'], g.span) : undefined);
      return term ? [{ term, definition: pickOpt(g.definition, `the definition of \`${term}\``), span: g.span }] : [];
    }),
  };
  return { pack: diagnostics.some((d) => d.severity === 'error') ? null : localized, diagnostics };
}

/**
 * Text as it will be set: single spaces, no control characters that break XML or PDF text, no
 * lone surrogates. With `paragraphs`, blank lines stay as paragraph breaks.
 */
export function clean(text: string, paragraphs = false): string {
  // Most text has no control character, no surrogate and no run of spaces: it is only trimmed.
  const safe = UNSAFE.test(text)
    ? text
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '')
        .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    : text;
  if (!paragraphs && !SPACES.test(safe)) return safe.trim();
  const parts = paragraphs ? safe.split(/\n[ \t]*\n/) : [safe];
  return parts
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

/** A character `clean` removes or replaces: controls, non-characters, surrogates (paired ones are checked one by one). */
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF\uD800-\uDFFF]/;
/** Whitespace that `clean` would change: a run of it, or any but a plain space. */
const SPACES = /\s\s|[^\S ]/;

/**
 * Straight quotes and apostrophes made typographic, as English is printed: `'` between letters or
 * after one (`grid's`, `the '90s`, `Jones'`) is an apostrophe ’; `'` and `"` are opening (‘ “)
 * at the start or after a space or opening bracket, closing (’ ”) elsewhere. Web addresses keep
 * theirs.
 */
export function curlyQuotes(text: string): string {
  if (!/['"]/.test(text)) return text;
  return text
    .split(/(\S*:\/\/\S*|\bwww\.\S+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/(^|[\s([{\u2014\u2013-])"/g, '$1\u201C')
            .replace(/"/g, '\u201D')
            .replace(/(^|[\s([{\u2014\u2013-])'(?=\d\ds\b)/g, '$1\u2019')
            .replace(/(^|[\s([{\u2014\u2013-])'/g, '$1\u2018')
            .replace(/'/g, '\u2019'),
    )
    .join('');
}

/** The bottom line and subtitle one audience reads: its own where the pack gives them, else the pack's. */
export function audienceView(pack: LocalizedPack, audience: string): { bluf: Text; subtitle: Text | null } {
  const own = Object.hasOwn(pack.perAudience, audience) ? pack.perAudience[audience] : undefined;
  return { bluf: own?.bluf ?? pack.bluf, subtitle: own?.subtitle ?? pack.subtitle };
}

/**
 * The pack as an audience that `extends` others sees it: where the pack gives the audience no
 * relevance, bottom line or subtitle of its own, those of its nearest ancestor that has one; and
 * every point, figure, quote and recommendation written for an ancestor is written for it too.
 * Without this, a new audience built on `policymaker` would lose everything the pack targets.
 */
export function inheritAudience(pack: LocalizedPack, id: string, ancestors: readonly string[]): LocalizedPack {
  if (ancestors.length === 0) return pack;
  const lineage = [id, ...ancestors];
  const widen = <T extends { audiences: string[] | null }>(x: T): T =>
    x.audiences && !x.audiences.includes(id) && x.audiences.some((a) => ancestors.includes(a))
      ? { ...x, audiences: [...x.audiences, id] }
      : x;
  const nearest = <V>(record: Record<string, V>, has: (v: V) => boolean = () => true): V | undefined => {
    for (const a of lineage) if (Object.hasOwn(record, a) && has(record[a]!)) return record[a];
    return undefined;
  };
  const own = nearest(pack.perAudience, (v) => v.bluf !== null);
  const ownSubtitle = nearest(pack.perAudience, (v) => v.subtitle !== null);
  return {
    ...pack,
    perAudience: {
      ...pack.perAudience,
      [id]: { bluf: own?.bluf ?? null, subtitle: ownSubtitle?.subtitle ?? null },
    },
    modules: pack.modules.map((m) => {
      const relevance = nearest(m.relevance);
      return {
        ...m,
        relevance: relevance === undefined ? m.relevance : { ...m.relevance, [id]: relevance },
        points: m.points.map(widen),
        facts: m.facts.map(widen),
        quotes: m.quotes.map(widen),
        recommendations: m.recommendations.map(widen),
      };
    }),
  };
}

/**
 * Sources that a short citation could not tell apart (the same authors, publisher and year, and
 * no `short` of the pack's own) get `a`, `b`, … after their year, in the pack's order.
 */
export function withYearLetters(sources: LSource[]): LSource[] {
  const key = (s: LSource) =>
    s.short === null && s.year !== null
      ? JSON.stringify([s.authors.map((a) => a.cite), s.authors.length === 0 ? s.title : '', s.publisher, s.year])
      : null;
  const count = new Map<string, number>();
  for (const s of sources) {
    const k = key(s);
    if (k !== null) count.set(k, (count.get(k) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  return sources.map((s) => {
    const k = key(s);
    if (k === null || count.get(k)! < 2) return s;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return { ...s, yearLetter: n < 26 ? String.fromCharCode(97 + n) : `-${n + 1}` };
  });
}
