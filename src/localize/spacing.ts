// One spacing rule for every output. Chinese text carries no space between a Chinese character (or
// fullwidth punctuation) and Latin letters or digits: 2025年, DeepSeek等, （2025）. This is the
// formal style of mainland and Taiwan government writing alike. The deck, the memo and the handout
// all get the same text, so they cannot disagree. A number keeps its unit on the same line through
// a no-break space (5 GW), which every viewer honours; a plain space is a break opportunity to
// PowerPoint and LibreOffice, whatever our own line breaker decides.

/** Han, kana, CJK symbols and punctuation, and fullwidth forms, as a character-class range. */
export const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef';
const LATIN = 'A-Za-z0-9';
const SPACE_AFTER_CJK = new RegExp(`([${CJK}])[ \\t]+(?=[${LATIN}$€£¥(\\[])`, 'g');
const SPACE_BEFORE_CJK = new RegExp(`([${LATIN}%‰°)\\].,;:!?])[ \\t]+(?=[${CJK}])`, 'g');

/** Removes the spaces between Chinese and Latin text (see the module comment). */
export function cjkSpacing(text: string): string {
  return text.replace(SPACE_AFTER_CJK, '$1').replace(SPACE_BEFORE_CJK, '$1');
}

/**
 * A unit written after a number and a space (`5 GW`, `24 h`, `3 bn`): the line breaker keeps the
 * two together (`keepsTogether` in layout/break-lines.ts), and `bindUnits` writes the space as a
 * no-break space, so both follow this one list.
 */
export const UNIT_AFTER_SPACE =
  /^(?:[kMGT]Wh?|Wh?|h|min|s|ms|km|cm|mm|m|kg|g|t|Mt|Gt|bn|tn|[KMGTP]B|[MG]bps|%|‰|°C?|pp|pt)(?![A-Za-z0-9])/;
const NUMBER_SPACE = /(\d) (?=\S)/g;

/** Joins a number and its unit with a no-break space: `5 GW` → `5\u00a0GW`. */
export function bindUnits(text: string): string {
  return text.replace(NUMBER_SPACE, (whole, digit: string, at: number) =>
    UNIT_AFTER_SPACE.test(text.slice(at + 2, at + 8)) ? `${digit}\u00a0` : whole,
  );
}

/** Whether the language is written in Chinese characters. */
export function isChinese(lang: string): boolean {
  return lang.startsWith('zh');
}

/** The spacing rule for a language: Chinese spacing where it applies, units bound everywhere. */
export function spaced(text: string, lang: string): string {
  return bindUnits(isChinese(lang) ? cjkSpacing(text) : text);
}
