// Formatting the planner needs: dates, citations, `{name}` placeholders in strings.
import { utcDate } from '../dates.js';
import type { Author } from '../model/content.js';
import type { LSource } from '../model/localized.js';
import type { PlanSource } from '../model/plan.js';
import type { Strings } from '../model/theme.js';

/** Fills `{name}` placeholders; unknown names stay as they are so a typo is visible. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(iso: string, strings: Strings): string {
  if (strings.dateFormat === 'iso') return iso;
  const locale = strings.dateLocale ?? strings.lang;
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, format);
  }
  return format.format(utcDate(iso));
}

/** `Kahl & Mitre`, `Romanello et al.`, `IEA`: the names a short citation gives. */
function authorsShort(authors: readonly Author[], strings: Strings): string {
  const names = authors.map((a) => a.cite);
  if (names.length === 0) return '';
  if (names.length === 1) return authors[0]!.andOthers ? `${names[0]} ${strings.citation.etAl ?? 'et al.'}` : names[0]!;
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} ${strings.citation.etAl ?? 'et al.'}`;
}

function authorsFull(list: readonly Author[], strings: Strings): string {
  const authors = list.map((a) => a.name);
  if (authors.length <= 1) return authors[0] ?? '';
  const and = strings.citation.and ?? 'and';
  // "A, B and C" in English; "A、B、C" where `and` is itself a separator.
  const joiner = /^\p{P}$/u.test(and) ? and : ` ${and} `;
  return `${authors.slice(0, -1).join(strings.citation.authorSep ?? ', ')}${joiner}${authors[authors.length - 1]}`;
}

/** A short form for slide footers: `Kahl & Mitre, Foreign Affairs (2025)`. */
export function shortCitation(source: LSource, strings: Strings): string {
  if (source.short) return source.short;
  const who = authorsShort(source.authors, strings) || source.title;
  const where = source.publisher ? `, ${source.publisher}` : '';
  const when = source.year ? ` (${source.year})` : '';
  return `${who}${where}${when}`;
}

/**
 * The full reference for source lists, in the language's citation style:
 * `Colin H. Kahl and Jim Mitre, “The Real AI Race”, Foreign Affairs, 2025.` or
 * `卡爾、米特，〈真正的人工智慧競賽〉，《外交事務》，2025。`
 */
export function fullCitation(source: LSource, strings: Strings): string {
  const c = strings.citation;
  const parts: string[] = [];
  const who = authorsFull(source.authors, strings);
  if (who) parts.push(who);
  parts.push(`${c.titleOpen ?? '“'}${source.title}${c.titleClose ?? '”'}`);
  if (source.publisher) parts.push(`${c.publisherOpen ?? ''}${source.publisher}${c.publisherClose ?? ''}`);
  if (source.date) parts.push(formatDate(source.date, strings));
  else if (source.year) parts.push(String(source.year));
  return `${parts.join(c.partSep ?? ', ')}${c.end ?? '.'}`;
}

export function planSources(sources: readonly LSource[], used: ReadonlySet<string>, strings: Strings): PlanSource[] {
  return sources
    .filter((s) => used.has(s.id))
    .map((s, i) => ({
      id: s.id,
      number: i + 1,
      citation: fullCitation(s, strings),
      short: shortCitation(s, strings),
      url: s.url ? new URL(s.url).href : null,
    }));
}

/** `Source: A` or `Sources: A; B` for a slide footer, or null when nothing is cited. */
export function sourceLine(ids: readonly string[], sources: readonly LSource[], strings: Strings): string | null {
  const cited = sources.filter((s) => ids.includes(s.id)).map((s) => shortCitation(s, strings));
  if (cited.length === 0) return null;
  const template = cited.length === 1 ? strings.deck.source : strings.deck.sourcesLine;
  return fill(template ?? '{list}', { list: cited.join(strings.punct.listSep ?? '; ') });
}
