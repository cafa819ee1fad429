// What counts as a figure: a quantity, not a count of a list or a date.

/** Whether a figure is a quantity: a number with a unit or a share (`50%`, `5 GW`, `24 h`), not a bare count or a date. */
export function isQuantity(value: string): boolean {
  // Chinese writes amounts in words (`數十萬`, hundreds of thousands): a quantity too.
  if (/[十百千萬万億亿兆]/.test(value) && !/\d/.test(value)) return true;
  if (!/\d/.test(value)) return false;
  const bare = value.replace(/[\s\u00a0\u202f.,，、+~≈<>≥≤]/g, '');
  if (/^\d+$/.test(bare)) return false;
  // Dates and years: `Feb '25`, `2030 年`, `1962`, `2025/2`, `2025-02`, `9月`.
  if (
    /^(?:19|20)\d\d(?:年)?$/.test(bare) ||
    /^['’]\d\d$/.test(bare) ||
    /^(?:19|20)\d\d[/-]\d{1,2}(?:[/-]\d{1,2})?$/.test(bare)
  )
    return false;
  if (
    /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b/i.test(value) ||
    /\d+\s*月(?:\d+\s*日)?/.test(value)
  )
    return false;
  return true;
}

/** The shares and amounts a text states (`20%`, `5 GW`), normalised, to tell when two texts give the same figure. */
export function figuresIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(\d+(?:[.,]\d+)?)\s*(%|％|GW|gigawatts?|吉瓦)/gi))
    out.add(`${m[1]!.replace(',', '.')}${/[%％]/.test(m[2]!) ? '%' : 'GW'}`);
  return out;
}
