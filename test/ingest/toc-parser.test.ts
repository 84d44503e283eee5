import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngestError, TocParseError } from '../../src/ingest/errors.js';
import { parseToc } from '../../src/ingest/toc-parser.js';
import { editLines, tocErrorOf } from './fixtures.js';
import { normalizeArticle } from '../../src/text/normalize.js';

const SEED_NAME = 'issue-58-toc.txt';
const seedText = readFileSync(new URL('../../db/seed/issue-58-toc.txt', import.meta.url), 'utf8');

describe('parseToc on the seed document', () => {
  const doc = parseToc(seedText, SEED_NAME);

  it('reads the header', () => {
    expect(doc.journalNameFa).toBe('فصلنامه مطالعات روابط بین الملل');
    expect(doc.shortNameFa).toBeNull();
    expect(doc.issue).toEqual({
      number: 58,
      volume: null,
      numberInVolume: null,
      seasonFa: 'تابستان',
      seasonEn: 'Summer',
      yearSolar: 1401,
      dateSolar: '1401/06/31',
      datePublished: '2022-09-22',
      articleCount: 8,
    });
  });

  it('finds 8 articles, in page order, paired by page range', () => {
    expect(doc.articles.map((a) => `${a.pageStart}-${a.pageEnd}`)).toEqual([
      '7-37',
      '39-65',
      '67-86',
      '89-111',
      '113-139',
      '141-174',
      '175-196',
      '197-217',
    ]);
    for (const a of doc.articles) {
      expect(a.abstractFa).toMatch(/\p{Script=Arabic}/u);
      expect(a.abstractEn).toMatch(/^[\x20-\x7E]+$/u);
    }
  });

  it('has no titles, DOIs or landing pages', () => {
    for (const a of doc.articles) {
      expect([a.titleFa, a.titleEn, a.doi, a.landingUrl]).toEqual([null, null, null, null]);
    }
  });

  it('reads the authors of article 1 with the corresponding author', () => {
    expect(doc.articles[0]?.authors).toEqual([
      { nameFa: 'حبیب الله ابوالحسن شیرازی', nameEn: 'Habibollah Abolhasanshirazi', corresponding: true },
      { nameFa: 'احسان جعفری فر', nameEn: 'Ehsan Jafari Far', corresponding: false },
    ]);
  });

  it('marks exactly one corresponding author per article, as the blocks agree', () => {
    expect(doc.articles.map((a) => a.authors.findIndex((x) => x.corresponding))).toEqual([0, 1, 1, 0, 1, 1, 1, 0]);
    expect(doc.articles.map((a) => a.authors.filter((x) => x.corresponding).length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(doc.articles.map((a) => a.authors.length)).toEqual([2, 3, 4, 1, 4, 2, 2, 2]);
  });

  it('keeps article 8 first English author raw; normalizeArticle title-cases it', () => {
    const a8 = doc.articles[7];
    if (a8 === undefined) throw new Error('missing article 8');
    expect(a8.authors[0]).toEqual({ nameFa: 'الهه کولایی', nameEn: 'ELAHEH KOOLAEE', corresponding: true });
    expect(normalizeArticle(a8).article.authors[0]).toEqual({
      nameFa: 'الهه کولایی',
      nameEn: 'Elaheh Koolaee',
      corresponding: true,
    });
  });

  it('splits keyword lists (raw, then normalized)', () => {
    expect(doc.articles.map((a) => a.keywordsFa.length)).toEqual([5, 6, 6, 5, 6, 4, 4, 6]);
    expect(doc.articles.map((a) => a.keywordsEn.length)).toEqual([5, 5, 7, 5, 6, 5, 6, 6]);
    const normalized = doc.articles.map((a) => normalizeArticle(a).article);
    expect(normalized.map((a) => a.keywordsFa.length)).toEqual([5, 6, 6, 5, 6, 4, 4, 6]);
    expect(normalized.map((a) => a.keywordsEn.length)).toEqual([5, 6, 7, 5, 6, 5, 5, 6]);
    expect(doc.articles[0]?.keywordsFa).toEqual(['اوکراین', 'قره باغ', 'ارمنستان', 'سیاست خارجی روسیه', 'کپنهاگ']);
    expect(doc.articles[1]?.keywordsEn).toEqual(['U.S.A', 'I.R. of Iran', 'Think Tank', 'Trump', 'Obama. Comparative study']);
  });

  it('returns raw values: the stray " ." after abstract 1 is still there', () => {
    expect(doc.articles[0]?.abstractEn?.endsWith('lack of UN support. .')).toBe(true);
  });

  it('accepts CRLF line endings and a BOM', () => {
    const crlf = parseToc(`\uFEFF${seedText.replace(/\n/g, '\r\n')}`, SEED_NAME);
    expect(crlf).toEqual(doc);
  });
});

/** A small valid document in the seed's layout, with Persian digits in the header and pages. */
const SMALL = [
  'فهرست مطالب', // 1
  '', // 2
  'فصلنامه آزمایشی', // 3
  'پیاپی ۱۲ (پاییز ۱۴۰۰)', // 4
  ' • تاریخ انتشار: ۱۴۰۰/۰۹/۳۰', // 5
  ' • تعداد عناوین: ۲', // 6
  '|', // 7
  ' • علی رضایی*، مریم احمدی صفحات ۱-۱۰', // 8
  '  چکیده اول.', // 9
  '  کلیدواژگان: الف، ب', // 10
  ' • حسن کریمی صفحات ۱۱-۲۰', // 11
  '  چکیده دوم.', // 12
  '  کلیدواژگان: ج، د, ه', // 13
  '|', // 14
  ' • Ali Rezaei *, Maryam Ahmadi Pages 1-10', // 15
  '  First abstract.', // 16
  '  Keywords: A, B', // 17
  ' • Hasan Karimi* Pages 11-20', // 18
  '  Second abstract.', // 19
  '  Keywords: C, D', // 20
];

/** SMALL with some lines replaced (`{ 8: '...' }`, 1-based) or removed (`null`). */
const edit = (changes: Record<number, string | null>): string => editLines(SMALL, changes);

/** The TocParseError that parsing `text` throws. */
const errorOf = (text: string): TocParseError => tocErrorOf(text, 'small.txt');

describe('parseToc on a small document', () => {
  it('reads Persian digits, the header and both blocks', () => {
    const doc = parseToc(SMALL.join('\n'));
    expect(doc.journalNameFa).toBe('فصلنامه آزمایشی');
    expect(doc.issue).toMatchObject({
      number: 12,
      seasonFa: 'پاییز',
      seasonEn: 'Autumn',
      yearSolar: 1400,
      dateSolar: '1400/09/30',
      datePublished: '2021-12-21',
      articleCount: 2,
    });
    expect(doc.articles.map((a) => [a.pageStart, a.pageEnd])).toEqual([
      [1, 10],
      [11, 20],
    ]);
    expect(doc.articles[1]?.keywordsFa).toEqual(['ج', 'د', 'ه']); // `،` and `,` mixed
    expect(doc.articles[1]?.authors).toEqual([{ nameFa: 'حسن کریمی', nameEn: 'Hasan Karimi', corresponding: true }]);
  });

  it('pairs by page range, not by position', () => {
    const swapped = [...SMALL.slice(0, 14), ...SMALL.slice(17, 20), ...SMALL.slice(14, 17)].join('\n');
    const doc = parseToc(swapped);
    expect(doc.articles.map((a) => [a.pageStart, a.abstractFa, a.abstractEn])).toEqual([
      [1, 'چکیده اول.', 'First abstract.'],
      [11, 'چکیده دوم.', 'Second abstract.'],
    ]);
  });

  it('accepts a document with no English block', () => {
    const doc = parseToc(SMALL.slice(0, 13).join('\n'));
    expect(doc.articles.map((a) => a.abstractEn)).toEqual([null, null]);
  });

  it('joins multi-line abstracts and skips blank lines anywhere', () => {
    const doc = parseToc(edit({ 9: '\n  چکیده\n\n  اول.\n' }));
    expect(doc.articles[0]?.abstractFa).toBe('چکیده\nاول.');
  });

  it('takes the corresponding author from either block', () => {
    const doc = parseToc(edit({ 8: ' • علی رضایی، مریم احمدی صفحات ۱-۱۰' }));
    expect(doc.articles[0]?.authors.map((a) => a.corresponding)).toEqual([true, false]);
  });
});

describe('parseToc on the titled variant', () => {
  const TITLED = [
    ...SMALL.slice(0, 7),
    'عنوان مقاله اول',
    SMALL[7],
    SMALL[8],
    SMALL[9],
    '',
    'عنوان مقاله دوم',
    SMALL[10],
    SMALL[11],
    SMALL[12],
    '|',
    'The First Article',
    SMALL[14],
    SMALL[15],
    SMALL[16],
    'The Second Article',
    SMALL[17],
    SMALL[18],
    SMALL[19],
  ].join('\n');

  it('reads the title line above each author line', () => {
    const doc = parseToc(TITLED);
    expect(doc.articles.map((a) => [a.titleFa, a.titleEn])).toEqual([
      ['عنوان مقاله اول', 'The First Article'],
      ['عنوان مقاله دوم', 'The Second Article'],
    ]);
    expect(doc.articles.map((a) => a.abstractEn)).toEqual(['First abstract.', 'Second abstract.']);
  });

  it('rejects two lines before an author line', () => {
    const e = errorOf(TITLED.replace('The Second Article', 'The Second\nArticle'));
    expect(e.message).toBe('small.txt:23: title: a second line after the title at line 22: expected the author line');
  });

  it('rejects a title with no entry after it', () => {
    expect(errorOf(`${TITLED}\nA dangling title`).message).toBe(
      'small.txt:26: title: a title line with no author line after it',
    );
  });
});

describe('parseToc errors', () => {
  it('is a TocParseError, an IngestError, with source, line and field', () => {
    const e = errorOf(edit({ 8: ' • علی رضایی*، مریم احمدی صفحات 7-x' }));
    expect(e).toBeInstanceOf(IngestError);
    expect(e.message).toBe('small.txt:8: pages: cannot read page range "7-x"');
    expect([e.source, e.line, e.field]).toEqual(['small.txt', 8, 'pages']);
  });

  it('names the seed file and line for a bad page range', () => {
    const broken = seedText.replace('Ehsan Jafari Far Pages 7-37', 'Ehsan Jafari Far Pages 7-x');
    expect(() => parseToc(broken, SEED_NAME)).toThrow('issue-58-toc.txt:42: pages: cannot read page range "7-x"');
  });

  it.each([
    ['journal name', { 3: null }, 6, 'journalName'],
    ['serial number line', { 4: null }, 6, 'number'],
  ])('missing header field: %s', (_name, changes, line, field) => {
    const e = errorOf(edit(changes));
    expect([e.line, e.field]).toEqual([line, field]);
    expect(e.message).toMatch(new RegExp(`^small\\.txt:${line}: ${field}: `));
  });

  // Some pages of the index site print neither: the issue is then read without them.
  it('a header without the publication date or the article count', () => {
    const withoutDate = parseToc(edit({ 5: null }), 'small.txt');
    expect([withoutDate.issue.dateSolar, withoutDate.issue.datePublished]).toEqual([null, null]);
    const withoutCount = parseToc(edit({ 6: null }), 'small.txt');
    expect(withoutCount.issue.articleCount).toBeNull();
    expect(withoutCount.articles).toHaveLength(2);
  });

  it.each([
    ['unreadable serial line', { 4: 'پیاپی دوازده' }, 4, 'number'],
    ['unknown season', { 4: 'پیاپی ۱۲ (خزان ۱۴۰۰)' }, 4, 'season'],
    ['unreadable date', { 5: ' • تاریخ انتشار: سی آذر' }, 5, 'dateSolar'],
    ['impossible date (Esfand 30 of a common year)', { 5: ' • تاریخ انتشار: ۱۴۰۰/۱۲/۳۰' }, 5, 'dateSolar'],
    ['unreadable count', { 6: ' • تعداد عناوین: دو' }, 6, 'articleCount'],
    ['unknown header line', { 2: 'یک سطر اضافه' }, 3, 'header'],
  ])('bad header: %s', (_name, changes, line, field) => {
    const e = errorOf(edit(changes));
    expect([e.line, e.field]).toEqual([line, field]);
  });

  it('missing first "|" separator', () => {
    expect(errorOf(edit({ 7: null })).message).toBe(
      'small.txt:7: separator: an entry before the "|" line that ends the header',
    );
    expect(errorOf(edit({ 7: null, 14: null })).message).toBe(
      'small.txt:7: separator: no "|" line between the header and the Persian block',
    );
  });

  it('missing second "|" separator', () => {
    expect(errorOf(edit({ 14: null })).message).toBe(
      'small.txt:14: separator: an English entry in the Persian block: is a "|" line missing?',
    );
  });

  it('a third "|" separator', () => {
    expect(errorOf(`${SMALL.join('\n')}\n|`).message).toMatch(/^small\.txt:21: separator: /);
  });

  it('a bullet line without a page range', () => {
    // Read as a title printed on the bullet line, so the line below it must be the author line.
    expect(errorOf(edit({ 11: ' • حسن کریمی' })).message).toBe(
      'small.txt:12: pages: expected the author line, ending in its pages, below the title at line 11',
    );
    expect(errorOf(edit({ 18: ' • Hasan Karimi* Pages' })).message).toBe(
      'small.txt:18: pages: the page label has no page range after it',
    );
  });

  it('a page range that starts after it ends', () => {
    expect(errorOf(edit({ 11: ' • حسن کریمی صفحات ۲۰-۱۱' })).message).toBe(
      'small.txt:11: pages: page range "20-11" starts after it ends',
    );
  });

  it('a duplicate page range within one block', () => {
    expect(errorOf(edit({ 18: ' • Hasan Karimi* Pages 1-10' })).message).toBe(
      'small.txt:18: pages: page range 1-10 is also used by the entry at line 15',
    );
  });

  it('a keyword line missing before the next entry', () => {
    expect(errorOf(edit({ 10: null })).message).toBe(
      'small.txt:10: keywords: no keyword line for the entry at line 8 before this entry',
    );
  });

  it('a keyword line missing at the end of a block', () => {
    expect(errorOf(edit({ 20: null })).message).toBe(
      "small.txt:18: keywords: the English block ends before this entry's keyword line",
    );
  });

  it('a keyword line with no entry', () => {
    expect(errorOf(edit({ 8: null, 9: null })).message).toMatch(/^small\.txt:8: keywords: /);
  });

  it('an abstract missing', () => {
    expect(errorOf(edit({ 16: null })).message).toBe(
      'small.txt:15: abstract: the entry has no abstract before its keyword line',
    );
  });

  it('the announced article count differs from the entries found', () => {
    expect(errorOf(edit({ 6: ' • تعداد عناوین: ۳' })).message).toBe(
      'small.txt:6: articleCount: the header announces 3 articles but the document has 2',
    );
  });

  it('blocks with different article counts', () => {
    expect(errorOf(edit({ 18: null, 19: null, 20: null })).message).toBe(
      'small.txt:11: articleCount: the Persian block has 2 entries and the English block 1: page range 11-20 of the Persian block has no English entry',
    );
  });

  it('a page range found in one block only', () => {
    expect(errorOf(edit({ 18: ' • Hasan Karimi* Pages 11-21' })).message).toBe(
      'small.txt:11: pages: page range 11-20 of the Persian block has no English entry',
    );
  });

  it('different author counts in the two blocks', () => {
    expect(errorOf(edit({ 18: ' • Hasan Karimi*, Extra Person Pages 11-20' })).message).toBe(
      'small.txt:18: authors: 2 English authors but 1 Persian ones (line 11)',
    );
  });

  it('different corresponding authors in the two blocks', () => {
    expect(errorOf(edit({ 15: ' • Ali Rezaei, Maryam Ahmadi * Pages 1-10' })).message).toBe(
      'small.txt:15: authors: the corresponding authors differ from those marked in the Persian entry (line 8)',
    );
  });

  it('an author line without names', () => {
    expect(errorOf(edit({ 15: ' • Pages 1-10' })).field).toBe('authors');
  });

  it('uses a default source name', () => {
    expect(() => parseToc(edit({ 4: null }))).toThrow(/^toc:6: number: /);
  });
});
