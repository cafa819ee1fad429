// The paper a PDF is set on: what the theme names for the language, else what the locale uses.

export type Paper = 'a4' | 'letter';

/**
 * Where US Letter is the usual paper (the United States, Canada, Mexico, the Philippines and most
 * of Central America and the north of South America); everywhere else uses A4 (ISO 216).
 */
const LETTER_REGIONS = new Set([
  'US',
  'CA',
  'MX',
  'PH',
  'PR',
  'GU',
  'VI',
  'AS',
  'MP',
  'UM',
  'BZ',
  'CL',
  'CO',
  'CR',
  'DO',
  'GT',
  'NI',
  'PA',
  'SV',
  'VE',
]);

/**
 * The paper for a document in `langTag` (`en-GB`, `zh-TW`, `en-US`): `chosen` when the theme names
 * one for the language, else Letter in the regions above and A4 everywhere else, A4 too when the
 * tag names no region.
 */
export function paperFor(langTag: string, chosen?: Paper): Paper {
  if (chosen) return chosen;
  // A region is the first subtag of two letters or three digits after the language.
  const region = langTag
    .split('-')
    .slice(1)
    .find((s) => /^[A-Za-z]{2}$|^\d{3}$/.test(s));
  return region && LETTER_REGIONS.has(region.toUpperCase()) ? 'letter' : 'a4';
}
