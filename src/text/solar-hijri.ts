/**
 * Solar Hijri (Persian calendar) → Gregorian conversion.
 *
 * The calendar's leap rule is astronomical, so no hand-written algorithm is the source of truth
 * here: we make a cheap arithmetic estimate and then let ICU's Persian calendar (via `Intl`)
 * confirm it, stepping a few days either way until it agrees.
 */
import { collapseWhitespace, toNfc, toPersianLetters } from './normalize.js';

const DAY_MS = 86_400_000;
/** How far (in days) from the estimate we look for the date Intl agrees on. */
const SEARCH_WINDOW = 3;

// Made at first use: a Persian-calendar formatter pages several MiB of ICU data into the
// process, which a server that converts no date (it serves what imports stored) never needs.
let persianFormat: Intl.DateTimeFormat | undefined;

/** The Solar Hijri year/month/day that ICU gives for a UTC instant. */
function solarPartsOf(date: Date): { y: number; m: number; d: number } {
  persianFormat ??= new Intl.DateTimeFormat('en-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
  const parts = persianFormat.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** Days since 1 Farvardin if months 1–6 have 31 days and 7–11 have 30 (exact within the year). */
function dayOfYear(m: number, d: number): number {
  return m <= 6 ? (m - 1) * 31 + (d - 1) : 186 + (m - 7) * 30 + (d - 1);
}

/**
 * Converts a Solar Hijri date to ISO `YYYY-MM-DD` (Gregorian), e.g. 1401/06/31 → `2022-09-22`.
 * @throws RangeError when the date does not exist (month 13, day 32, Esfand 30 in a common year…).
 */
export function solarHijriToGregorian(y: number, m: number, d: number): string {
  if (![y, m, d].every((n) => Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`not a Solar Hijri date: ${y}/${m}/${d}`);
  }
  // Estimate: 1 Farvardin ≈ 21 March of y + 621 (it falls on 19–22 March).
  const estimate = Date.UTC(y + 621, 2, 21) + dayOfYear(m, d) * DAY_MS;
  for (let step = 0; step <= SEARCH_WINDOW; step++) {
    for (const offset of step === 0 ? [0] : [-step, step]) {
      const candidate = new Date(estimate + offset * DAY_MS);
      const p = solarPartsOf(candidate);
      if (p.y === y && p.m === m && p.d === d) return candidate.toISOString().slice(0, 10);
    }
  }
  throw new RangeError(`no such Solar Hijri date: ${y}/${m}/${d}`);
}

/**
 * The Solar Hijri date, `YYYY/MM/DD` as the journal prints it, of a Gregorian ISO `YYYY-MM-DD`:
 * the inverse of solarHijriToGregorian, by ICU's Persian calendar.
 */
export function gregorianToSolarHijri(iso: string): string {
  const { y, m, d } = solarPartsOf(new Date(`${iso}T00:00:00Z`));
  return `${y}/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`;
}

/** Persian season names (normalized spelling) → English. */
const SEASONS: Readonly<Record<string, string>> = {
  'بهار': 'Spring',
  'تابستان': 'Summer',
  'پاییز': 'Autumn',
  'پائیز': 'Autumn', // common spelling with hamza
  'زمستان': 'Winter',
};

/**
 * English name of a Persian season: بهار→Spring, تابستان→Summer, پاییز/پائیز→Autumn, زمستان→Winter.
 * Arabic ي/ك spellings are accepted.
 * @throws RangeError for anything else.
 */
export function persianSeasonToEnglish(season: string): string {
  const key = toPersianLetters(collapseWhitespace(toNfc(season)));
  const en = Object.hasOwn(SEASONS, key) ? SEASONS[key] : undefined;
  if (en === undefined) throw new RangeError(`unknown season: "${season}"`);
  return en;
}

/**
 * A season as an issue line prints it, one season or two joined by `و` (`بهار و تابستان` for a
 * double issue): the Persian with one spelling and single spaces, and the English
 * (`Spring and Summer`).
 * @throws RangeError when a part is not a season.
 */
export function readSeasons(text: string): { fa: string; en: string } {
  const parts = toPersianLetters(collapseWhitespace(toNfc(text))).split(/\s+و\s+/u);
  if (parts.length > 2 || new Set(parts).size < parts.length) throw new RangeError(`not one season or two different ones: "${text}"`);
  const en = parts.map(persianSeasonToEnglish);
  return { fa: parts.map((p) => (p === 'پائیز' ? 'پاییز' : p)).join(' و '), en: en.join(' and ') };
}
