import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, parseCsv } from '../../src/ingest/csv.js';
import { CsvError, IngestError, LocatedError } from '../../src/ingest/errors.js';
import { ISSUE_22, thrown } from './fixtures.js';

const SOURCE = 'sheet.csv';

/** A sheet from its lines, with the line ending and BOM a spreadsheet program might write. */
function sheet(lines: readonly string[], { eol = '\n', bom = false }: { eol?: string; bom?: boolean } = {}): string {
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

/** The CsvError parseCsv throws for a sheet; fails the test when it throws nothing or something else. */
function errorOf(text: string): CsvError {
  return thrown(() => parseCsv(text, SOURCE), CsvError);
}

const FULL_HEADER =
  'Journal, Issue ,volume,number,season,year,date,pages,id,doi,url,title_fa,title_en,title_source_fa,title_source_en,' +
  'abstract_fa,abstract_en,keywords_fa,keywords_en,authors_fa,authors_en';

/**
 * Line 1 header; line 2–3 one row (a quoted abstract with a line break); line 4 blank; line 5 a
 * row with a quoted comma and `""`; line 6 a row of blanks as spreadsheets export it; line 7 a
 * row that fills only the issue.
 */
const FULL_LINES = [
  FULL_HEADER,
  'jir,22,11,2,بهار و تابستان,1402,۱۴۰۲/۰۶/۳۱,7-37,58-7,10.5555/jir.2023.22.1,https://jir.example.org/article_1.html,' +
    'عنوان نمونه,Sample Title,toc-22.txt,site,"چکیده نمونه، با ویرگول.","First line of the abstract,\nsecond line.",' +
    'کلید یک؛ کلید دو,one; two;,علی رضایی*؛ مریم احمدی,Ali Rezaei; Maryam Ahmadi',
  '',
  'jir,22,11,2,,,,39-65,,,,,"A Title, With a Comma",,,,"He said ""hello"".",,,مریم احمدی,Maryam Ahmadi*',
  ',,,,,,,,,,,,,,,,,,,,',
  ',22,,,,,,,,,,,,,,,,,,,',
];

const FULL_EXPECTED = [
  {
    issue: { ...ISSUE_22, line: 2 },
    journalNameFa: null,
    journalCode: 'jir',
    journalLine: 2,
    complete: false,
    articles: [
      {
        line: 2,
        ordinal: 1,
        pageStart: 7,
        pageEnd: 37,
        id: '58-7',
        doi: '10.5555/jir.2023.22.1',
        landingUrl: 'https://jir.example.org/article_1.html',
        titleFa: 'عنوان نمونه',
        titleEn: 'Sample Title',
        titleSourceFa: 'toc-22.txt',
        titleSourceEn: 'site',
        abstractFa: 'چکیده نمونه، با ویرگول.',
        abstractEn: 'First line of the abstract,\nsecond line.',
        keywordsFa: ['کلید یک', 'کلید دو'],
        keywordsEn: ['one', 'two'],
        authors: [
          { nameFa: 'علی رضایی', nameEn: 'Ali Rezaei', corresponding: true },
          { nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: false },
        ],
      },
      {
        line: 5,
        ordinal: 2,
        pageStart: 39,
        pageEnd: 65,
        titleEn: 'A Title, With a Comma',
        abstractEn: 'He said "hello".',
        authors: [{ nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: true }],
      },
      { line: 7, ordinal: 3, pageStart: null, pageEnd: null },
    ],
  },
];

describe('parseCsv on a full sheet with author lists', () => {
  it.each([
    { name: 'LF, no BOM', eol: '\n', bom: false },
    { name: 'LF, BOM', eol: '\n', bom: true },
    { name: 'CRLF, no BOM', eol: '\r\n', bom: false },
    { name: 'CRLF, BOM', eol: '\r\n', bom: true },
  ])('reads every column ($name)', ({ eol, bom }) => {
    // A line break inside a quoted cell is written with the file's own line ending.
    const text = sheet(FULL_LINES, { eol, bom }).replace('abstract,\nsecond', `abstract,${eol}second`);
    expect(parseCsv(text, SOURCE)).toEqual(FULL_EXPECTED);
  });

  it('reads a last row without a final line break', () => {
    const text = sheet(FULL_LINES).trimEnd();
    expect(parseCsv(text, SOURCE)).toEqual(FULL_EXPECTED);
  });

  it('leaves a field undefined, not null, when its cell is empty', () => {
    const [batch] = parseCsv(sheet(FULL_LINES), SOURCE);
    const second = batch?.articles[1];
    for (const key of ['id', 'doi', 'landingUrl', 'titleFa', 'abstractFa', 'keywordsFa', 'keywordsEn']) {
      expect(second).not.toHaveProperty(key);
    }
  });
});

describe('parseCsv on numbered author columns', () => {
  it('pairs author<n>_fa with author<n>_en and reads the * marks', () => {
    const text = sheet([
      'issue,pages,author1_fa,author1_en,author2_fa,author2_en,author3_en',
      '22,7-37,علی رضایی,Ali Rezaei*,مریم احمدی,Maryam Ahmadi,Sara Nouri',
      '22,39-65,* رضا کریمی,,,,',
      '22,67-80,,,,,',
    ]);
    const [batch] = parseCsv(text, SOURCE);
    expect(batch?.articles.map((a) => a.authors)).toEqual([
      [
        { nameFa: 'علی رضایی', nameEn: 'Ali Rezaei', corresponding: true },
        { nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: false },
        { nameFa: null, nameEn: 'Sara Nouri', corresponding: false },
      ],
      [{ nameFa: 'رضا کریمی', nameEn: null, corresponding: true }],
      undefined,
    ]);
  });

  it('refuses numbered columns with a gap in the header', () => {
    const e = errorOf(sheet(['issue,author1_fa,author3_fa', '22,a,b']));
    expect(e).toMatchObject({ line: 1, field: 'author3_fa' });
  });

  it('refuses numbered columns that do not start at 1', () => {
    expect(errorOf(sheet(['issue,author2_fa', '22,a']))).toMatchObject({ line: 1, field: 'author2_fa' });
  });

  it('refuses a row whose authors have a gap', () => {
    const e = errorOf(sheet(['issue,author1_fa,author1_en,author2_fa', '22,,,مریم احمدی']));
    expect(e).toMatchObject({ line: 2, field: 'author1_fa' });
  });
});

describe('parseCsv on issue facts', () => {
  it('reads two seasons joined by و, normalizing پائیز and Arabic letters', () => {
    const text = sheet([
      'issue,season',
      '21,بهار و تابستان',
      '22,پائیز   و  زمستان',
      '23,پاييز',
      '24,زمستان',
    ]);
    expect(parseCsv(text, SOURCE).map((b) => [b.issue.seasonFa, b.issue.seasonEn])).toEqual([
      ['بهار و تابستان', 'Spring and Summer'],
      ['پاییز و زمستان', 'Autumn and Winter'],
      ['پاییز', 'Autumn'],
      ['زمستان', 'Winter'],
    ]);
  });

  it('takes the year from the date when no row of the issue gives it', () => {
    const text = sheet(['issue,year,date', '22,,1402/9/30', '23,1402,1403/01/15', '23,,1403/01/15']);
    expect(parseCsv(text, SOURCE).map((b) => [b.issue.yearSolar, b.issue.dateSolar, b.issue.datePublished])).toEqual([
      [1402, '1402/09/30', '2023-12-21'],
      [1402, '1403/01/15', '2024-04-03'],
    ]);
  });

  it('groups two issues in first-seen order, numbering articles within each issue', () => {
    const text = sheet([
      'journal,issue,volume,pages',
      'jir,22,11,7-37',
      'jir,23,,1-20',
      ',22,,39-65',
      'jir,23,12,21-40',
    ]);
    const batches = parseCsv(text, SOURCE);
    expect(batches.map((b) => b.issue)).toEqual([
      { number: 22, line: 2, volume: 11 },
      { number: 23, line: 3, volume: 12 },
    ]);
    expect(batches.map((b) => b.articles.map((a) => [a.line, a.ordinal, a.pageStart]))).toEqual([
      [
        [2, 1, 7],
        [4, 2, 39],
      ],
      [
        [3, 1, 1],
        [5, 2, 21],
      ],
    ]);
    expect(batches.map((b) => [b.journalCode, b.journalLine, b.complete])).toEqual([
      ['jir', 2, false],
      ['jir', 2, false],
    ]);
  });

  it('sets no journal code when no row names the journal', () => {
    const [batch] = parseCsv(sheet(['issue', '22']), SOURCE);
    expect(batch).not.toHaveProperty('journalCode');
  });
});

describe('parseCsv on pages', () => {
  it('reads a range, a single page, Persian digits, and empty or 0 as not known', () => {
    const text = sheet(['issue,pages', '22,7-37', '22,12', '22,۸۹–۱۱۱', '22,', '22,0', '22, 40 - 52 ']);
    const [batch] = parseCsv(text, SOURCE);
    expect(batch?.articles.map((a) => [a.pageStart, a.pageEnd])).toEqual([
      [7, 37],
      [12, 12],
      [89, 111],
      [null, null],
      [null, null],
      [40, 52],
    ]);
  });

  it.each([
    { pages: '7_37', detail: 'cannot read a page range from "7_37"' },
    { pages: '37-7', detail: 'page range "37-7" ends before it starts' },
    { pages: '0-5', detail: 'page range "0-5" starts before page 1' },
  ])('refuses "$pages"', ({ pages, detail }) => {
    const e = errorOf(sheet(['issue,pages', '22,1-5', `22,${pages}`]));
    expect(e).toMatchObject({ line: 3, field: 'pages', detail });
    expect(e.message).toBe(`sheet.csv:3: pages: ${detail}`);
  });
});

describe('parseCsv on bad input', () => {
  it('throws a CsvError, which is a LocatedError and an IngestError', () => {
    const e = errorOf(sheet(['issue,pages', '22,x']));
    expect(e).toBeInstanceOf(LocatedError);
    expect(e).toBeInstanceOf(IngestError);
    expect(e.name).toBe('CsvError');
    expect(() => parseCsv(sheet(['issue,pages', '22,x']), SOURCE)).toThrowError(expect.objectContaining({ line: 2, field: 'pages' }));
  });

  it.each([
    { name: 'an unknown column, named as spelled', lines: ['issue,pages,Titel_EN', '22,1-5,x'], line: 1, field: 'Titel_EN' },
    { name: 'a duplicate column, whatever its case', lines: ['issue,Pages, pages ', '22,1-5,1-5'], line: 1, field: 'pages' },
    { name: 'no issue column', lines: ['pages,title_en', '1-5,x'], line: 1, field: 'issue' },
    { name: 'an empty issue cell', lines: ['issue,pages', '22,1-5', ',6-9'], line: 3, field: 'issue' },
    { name: 'an issue number of 0', lines: ['issue', '0'], line: 2, field: 'issue' },
    { name: 'a volume that is no number', lines: ['issue,volume', '22,xi'], line: 2, field: 'volume' },
    { name: 'an unknown season', lines: ['issue,season', '22,بهار و خزان'], line: 2, field: 'season' },
    { name: 'three seasons', lines: ['issue,season', '22,بهار و تابستان و پاییز'], line: 2, field: 'season' },
    { name: 'a year out of range', lines: ['issue,year', '22,2023'], line: 2, field: 'year' },
    { name: 'an impossible date', lines: ['issue,date', '22,1402/06/31', '23,1402/07/31'], line: 3, field: 'date' },
    { name: 'Esfand 30 in a common year', lines: ['issue,date', '22,1402/12/30'], line: 2, field: 'date' },
    { name: 'a date in another format', lines: ['issue,date', '22,1402-06-31'], line: 2, field: 'date' },
    { name: 'an uppercase journal code', lines: ['journal,issue', 'JIR,22'], line: 2, field: 'journal' },
    { name: 'a one-letter journal code', lines: ['journal,issue', 'j,22'], line: 2, field: 'journal' },
    { name: 'a bad id', lines: ['issue,id', '22,58_7'], line: 2, field: 'id' },
    { name: 'a DOI with its URL prefix', lines: ['issue,doi', '22,https://doi.org/10.5555/x'], line: 2, field: 'doi' },
    { name: 'a bad URL', lines: ['issue,url', '22,jir.example.org/a'], line: 2, field: 'url' },
    { name: 'an author that is only a mark', lines: ['issue,authors_fa', '22,علی*؛ *'], line: 2, field: 'authors_fa' },
    { name: 'a value under an unnamed column', lines: ['issue,,pages', '22,x,1-5'], line: 2, field: 'column 2' },
  ])('refuses $name', ({ lines, line, field }) => {
    expect(errorOf(sheet(lines))).toMatchObject({ source: SOURCE, line, field });
  });

  it('accepts an unnamed column that stays empty', () => {
    const [batch] = parseCsv(sheet(['issue,pages,', '22,1-5,']), SOURCE);
    expect(batch?.articles[0]).toEqual({ line: 2, ordinal: 1, pageStart: 1, pageEnd: 5 });
  });

  it('refuses two journals in one file, naming the earlier row', () => {
    const e = errorOf(sheet(['journal,issue', 'jir,22', ',22', 'prb,23']));
    expect(e).toMatchObject({ line: 4, field: 'journal', detail: 'names journal prb, but line 2 names jir' });
  });

  it.each([
    { column: 'volume', a: '11', b: '12', detail: 'says 12, but line 2 says 11 for issue 22' },
    { column: 'number', a: '2', b: '3', detail: 'says 3, but line 2 says 2 for issue 22' },
    { column: 'season', a: 'بهار', b: 'تابستان', detail: 'says تابستان, but line 2 says بهار for issue 22' },
    { column: 'year', a: '1402', b: '1403', detail: 'says 1403, but line 2 says 1402 for issue 22' },
    { column: 'date', a: '1402/06/31', b: '1402/6/30', detail: 'says 1402/06/30, but line 2 says 1402/06/31 for issue 22' },
  ])('refuses rows of one issue that disagree on its $column', ({ column, a, b, detail }) => {
    const e = errorOf(sheet([`issue,${column}`, `22,${a}`, '22,', `22,${b}`]));
    expect(e).toMatchObject({ line: 4, field: column, detail });
  });

  it('names the row that first gave a fact, not the first row of the issue', () => {
    const e = errorOf(sheet(['issue,volume', '22,', '22,11', '22,12']));
    expect(e).toMatchObject({ line: 4, field: 'volume', detail: 'says 12, but line 3 says 11 for issue 22' });
  });

  it('refuses both forms of authors in one header', () => {
    expect(errorOf(sheet(['issue,authors_fa,author1_en', '22,a,b']))).toMatchObject({ line: 1, field: 'author1_en' });
    expect(errorOf(sheet(['issue,author1_fa,authors_en', '22,a,b']))).toMatchObject({ line: 1, field: 'authors_en' });
  });

  it('refuses author lists of different lengths', () => {
    const e = errorOf(sheet(['issue,authors_fa,authors_en', '22,علی؛ مریم,Ali', '22,علی؛ مریم,Ali; Maryam; Sara']));
    expect(e).toMatchObject({ line: 2, field: 'authors_en', detail: 'names 1 author, but authors_fa names 2' });
  });

  it('refuses an unclosed quote, naming the row it opens in', () => {
    const e = errorOf(sheet(['issue,title_en', '22,x', '22,"Open quote', '22,y', '22,z']));
    expect(e).toMatchObject({ line: 3, field: 'row' });
    expect(e.detail).toContain('end of the file (line 5)');
  });

  it('refuses a stray quote inside an unquoted cell', () => {
    expect(errorOf(sheet(['issue,title_en', '22,x', '22,The "Best" Title']))).toMatchObject({ line: 3, field: 'row' });
  });

  it('refuses a row with another number of cells than the header', () => {
    expect(errorOf(sheet(['issue,pages,title_en', '22,1-5,x', '22,6-9']))).toMatchObject({
      line: 3,
      field: 'row',
      detail: 'the row has 2 cells, but the header has 3 columns',
    });
    expect(errorOf(sheet(['issue,pages', '22,"1-5\n",x']))).toMatchObject({ line: 2, field: 'row' });
  });

  it('refuses a header without rows, and an empty file', () => {
    for (const text of ['issue,pages\n', 'issue,pages', 'issue,pages\r\n\r\n,\r\n']) {
      expect(errorOf(text)).toMatchObject({ line: 1, field: 'file', detail: 'the sheet has no rows' });
    }
    expect(errorOf('')).toMatchObject({ line: 1, field: 'file' });
    expect(errorOf('\uFEFF\n\n')).toMatchObject({ line: 1, field: 'file' });
  });
});

describe('CSV_COLUMNS', () => {
  it('describes each column once, with issue the only required one', () => {
    const names = CSV_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CSV_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual(['issue']);
    for (const c of CSV_COLUMNS) expect(c.description.length).toBeGreaterThan(10);
  });

  it('lists every column the parser accepts', () => {
    const plain = CSV_COLUMNS.map((c) => c.name).filter((n) => !n.includes('<'));
    const text = sheet([plain.join(','), plain.map((n) => (n === 'issue' ? '22' : '')).join(',')]);
    expect(parseCsv(text, SOURCE)).toHaveLength(1);
  });
});

describe('the sample sheet', () => {
  const text = readFileSync(new URL('fixtures/sample-sheet.csv', import.meta.url), 'utf8');
  const batches = parseCsv(text, 'sample-sheet.csv');

  it('is one issue of journal jir', () => {
    expect(batches).toHaveLength(1);
    expect(batches[0]?.journalCode).toBe('jir');
    expect(batches[0]?.issue).toEqual({ ...ISSUE_22, line: 2 });
  });

  it('has three bilingual articles, each on the line its row starts', () => {
    const articles = batches[0]?.articles ?? [];
    expect(articles.map((a) => [a.line, a.ordinal, a.pageStart, a.pageEnd])).toEqual([
      [2, 1, 1, 24],
      [3, 2, 25, 48],
      [6, 3, 49, 70],
    ]);
    for (const a of articles) {
      expect(a.titleFa).toMatch(/\p{Script=Arabic}/u);
      expect(a.titleEn).toMatch(/^Sample Article: /);
      expect(a.abstractFa).toMatch(/\p{Script=Arabic}/u);
      expect(a.abstractEn).toMatch(/made-up/);
      expect(a.keywordsFa?.length).toBe(a.keywordsEn?.length);
      expect(a.authors?.filter((x) => x.corresponding)).toHaveLength(1);
      expect(a.authors?.every((x) => x.nameFa !== null && x.nameEn !== null && !/[*٭]/u.test(x.nameFa + x.nameEn))).toBe(true);
    }
    expect(articles[1]?.abstractEn).toBe('A second made-up abstract.\nIts second line, with "quoted" words.');
  });
});

describe('the fields of richer sources', () => {
  const header = 'issue,pages,author1_en,author1_orcid,author1_affiliation_en,author1_ror,license,access_rights,type,received,fulltext_url,fulltext_type,funder_en,funder_id,award_number';
  const good = '7,1-9,Josiah Carberry,0000-0002-1825-0097,Sample University; Second Sample Institute,0zzzzzz02;,https://creativecommons.org/licenses/by/4.0/,open,review-article,2024-01-10,https://x.example.org/1.pdf,application/pdf,Sample Foundation; Other Sample Fund,10.13039/999999999999;,A-1;B-2';

  it('reads ORCID iDs, affiliations lined up with their ROR ids, and the article details', () => {
    const [batch] = parseCsv(sheet([header, good]), SOURCE);
    const article = batch?.articles[0];
    expect(article?.authors).toEqual([
      {
        nameFa: null,
        nameEn: 'Josiah Carberry',
        corresponding: false,
        orcid: 'https://orcid.org/0000-0002-1825-0097',
        affiliations: [
          { nameFa: null, nameEn: 'Sample University', ror: 'https://ror.org/0zzzzzz02' },
          { nameFa: null, nameEn: 'Second Sample Institute', ror: null },
        ],
      },
    ]);
    expect(article).toMatchObject({
      license: 'https://creativecommons.org/licenses/by/4.0/',
      accessRights: 'http://purl.org/coar/access_right/c_abf2',
      resourceType: 'http://purl.org/coar/resource_type/c_dcae04bc',
      dateReceived: '2024-01-10',
      fullText: [{ url: 'https://x.example.org/1.pdf', mediaType: 'application/pdf', lang: null }],
    });
    expect(article?.funding?.map((f) => [f.funderNameEn, f.funderId, f.awardNumber])).toEqual([
      ['Sample Foundation', 'https://doi.org/10.13039/999999999999', 'A-1'],
      ['Other Sample Fund', null, 'B-2'],
    ]);
  });

  it.each([
    ['an ORCID iD with a wrong check digit', { 3: '0000-0002-1825-0096' }, 'author1_orcid'],
    ['a ROR id with a wrong checksum', { 5: '0zzzzzz03;' }, 'author1_ror'],
    ['lists that do not line up', { 5: '0zzzzzz02' }, 'author1_ror'],
    ['an unknown access right', { 7: 'free' }, 'access_rights'],
    ['an unknown type', { 8: 'essay' }, 'type'],
    ['a date that does not exist', { 9: '2024-02-30' }, 'received'],
    ['a full-text link without its media type', { 11: '' }, 'fulltext_type'],
    ['a funder id that is neither', { 13: '10.5555/1;' }, 'funder_id'],
  ] as Array<[string, Record<number, string>, string]>)('refuses %s, naming the row and column', (_name, changes, column) => {
    const cells = good.split(',');
    for (const [i, value] of Object.entries(changes)) cells[Number(i)] = value;
    const e = errorOf(sheet([header, cells.join(',')]));
    expect([e.line, e.field]).toEqual([2, column]);
  });
});
