import { describe, expect, it } from 'vitest';
import { persianSeasonToEnglish, solarHijriToGregorian } from '../../src/text/solar-hijri.js';

describe('solarHijriToGregorian', () => {
  it.each([
    [1401, 6, 31, '2022-09-22'], // the seed issue's publication date
    [1401, 1, 1, '2022-03-21'],
    [1399, 12, 30, '2021-03-20'], // Esfand 30 exists: 1399 is a leap year
    [1400, 12, 29, '2022-03-20'],
    [1403, 1, 1, '2024-03-20'], // Nowruz on 20 March
    [1403, 12, 30, '2025-03-20'], // 1403 is a leap year
    [1404, 7, 1, '2025-09-23'], // first 30-day month
    [1400, 9, 30, '2021-12-21'],
    [1354, 1, 1, '1975-03-21'],
  ])('%i/%i/%i → %s', (y, m, d, iso) => {
    expect(solarHijriToGregorian(y, m, d)).toBe(iso);
  });

  it.each([
    [1401, 13, 1], // no 13th month
    [1401, 1, 32], // months 1–6 have 31 days
    [1401, 7, 31], // months 7–11 have 30 days
    [1400, 12, 30], // 1400 is not a leap year
    [1401, 0, 1],
    [1401, 1, 0],
    [1401.5, 1, 1],
  ])('rejects %s/%s/%s with a RangeError', (y, m, d) => {
    expect(() => solarHijriToGregorian(y, m, d)).toThrow(RangeError);
  });
});

describe('persianSeasonToEnglish', () => {
  it.each([
    ['بهار', 'Spring'],
    ['تابستان', 'Summer'],
    ['پاییز', 'Autumn'],
    ['پائیز', 'Autumn'],
    ['پاييز', 'Autumn'], // Arabic yeh
    [' زمستان ', 'Winter'],
  ])('%s → %s', (fa, en) => {
    expect(persianSeasonToEnglish(fa)).toBe(en);
  });

  it('throws on anything else', () => {
    expect(() => persianSeasonToEnglish('Summer')).toThrow(RangeError);
    expect(() => persianSeasonToEnglish('')).toThrow(RangeError);
    expect(() => persianSeasonToEnglish('toString')).toThrow(RangeError);
  });
});
