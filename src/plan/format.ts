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

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const monthFirst = (y: number, m: number, d: number) => `${MONTHS[m - 1]} ${d}, ${y}`;
const chinese = (y: number, m: number, d: number) => `${y}年${m}月${d}日`;
// The Republic of China's era from 1912 (ICU counts earlier years back, in the Julian calendar
// before 1582: those go to Intl).
const minguo = (y: number, m: number, d: number) => (y >= 1912 ? `民國${y - 1911}年${m}月${d}日` : null);

/**
 * Long dates exactly as ICU writes them for the locales of the built-in strings and audiences
 * (tests/plan.test.ts compares them with Intl's), so the usual run does not build ICU's date
 * formatter, which costs 10–50 ms on first use. Other locales go to Intl.
 */
const LONG_DATES: Readonly<Record<string, (y: number, m: number, d: number) => string | null>> = Object.freeze({
  'en-GB': (y, m, d) => `${d} ${MONTHS[m - 1]} ${y}`,
  'en-US': monthFirst,
  en: monthFirst,
  zh: chinese,
  'zh-CN': chinese,
  'zh-TW': chinese,
  'zh-HK': chinese,
  'zh-Hans': chinese,
  'zh-Hant': chinese,
  'zh-TW-u-ca-roc': minguo,
});

export function formatDate(iso: string, strings: Strings): string {
  if (strings.dateFormat === 'iso') return iso;
  const locale = strings.dateLocale ?? strings.lang;
  const known = Object.hasOwn(LONG_DATES, locale) ? LONG_DATES[locale] : undefined;
  if (known) {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const text = known(y, m, d);
    if (text !== null) return text;
  }
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

/**
 * A short form for slide footers: `Kahl & Mitre, Foreign Affairs (2025)`, followed by the source
 * it was read in when it has a `via` (`…, via 國華P`). A `short` the pack writes is used as written.
 */
export function shortCitation(source: LSource, strings: Strings, via?: LSource): string {
  if (source.short) return source.short;
  const who = authorsShort(source.authors, strings) || source.title;
  const where = source.publisher ? `, ${source.publisher}` : '';
  const when = source.year ? ` (${source.year}${source.yearLetter ?? ''})` : '';
  const short = `${who}${where}${when}`;
  if (!via) return short;
  return fill(strings.citation.viaShort ?? '{short}, via {by}', {
    short,
    by: authorsShort(via.authors, strings) || via.title,
  });
}

/** The source `source` was read in, if it names one the pack has. */
function viaOf(source: LSource, sources: readonly LSource[]): LSource | undefined {
  return source.via ? sources.find((s) => s.id === source.via && s.id !== source.id) : undefined;
}

/**
 * The full reference for source lists, in the language's citation style:
 * `Colin H. Kahl and Jim Mitre, “The Real AI Race”, Foreign Affairs, 2025.` or
 * `卡爾、米特，〈真正的人工智慧競賽〉，《外交事務》，2025。`
 */
export function fullCitation(source: LSource, strings: Strings, via?: LSource): string {
  const c = strings.citation;
  const parts: string[] = [];
  const who = authorsFull(source.authors, strings);
  if (who) parts.push(who);
  parts.push(`${c.titleOpen ?? '“'}${source.title}${c.titleClose ?? '”'}`);
  if (source.publisher) parts.push(`${c.publisherOpen ?? ''}${source.publisher}${c.publisherClose ?? ''}`);
  if (source.date) parts.push(formatDate(source.date, strings));
  else if (source.year) parts.push(`${source.year}${source.yearLetter ?? ''}`);
  // Read through another source (a summary, a translation): `as summarised by 國華P (20 October 2025)`.
  if (via) {
    const by = authorsShort(via.authors, strings) || via.title;
    const when = via.date ? formatDate(via.date, strings) : via.year ? String(via.year) : '';
    parts.push(
      fill(when ? (c.via ?? 'as summarised by {by} ({date})') : (c.viaUndated ?? 'as summarised by {by}'), {
        by,
        date: when,
      }),
    );
  }
  return `${parts.join(c.partSep ?? ', ')}${c.end ?? '.'}`;
}

/**
 * The sources a briefing lists: those it cites, and the sources they were read in (`via`), which
 * are sources of everything said through them.
 */
export function planSources(sources: readonly LSource[], used: ReadonlySet<string>, strings: Strings): PlanSource[] {
  const listed = new Set(used);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of sources) {
      const via = listed.has(s.id) ? viaOf(s, sources) : undefined;
      if (via && !listed.has(via.id)) {
        listed.add(via.id);
        grew = true;
      }
    }
  }
  return sources
    .filter((s) => listed.has(s.id))
    .map((s, i) => ({
      id: s.id,
      number: i + 1,
      citation: fullCitation(s, strings, viaOf(s, sources)),
      short: shortCitation(s, strings, viaOf(s, sources)),
      url: s.url ? new URL(s.url).href : null,
    }));
}

/** `Source: A` or `Sources: A; B` for a slide footer, or null when nothing is cited. */
export function sourceLine(ids: readonly string[], sources: readonly LSource[], strings: Strings): string | null {
  const cited = sources.filter((s) => ids.includes(s.id)).map((s) => shortCitation(s, strings, viaOf(s, sources)));
  if (cited.length === 0) return null;
  const template = cited.length === 1 ? strings.deck.source : strings.deck.sourcesLine;
  return fill(template ?? '{list}', { list: cited.join(strings.punct.listSep ?? '; ') });
}
