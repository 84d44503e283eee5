import { describe, expect, it } from 'vitest';
import { parsePersianOrdinal } from '../../src/text/persian-ordinals.js';
import { readSeasons } from '../../src/text/solar-hijri.js';

describe('Persian ordinals and seasons', () => {
  it.each([
    ['اول', 1],
    ['یکم', 1],
    ['سوم', 3],
    ['یازدهم', 11],
    ['هجدهم', 18],
    ['بیستم', 20],
    ['بیست و یکم', 21],
    ['سی‌ام', 30],
    ['سی و دوم', 32],
    ['صد و دوم', 102],
    ['12', 12],
  ])('%s is %i', (word, n) => {
    expect(parsePersianOrdinal(word)).toBe(n);
  });

  it('is null for anything else', () => {
    expect(parsePersianOrdinal('بسیار')).toBeNull();
    expect(parsePersianOrdinal('یازده')).toBeNull();
  });

  it('reads one season or two joined by و', () => {
    expect(readSeasons('بهار')).toEqual({ fa: 'بهار', en: 'Spring' });
    expect(readSeasons('پائیز  و  زمستان')).toEqual({ fa: 'پاییز و زمستان', en: 'Autumn and Winter' });
    expect(() => readSeasons('بهار و تابستان و پاییز')).toThrow(RangeError);
  });
});
