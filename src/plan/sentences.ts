// Sentence splitting for speaker notes, which are shared out over a module's slides sentence by
// sentence. The pieces always join back into the input, so a note can be moved but never lost.
// A full stop inside a number (2.5), a domain or URL (example.org/report), an abbreviation
// (e.g., U.S., Dr.) or an initial (Colin H. Kahl) does not end a sentence. Where it is unclear,
// it does not split: a missed break only makes one slide's share longer, while a wrong one starts
// the next slide's notes mid-sentence.

const STOPS = new Set(['.', '!', '?', '。', '！', '？']);
/** Chinese stops end a sentence with no space after them. */
const FULL_WIDTH_STOPS = new Set(['。', '！', '？']);
const CLOSERS = new Set(['"', "'", '”', '’', '」', '』', ')', '）', ']', '］', '】', '》', '〉']);
/** Closers after which an abbreviation still reads as mid-sentence: `(… etc.) are`. */
const BRACKETS = new Set([')', '）', ']', '］']);
/** Abbreviations that (nearly) never end a sentence, lower-cased, without their dots. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'rev',
  'hon',
  'gen',
  'col',
  'lt',
  'capt',
  'sgt',
  'adm',
  'gov',
  'sen',
  'rep',
  'pres',
  'amb',
  'vs',
  'cf',
  'etc',
  'al',
  'eg',
  'ie',
  'viz',
  'esp',
  'incl',
  'approx',
  'ca',
  'inc',
  'ltd',
  'co',
  'corp',
  'dept',
  'univ',
  'assn',
]);
/** Abbreviations that come before a number: `No. 5`, `p. 12`, `Sept. 11`. "No." alone is a word. */
const BEFORE_NUMBERS = new Set([
  'no',
  'nos',
  'nr',
  'p',
  'pp',
  'vol',
  'vols',
  'ch',
  'sec',
  'art',
  'para',
  'fig',
  'figs',
  'ed',
  'ver',
  'v',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);
/** Longer than any abbreviation or dotted initials this file knows. */
const MAX_TOKEN = 12;
// Character classes as ranges, not Unicode property escapes: `\p{Script=Han}` and `\p{L}` load
// ICU's property data on first use, which cost a cold deck some 10 ms. Abbreviations and initials
// are Latin; Chinese, Japanese and Korean text is what may follow a stop with no space.
const LATIN = 'A-Za-z\u00C0-\u024F';
const WORD_CHAR = new RegExp(`[${LATIN}0-9.]`);
const SPACE = /\s/;
const CJK = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]|[\uD840-\uD8BF][\uDC00-\uDFFF]/;
const LOWER = /^[a-z\u00DF-\u00F6\u00F8-\u00FF]/;
const CAPITAL = /^[A-Z\u00C0-\u00D6\u00D8-\u00DE]$/;
const DIGIT = /^[0-9\uFF10-\uFF19]/;
const DOTTED = new RegExp(`^(?:[${LATIN}]{1,2}\\.)+[${LATIN}]{1,2}$`);

/**
 * Splits `text` into sentences. Each keeps its terminator, any closing quotes or brackets, and
 * the whitespace after it, so `splitSentences(t).join('') === t` whenever `t` is not blank; a
 * blank text has no sentences. Text after the last terminator is a sentence of its own.
 */
export function splitSentences(text: string): string[] {
  if (text.trim() === '') return [];
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (!STOPS.has(text[i]!)) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < text.length && STOPS.has(text[i]!)) i++;
    const closersStart = i;
    while (i < text.length && CLOSERS.has(text[i]!)) i++;
    let next = i;
    while (next < text.length && SPACE.test(text[next]!)) next++;
    if (next < text.length && endsSentence(text, runStart, closersStart, i, next)) {
      out.push(text.slice(start, next));
      start = next;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Whether the stops at `runStart` (closed by text[closersStart, after)) end a sentence, given
 * that the next one would start at `next`.
 */
function endsSentence(text: string, runStart: number, closersStart: number, after: number, next: number): boolean {
  const run = text.slice(runStart, closersStart);
  if ([...run].some((c) => FULL_WIDTH_STOPS.has(c))) return true;
  // Without a space after it, a stop is inside a number, a URL or a word (2.5, example.org, U.S.),
  // unless Chinese text follows at once.
  const spaced = next > after;
  const following = String.fromCodePoint(text.codePointAt(next)!);
  if (!spaced && !CJK.test(following)) return false;
  // English sentences start with a capital; a lower-case word goes on the same sentence.
  if (spaced && LOWER.test(following)) return false;
  if (/[^.]/.test(run)) return true;
  const closers = [...text.slice(closersStart, after)];
  if (!closers.every((c) => BRACKETS.has(c))) return true;
  // Abbreviations are short; stopping the look back keeps a long run of `中.中.中` linear.
  let tokenStart = runStart;
  while (tokenStart > 0 && runStart - tokenStart <= MAX_TOKEN && WORD_CHAR.test(text[tokenStart - 1]!)) tokenStart--;
  if (runStart - tokenStart > MAX_TOKEN) return true;
  const token = text.slice(tokenStart, runStart).replace(/^\.+/, '');
  const lower = token.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return false;
  if (BEFORE_NUMBERS.has(lower) && DIGIT.test(following)) return false;
  // A single capital is an initial (Colin H. Kahl); letters between dots are one (U.S., e.g., Ph.D.).
  if (CAPITAL.test(token)) return false;
  if (DOTTED.test(token)) return false;
  return true;
}
