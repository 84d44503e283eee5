import { parse, type CsvError as ParserError, type InfoRecord } from 'csv-parse/sync';
import { JOURNAL_CODE, type Affiliation, type Author } from '../model.js';
import { canonicalFunderId, canonicalOrcid, canonicalRor } from '../text/identifiers.js';
import { toAsciiDigits } from '../text/normalize.js';
import { readSeasons, solarHijriToGregorian } from '../text/solar-hijri.js';
import { ACCESS_RIGHTS_WORDS, accessRightsUri, isCalendarDate, RESOURCE_TYPE_WORDS, resourceTypeUri } from './details.js';
import { CsvError } from './errors.js';
import type { ArticlePatch, IssueBatch, IssuePatch } from './patch.js';

/** One column a sheet may have, as docs/data-and-import.md and the help text describe it. */
export interface CsvColumn {
  /** Header name, matched case-insensitively after trimming; `<n>` stands for 1, 2, 3… */
  name: string;
  /** True when the header must have the column and every row must fill it. */
  required: boolean;
  description: string;
}

/**
 * The columns of an editorial sheet: one row per article. Every column but `issue` is optional,
 * and an empty cell means "the sheet does not say", so an import keeps what is stored. Lists in
 * one cell are separated by `;` (the Persian `؛` too). Authors come either as two lists
 * (`authors_fa`, `authors_en`) or in numbered columns (`author1_fa`, `author1_en`, …), not both.
 */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  {
    name: 'journal',
    required: false,
    description:
      'The journal\'s short ASCII code, e.g. `jir`: a lowercase letter, then 1–15 lowercase letters or digits. ' +
      'Every row that fills it must name the same journal.',
  },
  { name: 'issue', required: true, description: 'The issue\'s serial number, a whole number from 1.' },
  { name: 'volume', required: false, description: 'The volume, a whole number from 1.' },
  { name: 'number', required: false, description: 'The issue\'s number within its volume, a whole number from 1.' },
  {
    name: 'season',
    required: false,
    description: 'The season as printed in Persian: بهار, تابستان, پاییز (or پائیز), زمستان, or two joined by ` و `, e.g. `بهار و تابستان`.',
  },
  {
    name: 'year',
    required: false,
    description: 'The Solar Hijri year of the season, 1300–1500. When no row of the issue gives it, the year of `date` is used.',
  },
  {
    name: 'date',
    required: false,
    description: 'The issue\'s publication date as printed, Solar Hijri `YYYY/MM/DD` (Persian or ASCII digits), e.g. `1402/06/31`.',
  },
  { name: 'pages', required: false, description: 'The article\'s pages: a range `7-37`, a single page `12`, or empty or `0` when not known.' },
  { name: 'id', required: false, description: 'The local id of an article already stored, e.g. `58-7` or `jir-22-3`, to update that article.' },
  { name: 'doi', required: false, description: 'The DOI without a URL prefix, e.g. `10.22034/jir.2023.12345`.' },
  { name: 'url', required: false, description: 'The article\'s landing page, an `http://` or `https://` URL.' },
  { name: 'title_fa', required: false, description: 'The Persian title.' },
  { name: 'title_en', required: false, description: 'The English title.' },
  { name: 'title_source_fa', required: false, description: 'Where the Persian title comes from (a file name or a label).' },
  { name: 'title_source_en', required: false, description: 'Where the English title comes from (a file name or a label).' },
  { name: 'abstract_fa', required: false, description: 'The Persian abstract; a quoted cell may span several lines.' },
  { name: 'abstract_en', required: false, description: 'The English abstract; a quoted cell may span several lines.' },
  { name: 'keywords_fa', required: false, description: 'The Persian keywords, separated by `;` or `؛`.' },
  { name: 'keywords_en', required: false, description: 'The English keywords, separated by `;` or `؛`.' },
  {
    name: 'authors_fa',
    required: false,
    description: 'The authors\' Persian names in order, separated by `;` or `؛`; a `*` on a name marks the corresponding author.',
  },
  {
    name: 'authors_en',
    required: false,
    description:
      'The authors\' English names in the order of `authors_fa`, separated by `;` or `؛`; a `*` marks the corresponding author. ' +
      'A row that fills both lists must name as many authors in each.',
  },
  {
    name: 'author<n>_fa',
    required: false,
    description:
      'Instead of the two lists: the Persian name of author n, the columns numbered from 1 without gaps; ' +
      'a `*` marks the corresponding author.',
  },
  {
    name: 'author<n>_en',
    required: false,
    description: 'Instead of the two lists: the English name of author n; a `*` marks the corresponding author.',
  },
  { name: 'author<n>_orcid', required: false, description: 'The ORCID iD of author n (numbered columns only), checked by its check digit.' },
  {
    name: 'author<n>_affiliation_fa',
    required: false,
    description: 'The affiliations of author n in Persian, separated by `;`, in the order of `author<n>_affiliation_en` and `author<n>_ror`.',
  },
  { name: 'author<n>_affiliation_en', required: false, description: 'The affiliations of author n in English, separated by `;`.' },
  { name: 'author<n>_ror', required: false, description: 'The ROR ids of those affiliations, in the same order, an empty item where one has none.' },
  { name: 'license', required: false, description: "The article's licence URL, when it differs from the journal's or the journal has none." },
  { name: 'access_rights', required: false, description: '`open`, `embargoed`, `restricted` or `metadata-only` (or the COAR URI): the article\'s own access rights.' },
  { name: 'type', required: false, description: '`research-article`, `review-article`, `editorial`, `letter`, `book-review`, `data-paper` or `journal-article` (or the COAR URI).' },
  { name: 'received', required: false, description: 'When the article was received, Gregorian `YYYY-MM-DD`.' },
  { name: 'accepted', required: false, description: 'When it was accepted, Gregorian `YYYY-MM-DD`.' },
  { name: 'fulltext_url', required: false, description: 'Links to the full text, separated by `;`.' },
  { name: 'fulltext_type', required: false, description: 'Their media types in the same order, e.g. `application/pdf`: required with the links.' },
  { name: 'fulltext_lang', required: false, description: 'Their languages (`fa`, `en`) in the same order, an empty item where not known.' },
  { name: 'funder_fa', required: false, description: 'Funders in Persian, one per grant, separated by `;`; the funding columns line up by position.' },
  { name: 'funder_en', required: false, description: 'Funders in English, one per grant.' },
  { name: 'funder_id', required: false, description: "Each funder's ROR id or Crossref Funder ID (`10.13039/…`), an empty item where not known." },
  { name: 'award_number', required: false, description: 'Each grant\'s number.' },
  { name: 'award_title_fa', required: false, description: 'Each grant\'s title in Persian.' },
  { name: 'award_title_en', required: false, description: 'Each grant\'s title in English.' },
];

/** Names a header may use besides the numbered author columns. */
const PLAIN_COLUMNS: ReadonlySet<string> = new Set(CSV_COLUMNS.map((c) => c.name).filter((n) => !n.includes('<')));
const NUMBERED_AUTHOR = /^author([1-9][0-9]*)_(fa|en|orcid|affiliation_fa|affiliation_en|ror)$/;
const LIST_AUTHORS = ['authors_fa', 'authors_en'] as const;
/** `;`, and the Persian semicolon that a Persian keyboard types in its place. */
const LIST_SEPARATOR = /[;؛]/u;
/** `*` marks the corresponding author; Persian typesetting often uses the Arabic star `٭` for it. */
const STAR = /[*٭]/u;
const STARS = /[*٭]/gu;

const LOCAL_ID = /^[a-z0-9]+(-[a-z0-9]+)+$/;
const DOI = /^10\.[0-9]{4,9}\/\S+$/;
const URL_PATTERN = /^https?:\/\/\S+$/;
const INTEGER = /^[0-9]+$/;
const PAGES = /^([0-9]+)(?:\s*[-–]\s*([0-9]+))?$/u;
const DATE = /^([0-9]{4})\/([0-9]{1,2})\/([0-9]{1,2})$/;

/** Where a header or row starts, for messages. */
interface Place {
  source: string;
  line: number;
}

function fail(at: Place, field: string, detail: string): never {
  throw new CsvError(at.source, at.line, field, detail);
}

// --- Records ---------------------------------------------------------------------------------

/** A record of the file, with the line it starts on. */
interface SheetRecord {
  line: number;
  cells: string[];
}

/** Explains a csv-parse error in the sheet editor's terms. */
function parserDetail(error: ParserError): string {
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'a cell has a quote (") inside it: put the whole cell in quotes and double the quote ("")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted cell goes on after its closing quote: double a quote inside a quoted cell ("")';
    default:
      return `cannot read the row (${error.message})`;
  }
}

/** `1 cell`, `2 cells`. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The first non-empty line after `line`: where a row that csv-parse could not finish starts. */
function nextRowStart(lines: readonly string[], line: number): number {
  let next = line + 1;
  while (next < lines.length && lines[next - 1] === '') next++;
  return next;
}

/**
 * Splits the text into records with csv-parse, each with the line it starts on. csv-parse tells
 * the line a record ends on, so the line breaks inside its quoted cells are subtracted. Rows whose
 * cells are all blank (an empty line, or `,,,` as spreadsheets export empty rows) are dropped.
 */
function readRecords(text: string, source: string): SheetRecord[] {
  // csv-parse counts a CRLF inside a quoted cell as two lines; with LF only its count is right.
  const lf = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let lastEnd = 0;
  let parsed: Array<{ info: InfoRecord; record: string[] }>;
  try {
    parsed = parse(lf, {
      info: true,
      skip_empty_lines: true,
      // Checked below instead, so that a row of blanks with too few cells is skipped, not refused.
      relax_column_count: true,
      on_record: (record: string[], context: InfoRecord) => {
        lastEnd = context.lines;
        return record;
      },
    }) as unknown as Array<{ info: InfoRecord; record: string[] }>;
  } catch (error) {
    const e = error as ParserError;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports the end of the file, where the open quote was noticed: name the row instead.
      const line = nextRowStart(lf.split('\n'), lastEnd);
      const end = String(e['lines']);
      fail({ source, line }, 'row', `a quoted cell of this row is never closed: its quote is still open at the end of the file (line ${end})`);
    }
    const line = typeof e['lines'] === 'number' ? e['lines'] : 0;
    fail({ source, line }, 'row', parserDetail(e));
  }
  const records: SheetRecord[] = [];
  for (const { info, record } of parsed) {
    if (record.every((cell) => cell.trim() === '')) continue;
    const breaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const line = info.lines - breaks;
    const width = records[0]?.cells.length;
    if (width !== undefined && record.length !== width) {
      fail({ source, line }, 'row', `the row has ${counted(record.length, 'cell')}, but the header has ${width} columns`);
    }
    records.push({ line, cells: record });
  }
  return records;
}

// --- Header ----------------------------------------------------------------------------------

/** The header: the column name at each position, and how authors are given. */
interface Header {
  /** Lowercase name of each position; `''` for an unnamed column, which must stay empty. */
  names: string[];
  /** Position of each named column. */
  index: Map<string, number>;
  /** How many numbered authors (`author1_fa`…) the header has; 0 when it has none. */
  numberedAuthors: number;
}

/** Checks that numbered author columns start at 1 and have no gaps. Returns how many there are. */
function numberedAuthorCount(names: readonly string[], at: Place): number {
  const numbers = new Map<number, string>();
  for (const name of names) {
    const n = NUMBERED_AUTHOR.exec(name)?.[1];
    if (n !== undefined && !numbers.has(Number(n))) numbers.set(Number(n), name);
  }
  const sorted = [...numbers.keys()].sort((a, b) => a - b);
  sorted.forEach((n, i) => {
    if (n !== i + 1) {
      const after = i === 0 ? 'they must start at author1' : `they jump from ${sorted[i - 1]} to ${n}`;
      fail(at, numbers.get(n) ?? '', `author columns are numbered 1, 2, 3… without gaps, but ${after}`);
    }
  });
  return sorted.length;
}

/** Reads the header row: known, distinct column names, `issue` among them, one form of authors. */
function readHeader(record: SheetRecord, source: string): Header {
  const at = { source, line: record.line };
  const typed = record.cells.map((cell) => cell.trim());
  const names = typed.map((name) => name.toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    // Messages name a column as the sheet spells it, so that it can be found there.
    const spelled = typed[i] ?? name;
    if (name === '') return;
    if (!PLAIN_COLUMNS.has(name) && !NUMBERED_AUTHOR.test(name)) fail(at, spelled, 'is not a column of the sheet format');
    const earlier = index.get(name);
    if (earlier !== undefined) fail(at, spelled, `is in the header twice (columns ${earlier + 1} and ${i + 1})`);
    index.set(name, i);
  });
  if (!index.has('issue')) fail(at, 'issue', 'the header has no issue column, and every row needs its issue number');
  const firstList = names.findIndex((n) => (LIST_AUTHORS as readonly string[]).includes(n));
  const firstNumbered = names.findIndex((n) => NUMBERED_AUTHOR.test(n));
  if (firstList !== -1 && firstNumbered !== -1) {
    const later = typed[Math.max(firstList, firstNumbered)] ?? '';
    fail(at, later, 'authors are given both as lists (authors_fa, authors_en) and in numbered columns (author1_fa, …): use one form');
  }
  return { names, index, numberedAuthors: numberedAuthorCount(names, at) };
}

// --- Cells -----------------------------------------------------------------------------------

/** One row's cells by column name, with its place for messages. */
interface Row {
  at: Place;
  /** The trimmed cell, or undefined when the column is absent or the cell is blank. */
  get(column: string): string | undefined;
}

function rowOf(header: Header, record: SheetRecord, source: string): Row {
  const at = { source, line: record.line };
  header.names.forEach((name, i) => {
    if (name === '' && (record.cells[i] ?? '').trim() !== '') fail(at, `column ${i + 1}`, 'has a value, but no name in the header');
  });
  return {
    at,
    get(column) {
      const i = header.index.get(column);
      const value = i === undefined ? '' : (record.cells[i] ?? '').trim();
      return value === '' ? undefined : value;
    },
  };
}

function positiveInteger(row: Row, column: string): number | undefined {
  const value = row.get(column);
  if (value === undefined) return undefined;
  const digits = toAsciiDigits(value);
  if (!INTEGER.test(digits) || Number(digits) < 1) fail(row.at, column, `"${value}" is not a whole number from 1`);
  return Number(digits);
}

/** A cell that must match a pattern when it is filled. */
function matching(row: Row, column: string, pattern: RegExp, what: string): string | undefined {
  const value = row.get(column);
  if (value !== undefined && !pattern.test(value)) fail(row.at, column, `"${value}" is not ${what}`);
  return value;
}

/** Items of a list cell, trimmed, empty ones dropped; undefined when nothing is left. */
function list(row: Row, column: string): string[] | undefined {
  const items = row.get(column)?.split(LIST_SEPARATOR).map((s) => s.trim()).filter((s) => s !== '');
  return items === undefined || items.length === 0 ? undefined : items;
}

// --- Issue facts -----------------------------------------------------------------------------

/** A season as printed, one or two joined by ` و ` (see `readSeasons`). */
function seasonOf(row: Row): { fa: string; en: string } | undefined {
  const value = row.get('season');
  if (value === undefined) return undefined;
  try {
    return readSeasons(value);
  } catch {
    return fail(row.at, 'season', `"${value}" is not one season (بهار, تابستان, پاییز, زمستان) or two different ones joined by " و "`);
  }
}

/** A Solar Hijri `YYYY/MM/DD` date: zero-padded as printed, and in the Gregorian calendar. */
function dateOf(row: Row): { solar: string; gregorian: string } | undefined {
  const value = row.get('date');
  if (value === undefined) return undefined;
  const m = DATE.exec(toAsciiDigits(value));
  if (!m) fail(row.at, 'date', `"${value}" is not a Solar Hijri date YYYY/MM/DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1300 || y > 1500) fail(row.at, 'date', `"${value}" is not a date of the years 1300–1500`);
  let gregorian: string;
  try {
    gregorian = solarHijriToGregorian(y, mo, d);
  } catch {
    fail(row.at, 'date', `no such Solar Hijri date ${value}`);
  }
  return { solar: `${y}/${String(mo).padStart(2, '0')}/${String(d).padStart(2, '0')}`, gregorian };
}

function yearOf(row: Row): number | undefined {
  const year = positiveInteger(row, 'year');
  if (year !== undefined && (year < 1300 || year > 1500)) fail(row.at, 'year', `${year} is not a Solar Hijri year of 1300–1500`);
  return year;
}

/** What one row says about its issue; `line` is the row's. */
function issueOf(row: Row, number: number): IssuePatch {
  const issue: IssuePatch = { number, line: row.at.line };
  const volume = positiveInteger(row, 'volume');
  if (volume !== undefined) issue.volume = volume;
  const numberInVolume = positiveInteger(row, 'number');
  if (numberInVolume !== undefined) issue.numberInVolume = numberInVolume;
  const season = seasonOf(row);
  if (season) Object.assign(issue, { seasonFa: season.fa, seasonEn: season.en });
  const year = yearOf(row);
  if (year !== undefined) issue.yearSolar = year;
  const date = dateOf(row);
  if (date) Object.assign(issue, { dateSolar: date.solar, datePublished: date.gregorian });
  return issue;
}

/** The issue facts rows must agree on, with the column that gives each. */
const ISSUE_FACTS = [
  { key: 'volume', column: 'volume' },
  { key: 'numberInVolume', column: 'number' },
  { key: 'seasonFa', column: 'season' },
  { key: 'yearSolar', column: 'year' },
  { key: 'dateSolar', column: 'date' },
] as const;

/** An issue being read: its batch, and the line that first gave each fact. */
interface OpenIssue {
  batch: IssueBatch;
  factLines: Map<string, number>;
}

/** Adds a row's issue facts to those of earlier rows, refusing any that contradicts them. */
function mergeIssue(open: OpenIssue, issue: IssuePatch, at: Place): void {
  const target = open.batch.issue;
  for (const { key, column } of ISSUE_FACTS) {
    const a = target[key];
    const b = issue[key];
    if (b === undefined) continue;
    if (a === undefined) {
      Object.assign(target, { [key]: b });
      open.factLines.set(key, at.line);
    } else if (a !== b) {
      fail(at, column, `says ${String(b)}, but line ${open.factLines.get(key) ?? target.line} says ${String(a)} for issue ${issue.number}`);
    }
  }
  // The English season and the Gregorian date follow from facts just checked.
  if (target.seasonEn === undefined && issue.seasonEn !== undefined) target.seasonEn = issue.seasonEn;
  if (target.datePublished === undefined && issue.datePublished !== undefined) target.datePublished = issue.datePublished;
}

// --- Articles --------------------------------------------------------------------------------

function pagesOf(row: Row): { pageStart: number | null; pageEnd: number | null } {
  const value = row.get('pages');
  if (value === undefined || toAsciiDigits(value) === '0') return { pageStart: null, pageEnd: null };
  const m = PAGES.exec(toAsciiDigits(value));
  if (!m) fail(row.at, 'pages', `cannot read a page range from "${value}"`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1) fail(row.at, 'pages', `page range "${value}" starts before page 1`);
  if (start > end) fail(row.at, 'pages', `page range "${value}" ends before it starts`);
  return { pageStart: start, pageEnd: end };
}

/** A name with its corresponding-author mark taken off. */
function markedName(value: string, row: Row, column: string): { name: string; corresponding: boolean } {
  const name = value.replaceAll(STARS, '').trim();
  if (name === '') fail(row.at, column, `"${value}" is a mark without a name`);
  return { name, corresponding: STAR.test(value) };
}

/** Authors from the lists `authors_fa` and `authors_en`, paired by position. */
function listedAuthors(row: Row): Author[] | undefined {
  const [fa, en] = LIST_AUTHORS.map((column) => list(row, column)?.map((v) => markedName(v, row, column)));
  if (fa !== undefined && en !== undefined && fa.length !== en.length) {
    fail(row.at, 'authors_en', `names ${counted(en.length, 'author')}, but authors_fa names ${fa.length}`);
  }
  const count = Math.max(fa?.length ?? 0, en?.length ?? 0);
  if (count === 0) return undefined;
  return Array.from({ length: count }, (_, i): Author => ({
    nameFa: fa?.[i]?.name ?? null,
    nameEn: en?.[i]?.name ?? null,
    corresponding: (fa?.[i]?.corresponding ?? false) || (en?.[i]?.corresponding ?? false),
  }));
}

/**
 * Items of list cells that line up by position (`funder_en`, `award_number`, …): an empty item
 * stays, as the gap of that position. Undefined when every cell is blank; the lists must be as long.
 */
function aligned<C extends string>(row: Row, columns: readonly C[]): Array<Record<C, string | null>> | undefined {
  const lists = columns.map((column) => ({ column, items: row.get(column)?.split(LIST_SEPARATOR).map((x) => x.trim()) }));
  const given = lists.filter((l): l is { column: C; items: string[] } => l.items !== undefined);
  const [first] = given;
  if (first === undefined) return undefined;
  for (const l of given) {
    if (l.items.length !== first.items.length) fail(row.at, l.column, `has ${counted(l.items.length, 'item')}, but ${first.column} has ${first.items.length}: the lists line up by position`);
  }
  return first.items.map((_, i) => Object.fromEntries(lists.map((l) => [l.column, l.items?.[i] || null])) as Record<C, string | null>);
}

/** Author n's affiliations, from its three lined-up columns. */
function affiliationsOf(row: Row, n: number): Affiliation[] | undefined {
  const rows = aligned(row, [`author${n}_affiliation_fa`, `author${n}_affiliation_en`, `author${n}_ror`] as const);
  return rows?.map((a) => {
    const fa = a[`author${n}_affiliation_fa`] ?? null;
    const en = a[`author${n}_affiliation_en`] ?? null;
    const ror = a[`author${n}_ror`] ?? null;
    if (fa === null && en === null) fail(row.at, `author${n}_affiliation_en`, 'an affiliation with no name in either language');
    const id = ror === null ? null : canonicalRor(ror);
    if (ror !== null && id === null) fail(row.at, `author${n}_ror`, `"${ror}" is no ROR id: its checksum is wrong`);
    return { nameFa: fa, nameEn: en, ror: id };
  });
}

/** Authors from `author1_fa`, `author1_en`, …: an empty author may not come before a filled one. */
function numberedAuthors(row: Row, count: number): Author[] | undefined {
  const authors: Author[] = [];
  let gap: number | undefined;
  for (let n = 1; n <= count; n++) {
    const fa = row.get(`author${n}_fa`);
    const en = row.get(`author${n}_en`);
    const orcid = row.get(`author${n}_orcid`);
    const affiliations = affiliationsOf(row, n);
    if (fa === undefined && en === undefined) {
      if (orcid !== undefined || affiliations !== undefined) fail(row.at, `author${n}_en`, `author ${n} has an ORCID iD or affiliations but no name`);
      gap ??= n;
      continue;
    }
    if (gap !== undefined) fail(row.at, `author${gap}_fa`, `author ${gap} is empty, but author ${n} is given: fill the authors in order`);
    const nameFa = fa === undefined ? undefined : markedName(fa, row, `author${n}_fa`);
    const nameEn = en === undefined ? undefined : markedName(en, row, `author${n}_en`);
    const author: Author = {
      nameFa: nameFa?.name ?? null,
      nameEn: nameEn?.name ?? null,
      corresponding: (nameFa?.corresponding ?? false) || (nameEn?.corresponding ?? false),
    };
    if (orcid !== undefined) {
      const id = canonicalOrcid(orcid);
      if (id === null) fail(row.at, `author${n}_orcid`, `"${orcid}" is no ORCID iD: its check digit is wrong, or it is not 16 digits`);
      author.orcid = id;
    }
    if (affiliations !== undefined) author.affiliations = affiliations;
    authors.push(author);
  }
  return authors.length === 0 ? undefined : authors;
}

/** The fields of richer sources a row fills: licence, access, type, dates, full text, funding. */
function detailsOf(row: Row): Partial<ArticlePatch> {
  const out: Partial<ArticlePatch> = {};
  const license = matching(row, 'license', URL_PATTERN, 'an http:// or https:// URL');
  if (license !== undefined) out.license = license;
  const access = row.get('access_rights');
  if (access !== undefined) {
    const uri = accessRightsUri(access);
    if (uri === null) fail(row.at, 'access_rights', `"${access}" is none of ${ACCESS_RIGHTS_WORDS} or their COAR URIs`);
    out.accessRights = uri;
  }
  const type = row.get('type');
  if (type !== undefined) {
    const uri = resourceTypeUri(type);
    if (uri === null) fail(row.at, 'type', `"${type}" is none of ${RESOURCE_TYPE_WORDS} or their COAR URIs`);
    out.resourceType = uri;
  }
  for (const [column, key] of [['received', 'dateReceived'], ['accepted', 'dateAccepted']] as const) {
    const date = row.get(column);
    if (date === undefined) continue;
    if (!isCalendarDate(toAsciiDigits(date))) fail(row.at, column, `"${date}" is not a Gregorian date YYYY-MM-DD`);
    out[key] = toAsciiDigits(date);
  }
  const files = aligned(row, ['fulltext_url', 'fulltext_type', 'fulltext_lang'] as const);
  if (files !== undefined) {
    out.fullText = files.map((f) => {
      if (f.fulltext_url === null || !URL_PATTERN.test(f.fulltext_url)) fail(row.at, 'fulltext_url', `"${f.fulltext_url ?? ''}" is not an http:// or https:// URL`);
      if (f.fulltext_type === null || !/^[a-z]+\/[a-z0-9.+-]+$/.test(f.fulltext_type)) fail(row.at, 'fulltext_type', `"${f.fulltext_type ?? ''}" is not a media type such as application/pdf`);
      if (f.fulltext_lang !== null && !/^[a-z]{2}$/.test(f.fulltext_lang)) fail(row.at, 'fulltext_lang', `"${f.fulltext_lang}" is not a two-letter language code`);
      return { url: f.fulltext_url, mediaType: f.fulltext_type, lang: f.fulltext_lang };
    });
  }
  const grants = aligned(row, ['funder_fa', 'funder_en', 'funder_id', 'award_number', 'award_title_fa', 'award_title_en'] as const);
  if (grants !== undefined) {
    out.funding = grants.map((g) => {
      if (g.funder_fa === null && g.funder_en === null) fail(row.at, 'funder_en', 'a grant with no funder named in either language');
      const id = g.funder_id === null ? null : (canonicalRor(g.funder_id) ?? canonicalFunderId(g.funder_id));
      if (g.funder_id !== null && id === null) fail(row.at, 'funder_id', `"${g.funder_id}" is neither a ROR id nor a Crossref Funder ID (10.13039/…)`);
      return { funderNameFa: g.funder_fa, funderNameEn: g.funder_en, funderId: id, awardNumber: g.award_number, awardTitleFa: g.award_title_fa, awardTitleEn: g.award_title_en };
    });
  }
  return out;
}

/** A DOI, with a hint when it is written as a doi.org URL. */
function doiOf(row: Row): string | undefined {
  const value = row.get('doi');
  if (value !== undefined && /^https?:\/\/(dx\.)?doi\.org\//i.test(value)) {
    fail(row.at, 'doi', `"${value}": write the DOI without its https://doi.org/ prefix`);
  }
  return matching(row, 'doi', DOI, 'a DOI such as 10.22034/jir.2023.12345');
}

/** The fields of an article a row fills; blank cells stay undefined. */
function articleOf(row: Row, header: Header, ordinal: number): ArticlePatch {
  const patch: ArticlePatch = { line: row.at.line, ordinal, ...pagesOf(row) };
  const fields = {
    id: matching(row, 'id', LOCAL_ID, 'an article id such as 58-7 or jir-22-3'),
    doi: doiOf(row),
    landingUrl: matching(row, 'url', URL_PATTERN, 'an http:// or https:// URL'),
    titleFa: row.get('title_fa'),
    titleEn: row.get('title_en'),
    titleSourceFa: row.get('title_source_fa'),
    titleSourceEn: row.get('title_source_en'),
    abstractFa: row.get('abstract_fa'),
    abstractEn: row.get('abstract_en'),
    keywordsFa: list(row, 'keywords_fa'),
    keywordsEn: list(row, 'keywords_en'),
    authors: header.numberedAuthors > 0 ? numberedAuthors(row, header.numberedAuthors) : listedAuthors(row),
  };
  // With exactOptionalPropertyTypes a field is either set or absent, never set to undefined.
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(patch, { [key]: value });
  return { ...patch, ...detailsOf(row) };
}

// --- The sheet -------------------------------------------------------------------------------

/** Checks the row's journal code against the one earlier rows gave. */
function checkJournal(row: Row, journal: { code: string; line: number } | undefined): { code: string; line: number } | undefined {
  const code = matching(row, 'journal', JOURNAL_CODE, 'a journal code such as jir (lowercase letters and digits, starting with a letter)');
  if (code === undefined) return journal;
  if (journal !== undefined && journal.code !== code) fail(row.at, 'journal', `names journal ${code}, but line ${journal.line} names ${journal.code}`);
  return journal ?? { code, line: row.at.line };
}

/**
 * Reads an editorial sheet (CSV, one row per article, columns as {@link CSV_COLUMNS} describes)
 * into one batch per issue, in the order the issues first appear. UTF-8 with or without a BOM,
 * LF or CRLF; quoted cells may hold commas, `""` and line breaks; blank rows are skipped. Rows of
 * one issue must agree on its facts, and all rows on the journal. Each article gets the line its
 * row starts on and its 1-based place among its issue's rows. A blank cell leaves the field
 * undefined (blank pages give null pages). Throws CsvError naming the line and column.
 */
export function parseCsv(text: string, source: string): IssueBatch[] {
  const [first, ...records] = readRecords(text, source);
  if (first === undefined) fail({ source, line: 1 }, 'file', 'the sheet is empty');
  const header = readHeader(first, source);
  if (records.length === 0) fail({ source, line: first.line }, 'file', 'the sheet has no rows');
  const issues = new Map<number, OpenIssue>();
  let journal: { code: string; line: number } | undefined;
  for (const record of records) {
    const row = rowOf(header, record, source);
    journal = checkJournal(row, journal);
    const number = positiveInteger(row, 'issue');
    if (number === undefined) fail(row.at, 'issue', 'is empty, and every row needs its issue number');
    const issue = issueOf(row, number);
    let open = issues.get(number);
    if (open === undefined) {
      open = { batch: { issue: { number, line: row.at.line }, journalNameFa: null, articles: [], complete: false }, factLines: new Map() };
      issues.set(number, open);
    }
    mergeIssue(open, issue, row.at);
    open.batch.articles.push(articleOf(row, header, open.batch.articles.length + 1));
  }
  return [...issues.values()].map(({ batch }) => {
    // The season's year is the publication year unless a row says otherwise (late issues).
    const { yearSolar, dateSolar } = batch.issue;
    if (yearSolar === undefined && typeof dateSolar === 'string') batch.issue.yearSolar = Number(dateSolar.slice(0, 4));
    return journal === undefined ? batch : { ...batch, journalCode: journal.code, journalLine: journal.line };
  });
}
