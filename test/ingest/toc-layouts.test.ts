import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseToc } from '../../src/ingest/toc-parser.js';
import { editLines, ISSUE_22, tocErrorOf } from './fixtures.js';

// The layouts the index site prints besides the seed's. No copy of such a page is kept, so these
// fixtures are built from what the layouts are known to look like; their articles are samples.
const fixture = (name: string) => fs.readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const VOLUME_TITLES = fixture('volume-titles-toc.txt');
const TWO_SEASONS = fixture('two-seasons-toc.txt');

const errorOf = (text: string) => tocErrorOf(text, 'doc.txt');
const edit = editLines;

describe('a volume issue line, a short name line, and titles on the bullet lines', () => {
  const doc = parseToc(VOLUME_TITLES, 'volume-titles-toc.txt');

  it('reads the short name, the journal name as printed, and the issue line', () => {
    expect(doc.shortNameFa).toBe('سیاست جهانی');
    expect(doc.journalNameFa).toBe('فصلنامه پژوهش‌های سیاست جهانی');
    expect(doc.issue).toEqual({ ...ISSUE_22, articleCount: 3 });
    expect(doc.lines).toEqual({ journal: 3, issue: 1 });
  });

  it('takes the bullet line as the title and the next line as the authors, and the abstract right after them', () => {
    expect(doc.articles.map((a) => [a.ordinal, a.pageStart, a.pageEnd, a.line])).toEqual([
      [1, 1, 24, 8],
      [2, 25, 48, 12],
      [3, 49, 70, 16],
    ]);
    const [first] = doc.articles;
    expect(first?.titleFa).toBe('همکاری منطقه‌ای در آسیای مرکزی پس از 2020');
    expect(first?.titleEn).toBe('Regional Cooperation in Central Asia after 2020');
    expect(first?.authors).toEqual([
      { nameFa: 'علی رضایی', nameEn: 'Ali Rezaei', corresponding: true },
      { nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: false },
    ]);
    expect(first?.abstractFa).toMatch(/^این نمونه آزمایشی است/);
    expect(first?.keywordsEn).toEqual(['regional cooperation', 'Central Asia']);
  });

  it('reads the issue line on its own line too, and the name without فصلنامه or نشریه', () => {
    const plain = edit(VOLUME_TITLES, { 1: 'پژوهش‌های سیاست جهانی', 3: 'سال یازدهم، شماره ۲ (پیاپی ۲۲، بهار و تابستان ۱۴۰۲)' });
    const again = parseToc(plain, 'doc.txt');
    expect(again.journalNameFa).toBe('پژوهش‌های سیاست جهانی');
    expect(again.shortNameFa).toBeNull();
    expect(again.issue).toEqual(doc.issue);
  });

  it('refuses a short name line and an issue line that disagree', () => {
    const e = errorOf(edit(VOLUME_TITLES, { 2: 'سال دوازدهم شماره 2 (پیاپی 22، بهار و تابستان 1402)' }));
    expect([e.line, e.field]).toEqual([2, 'number']);
  });

  it('refuses a title bullet whose next line is not an author line', () => {
    const e = errorOf(edit(VOLUME_TITLES, { 8: ' علی رضایی*، مریم احمدی' }));
    expect([e.line, e.field]).toEqual([8, 'pages']);
  });
});

describe('two seasons, two-space bullets, a single page and unknown pages', () => {
  const doc = parseToc(TWO_SEASONS, 'two-seasons-toc.txt');

  it('reads the seasons and the volume', () => {
    expect(doc.journalNameFa).toBe('نشریه مطالعات فرهنگی معاصر');
    expect(doc.issue).toMatchObject({ number: 5, volume: 3, numberInVolume: 1, seasonFa: 'پاییز و زمستان', seasonEn: 'Autumn and Winter', yearSolar: 1401, datePublished: '2023-03-16' });
  });

  it('reads `صفحه N` as one page and `صفحه 0` as pages not known, and pairs the blocks by order', () => {
    expect(doc.articles.map((a) => [a.ordinal, a.pageStart, a.pageEnd])).toEqual([
      [1, 1, 18],
      [2, 19, 19],
      [3, null, null],
    ]);
    expect(doc.articles[2]?.authors.map((a) => a.nameEn)).toEqual(['Leila Sadeghi', 'Amir Kazemi']);
    expect(doc.articles[2]?.keywordsFa).toEqual(['رسانه', 'جوانان']);
  });

  it('refuses blocks of different lengths when they pair by order', () => {
    const lines = TWO_SEASONS.split('\n');
    const e = errorOf(lines.slice(0, lines.length - 4).join('\n'));
    expect(e.field).toBe('articleCount');
  });

  it('refuses paired entries whose pages disagree', () => {
    const e = errorOf(edit(TWO_SEASONS, { 19: '  • Mohammad Jafari Page 20' }));
    expect([e.line, e.field]).toEqual([19, 'pages']);
  });

  it('refuses an unknown season, and an unreadable volume', () => {
    expect(errorOf(edit(TWO_SEASONS, { 2: 'سال سوم شماره 1 (پیاپی 5، پاییز و خزان 1401)' })).field).toBe('season');
    expect(errorOf(edit(TWO_SEASONS, { 2: 'سال بسیار شماره 1 (پیاپی 5، پاییز 1401)' })).field).toBe('volume');
  });
});
