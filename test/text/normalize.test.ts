import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseToc } from '../../src/ingest/toc-parser.js';
import type { ArticleCore } from '../../src/model.js';
import {
  ChangeLog,
  cleanKeywords,
  collapseWhitespace,
  fixAbstractTrailingDot,
  fixKeywordPunctuation,
  normalizeArticle,
  splitKeywordAtFullStops,
  stripXmlIllegal,
  titleCaseAllCapsWords,
  toAsciiDigits,
  toNfc,
  toPersianLetters,
} from '../../src/text/normalize.js';

const seed = parseToc(readFileSync(new URL('../../db/seed/issue-58-toc.txt', import.meta.url), 'utf8'), 'issue-58-toc.txt');

/** A seed article by its first page. */
function seedArticle(pageStart: number): ArticleCore {
  const a = seed.articles.find((x) => x.pageStart === pageStart);
  if (a === undefined) throw new Error(`no seed article at page ${pageStart}`);
  return a;
}

function article(overrides: Partial<ArticleCore> = {}): ArticleCore {
  return {
    pageStart: 1,
    pageEnd: 10,
    doi: null,
    landingUrl: null,
    titleFa: null,
    titleEn: null,
    abstractFa: 'چکیده.',
    abstractEn: 'Abstract.',
    keywordsFa: ['الف'],
    keywordsEn: ['A'],
    authors: [{ nameFa: 'علی', nameEn: 'Ali', corresponding: true }],
    ...overrides,
  };
}

describe('stripXmlIllegal', () => {
  it('removes C0 controls such as U+0003 and U+001A, keeping tab, LF, CR', () => {
    expect(stripXmlIllegal('a\u0003b\u001Ac\u0000d')).toBe('abcd');
    expect(stripXmlIllegal('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });
  it('removes U+FFFE, U+FFFF and lone surrogates, keeping pairs and ZWNJ', () => {
    expect(stripXmlIllegal('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(stripXmlIllegal('a\uD800b\uDC00c')).toBe('abc');
    expect(stripXmlIllegal('😀 اتاق\u200Cها')).toBe('😀 اتاق\u200Cها');
  });
});

describe('single rules', () => {
  it('toNfc composes', () => {
    expect(toNfc('e\u0301')).toBe('é');
    expect(toNfc('\u0627\u0653')).toBe('\u0622'); // alef + madda → آ
  });
  it('toPersianLetters maps Arabic ي ى ك to Persian ی ک', () => {
    expect(toPersianLetters('كيهان علي مصطفى')).toBe('کیهان علی مصطفی');
  });
  it('toAsciiDigits converts Persian and Arabic-Indic digits', () => {
    expect(toAsciiDigits('۱۴۰۱/۰۶/۳۱')).toBe('1401/06/31');
    expect(toAsciiDigits('٤٥-٦٧٨٩٠١٢٣')).toBe('45-67890123');
    expect(toAsciiDigits('page 7')).toBe('page 7');
  });
  it('collapseWhitespace trims and collapses runs, leaving ZWNJ alone', () => {
    expect(collapseWhitespace('  a \t b\n\n c  ')).toBe('a b c');
    expect(collapseWhitespace('اتاق های فکر')).toBe('اتاق های فکر'); // lost ZWNJ is not restored
  });
  it('fixAbstractTrailingDot removes a stray " ." and keeps the sentence stop', () => {
    expect(fixAbstractTrailingDot('lack of UN support. .')).toBe('lack of UN support.');
    expect(fixAbstractTrailingDot('lack of UN support .')).toBe('lack of UN support.');
    expect(fixAbstractTrailingDot('Why? .')).toBe('Why?');
    expect(fixAbstractTrailingDot('The U.S. is large.')).toBe('The U.S. is large.');
  });
  it('titleCaseAllCapsWords changes only all-capital words of 2+ letters', () => {
    expect(titleCaseAllCapsWords('ELAHEH KOOLAEE')).toBe('Elaheh Koolaee');
    expect(titleCaseAllCapsWords('HAJI-YOUSEFI')).toBe('Haji-Yousefi');
    expect(titleCaseAllCapsWords("O'BRIEN")).toBe("O'Brien");
    expect(titleCaseAllCapsWords('MohammadAli Haji-Yousefi')).toBe('MohammadAli Haji-Yousefi');
    expect(titleCaseAllCapsWords('John F. Kennedy')).toBe('John F. Kennedy');
  });
});

describe('keyword rules', () => {
  it('fixKeywordPunctuation repairs the seed quirks', () => {
    expect(fixKeywordPunctuation("China', s Development")).toBe("China's Development");
    expect(fixKeywordPunctuation('_ Iran')).toBe('Iran');
    expect(fixKeywordPunctuation('Divergence.')).toBe('Divergence');
    expect(fixKeywordPunctuation('U.S.A.')).toBe('U.S.A.');
    expect(fixKeywordPunctuation('I.R. of Iran')).toBe('I.R. of Iran');
    expect(fixKeywordPunctuation('"Eastern dependence"')).toBe('"Eastern dependence"');
  });

  it('splitKeywordAtFullStops splits a full stop used as a comma, not abbreviations', () => {
    expect(splitKeywordAtFullStops('Obama. Comparative study')).toEqual(['Obama', 'Comparative study']);
    expect(splitKeywordAtFullStops('U.S.A')).toEqual(['U.S.A']);
    expect(splitKeywordAtFullStops('I.R. of Iran')).toEqual(['I.R. of Iran']);
    expect(splitKeywordAtFullStops('U.S. Foreign Policy')).toEqual(['U.S. Foreign Policy']);
    expect(splitKeywordAtFullStops('St. Petersburg')).toEqual(['St. Petersburg']);
    expect(splitKeywordAtFullStops('Mrs. Thatcher')).toEqual(['Mrs. Thatcher']);
    expect(splitKeywordAtFullStops('Trump. Obama. Iran')).toEqual(['Trump', 'Obama', 'Iran']);
  });

  it('cleans the seed keyword list of article 2 (39-65)', () => {
    const log = new ChangeLog();
    expect(cleanKeywords(seedArticle(39).keywordsEn, 'en', log)).toEqual([
      'U.S.A',
      'I.R. of Iran',
      'Think Tank',
      'Trump',
      'Obama',
      'Comparative study',
    ]);
    expect(log.changes).toEqual([
      { field: 'keywordsEn', rule: 'keyword-split', before: 'Obama. Comparative study', after: 'Obama, Comparative study' },
    ]);
  });

  it('cleans the seed keyword list of article 7 (175-196), whose possessive the comma split cut', () => {
    const raw = seedArticle(175).keywordsEn;
    expect(raw).toContain("China'");
    const log = new ChangeLog();
    expect(cleanKeywords(raw, 'en', log)).toEqual([
      'New Silk Road Initiative',
      'interdependence',
      "China's Development",
      '25 year Cooperation Agreement',
      'Iran',
    ]);
    expect(log.changes.map((c) => [c.rule, c.before, c.after])).toEqual([
      ['keyword-punctuation', "China', s Development", "China's Development"],
      ['keyword-punctuation', '_ Iran', 'Iran'],
    ]);
  });

  it('repairs the possessive when the keyword arrives unsplit', () => {
    expect(cleanKeywords(["China', s Development"], 'en')).toEqual(["China's Development"]);
  });

  it('drops empty keywords and duplicates (case-insensitive in English), keeping the first', () => {
    const log = new ChangeLog();
    expect(cleanKeywords(['Iran', ' ', '_', 'iran', 'China', 'IRAN'], 'en', log)).toEqual(['Iran', 'China']);
    expect(log.changes.filter((c) => c.rule === 'keyword-duplicate').map((c) => c.before)).toEqual(['iran', 'IRAN']);
    expect(log.changes.filter((c) => c.rule === 'keyword-empty')).toHaveLength(2);
  });

  it('applies Persian letters to Persian keywords and dedupes them exactly', () => {
    const log = new ChangeLog();
    expect(cleanKeywords(['ايران', 'ایران', 'كشور'], 'fa', log)).toEqual(['ایران', 'کشور']);
    expect(log.changes.map((c) => c.rule)).toEqual(['persian-letters', 'persian-letters', 'keyword-duplicate']);
  });

  it('does not split Persian keywords at full stops', () => {
    expect(cleanKeywords(['ج.ا. ایران'], 'fa')).toEqual(['ج.ا. ایران']);
  });
});

describe('normalizeArticle', () => {
  it('fixes the trailing " ." of the seed article 1 English abstract', () => {
    const { article: a, changes } = normalizeArticle(seedArticle(7));
    expect(a.abstractEn?.endsWith('lack of UN support.')).toBe(true);
    expect(changes.map((c) => [c.field, c.rule])).toEqual([['abstractEn', 'abstract-trailing-dot']]);
  });

  it('title-cases ELAHEH KOOLAEE (seed article 8) and reports the field path', () => {
    const { article: a, changes } = normalizeArticle(seedArticle(197));
    expect(a.authors[0]).toEqual({ nameFa: 'الهه کولایی', nameEn: 'Elaheh Koolaee', corresponding: true });
    expect(changes).toEqual([
      { field: 'authors[0].nameEn', rule: 'title-case', before: 'ELAHEH KOOLAEE', after: 'Elaheh Koolaee' },
    ]);
  });

  it('reports exactly the seed quirks across all articles', () => {
    const all = seed.articles.flatMap((a) => normalizeArticle(a).changes.map((c) => `${a.pageStart}:${c.field}:${c.rule}`));
    expect(all).toEqual([
      '7:abstractEn:abstract-trailing-dot',
      '39:keywordsEn:keyword-split',
      '175:keywordsEn:keyword-punctuation',
      '175:keywordsEn:keyword-punctuation',
      '197:authors[0].nameEn:title-case',
    ]);
  });

  it('keeps lost half-spaces as they are', () => {
    const { article: a } = normalizeArticle(seedArticle(39));
    expect(a.abstractFa?.startsWith('اتاق های فکر')).toBe(true);
  });

  it('applies Arabic → Persian letters to Persian fields only', () => {
    const { article: a, changes } = normalizeArticle(
      article({
        titleFa: 'سياست خارجي',
        abstractFa: 'كشور.',
        abstractEn: 'The word علي stays.',
        keywordsFa: ['كيهان'],
        keywordsEn: ['علي'],
        authors: [{ nameFa: 'علي', nameEn: 'Ali', corresponding: false }],
      }),
    );
    expect(a.titleFa).toBe('سیاست خارجی');
    expect(a.abstractFa).toBe('کشور.');
    expect(a.keywordsFa).toEqual(['کیهان']);
    expect(a.authors[0]?.nameFa).toBe('علی');
    expect(a.abstractEn).toBe('The word علي stays.');
    expect(a.keywordsEn).toEqual(['علي']);
    expect(changes.filter((c) => c.rule === 'persian-letters').map((c) => c.field)).toEqual([
      'titleFa',
      'abstractFa',
      'keywordsFa',
      'authors[0].nameFa',
    ]);
  });

  it('strips U+0003 and U+001A, normalizes to NFC, trims, and reports each rule by field', () => {
    const { article: a, changes } = normalizeArticle(
      article({
        titleEn: '  Cafe\u0301 \u0003 Politics\n ',
        abstractEn: 'Line one\u001A\n\nline two. .',
        authors: [{ nameFa: ' علی ', nameEn: 'HAJI-YOUSEFI', corresponding: true }],
      }),
    );
    expect(a.titleEn).toBe('Café Politics');
    expect(a.abstractEn).toBe('Line one line two.');
    expect(a.authors[0]).toEqual({ nameFa: 'علی', nameEn: 'Haji-Yousefi', corresponding: true });
    expect(changes.map((c) => `${c.field}:${c.rule}`)).toEqual([
      'titleEn:xml-illegal',
      'titleEn:nfc',
      'titleEn:trim',
      'abstractEn:xml-illegal',
      'abstractEn:trim',
      'abstractEn:abstract-trailing-dot',
      'authors[0].nameFa:trim',
      'authors[0].nameEn:title-case',
    ]);
    expect(changes[0]).toEqual({
      field: 'titleEn',
      rule: 'xml-illegal',
      before: '  Cafe\u0301 \u0003 Politics\n ',
      after: '  Cafe\u0301  Politics\n ',
    });
  });

  it('turns a field that cleans to nothing into null', () => {
    const { article: a, changes } = normalizeArticle(article({ titleEn: ' \u0003 ' }));
    expect(a.titleEn).toBeNull();
    expect(changes.at(-1)).toMatchObject({ field: 'titleEn', rule: 'empty' });
  });

  it('does not modify its input', () => {
    const input = article({ titleEn: ' X ', keywordsEn: ['_ Y'] });
    const copy = structuredClone(input);
    normalizeArticle(input);
    expect(input).toEqual(copy);
  });

  it('is idempotent: normalizing a normalized article reports no changes', () => {
    const messy = article({
      titleFa: ' سياست ',
      abstractEn: 'A\u0003 b . ',
      keywordsEn: ["China'", 's Development', '_ Iran', 'Obama. Comparative study', 'iran', 'U.S.A.'],
      authors: [{ nameFa: 'كيهان', nameEn: 'KAYHAN BARZEGAR', corresponding: true }],
    });
    for (const a of [...seed.articles, messy]) {
      const once = normalizeArticle(a).article;
      expect(normalizeArticle(once).changes).toEqual([]);
    }
  });
});
