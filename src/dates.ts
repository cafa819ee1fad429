// Calendar dates as the tool takes them (YYYY-MM-DD, from --date, SOURCE_DATE_EPOCH, a pack or a
// build config): only days that exist, years 1 to 9999, so every output format can write them.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysIn(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
}

/** Whether `text` is a real day written as YYYY-MM-DD (`2025-02-30` and `0000-00-00` are not). */
export function isCalendarDate(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}

/** The last second the tool can date a document with: 9999-12-31T23:59:59Z. */
const LAST_SECOND = 253_402_300_799;

/** The UTC day of a count of seconds since 1970 (SOURCE_DATE_EPOCH), or null when out of range. */
export function dateFromEpoch(seconds: string): string | null {
  const digits = /^0*(\d{1,12})$/.exec(seconds)?.[1];
  if (digits === undefined) return null;
  const n = Number(digits);
  return n <= LAST_SECOND ? new Date(n * 1000).toISOString().slice(0, 10) : null;
}

/**
 * A UTC Date for a YYYY-MM-DD day at `hour`. `Date.UTC` reads years 0–99 as 1900–1999; setting
 * the full year does not.
 */
export function utcDate(iso: string, hour = 0): Date {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(2000, 0, 1, hour));
  date.setUTCFullYear(y, m - 1, d);
  return date;
}
