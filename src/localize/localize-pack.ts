// localize: ContentPack × language → LocalizedPack (plain strings in that language, with places).
// Pure. A value missing in the language is an error at that value.
import type { ContentPack, Localized } from '../model/content.js';
import { type Diagnostic, error } from '../model/diagnostic.js';
import type { Lang } from '../model/lang.js';
import type { LocalizedPack, Text } from '../model/localized.js';

export function localizePack(pack: ContentPack, lang: Lang): { pack: LocalizedPack | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!pack.languages.includes(lang)) {
    return {
      pack: null,
      diagnostics: [
        error('language-not-in-pack', `the pack \`${pack.id}\` has no \`${lang}\` text`, pack.span, `the pack's languages are ${pack.languages.map((l) => `\`${l}\``).join(', ')}; ask for one of them with \`--lang\``),
      ],
    };
  }
  const pick = (value: Localized, what: string, paragraphs = false): Text => {
    if (value.any !== null) return { text: clean(value.any, paragraphs), span: value.span };
    const v = value.byLang[lang];
    if (v) return { text: clean(v.text, paragraphs), span: v.span };
    diagnostics.push(error('missing-translation', `${what} has no \`${lang}\` text`, value.span, `add \`${lang}: …\` to this value`));
    return { text: '', span: value.span };
  };
  const pickOpt = (value: Localized | null, what: string, paragraphs = false): Text | null => (value ? pick(value, what, paragraphs) : null);

  const localized: LocalizedPack = {
    id: pack.id,
    lang,
    title: pick(pack.title, 'the title'),
    subtitle: pickOpt(pack.subtitle, 'the subtitle'),
    date: pack.date,
    author: pickOpt(pack.author, 'the author line'),
    bluf: pick(pack.bluf, 'the bottom line'),
    sources: pack.sources.map((s) => ({
      id: s.id,
      title: pick(s.title, `the title of source \`${s.id}\``).text,
      short: pickOpt(s.short, `the short citation of source \`${s.id}\``)?.text ?? null,
      authors: s.authors,
      publisher: pickOpt(s.publisher, `the publisher of source \`${s.id}\``)?.text ?? null,
      year: s.year,
      date: s.date,
      url: s.url,
      span: s.span,
    })),
    modules: pack.modules.map((m) => ({
      id: m.id,
      file: m.file,
      title: pick(m.title, 'the module title'),
      summary: pick(m.summary, 'the module summary'),
      relevance: m.relevance,
      points: m.points.map((p, i) => ({
        ref: `${m.id}/points/${i + 1}`,
        text: pick(p.text, `point ${i + 1}`),
        priority: p.priority,
        source: p.source,
        audiences: p.audiences,
      })),
      facts: m.facts.map((f, i) => ({
        ref: `${m.id}/facts/${i + 1}`,
        value: pick(f.value, `fact ${i + 1}`),
        label: pick(f.label, `the label of fact ${i + 1}`),
        source: f.source,
        audiences: f.audiences,
      })),
      quotes: m.quotes.map((q, i) => ({
        ref: `${m.id}/quotes/${i + 1}`,
        text: pick(q.text, `quote ${i + 1}`),
        by: pick(q.by, `the attribution of quote ${i + 1}`),
        source: q.source,
        paraphrased: q.paraphrased,
        audiences: q.audiences,
      })),
      recommendations: m.recommendations.map((r, i) => ({
        ref: `${m.id}/recommendations/${i + 1}`,
        text: pick(r.text, `recommendation ${i + 1}`),
        priority: r.priority,
        source: r.source,
        audiences: r.audiences,
      })),
      notes: pickOpt(m.notes, 'the speaker-notes text', true),
    })),
  };
  return { pack: diagnostics.length > 0 ? null : localized, diagnostics };
}

/**
 * Text as it will be set: single spaces, no control characters that break XML or PDF text, no
 * lone surrogates. With `paragraphs`, blank lines stay as paragraph breaks.
 */
export function clean(text: string, paragraphs = false): string {
  const safe = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const parts = paragraphs ? safe.split(/\n[ \t]*\n/) : [safe];
  return parts
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('\n\n');
}
