/**
 * Parser for the journal's table-of-contents text (see `db/seed/issue-58-toc.txt`).
 *
 * Layout: a header (heading, journal name, `پیاپی 58 (تابستان 1401)`, bullet lines for the
 * publication date and the number of articles), a `|` line, the Persian block, a `|` line, the
 * English block. Each block entry is an optional title line, a bullet author line ending in the
 * page range, the abstract (one or more lines), then a keyword line. The blocks pair up by page range.
 *
 * Values come back raw (trimmed, digits made ASCII, `*` removed from names, lists split):
 * callers run `normalizeArticle` themselves, so they can report what it changed.
 */
import type { Author, IssueInput, Lang, TocArticle, TocDocument } from '../model.js';
import { collapseWhitespace, toAsciiDigits, toPersianLetters } from '../text/normalize.js';
import { persianSeasonToEnglish, solarHijriToGregorian } from '../text/solar-hijri.js';
import { TocParseError } from './errors.js';

/** One line of the document: 1-based number and trimmed text. */
interface Line {
  no: number;
  text: string;
}

/** One entry of one language block, before pairing. */
interface BlockEntry {
  /** Line of the author bullet line: identifies the entry in error messages. */
  line: number;
  title: string | null;
  authors: { name: string; corresponding: boolean }[];
  pageStart: number;
  pageEnd: number;
  abstract: string;
  keywords: string[];
}

/** Throws a {@link TocParseError} for this document. */
type Fail = (line: number, field: string, detail: string) => never;

const LANG_NAME: Record<Lang, string> = { fa: 'Persian', en: 'English' };

const BULLET = /^•\s*/u;
const SEPARATOR = '|';

/** Page-range label at the end of an author line; group 1 = names, group 2 = range text. */
const PAGE_LABEL: Record<Lang, RegExp> = {
  fa: /^(.*?)\s*(?:^|\s)(?:صفحات|صفحه)\s*[:：]?\s*(\S+(?:\s*[-–—]\s*\S+)?)?\s*$/u,
  en: /^(.*?)\s*(?:^|\s)(?:Pages?|pp\.)\s*[:：]?\s*(\S+(?:\s*[-–—]\s*\S+)?)?\s*$/iu,
};
/** Keyword line; group 1 = the list. */
const KEYWORD_LINE: Record<Lang, RegExp> = {
  fa: /^(?:کلیدواژگان|کلید واژگان|کلیدواژه‌ها|کلیدواژه ها|واژگان کلیدی)\s*[:：]\s*(.*)$/u,
  en: /^(?:Keywords|Key words)\s*[:：]\s*(.*)$/iu,
};
/** List separators. Persian sources mix `،` and `,`; semicolons show up in both. */
const LIST_SEPARATOR: Record<Lang, RegExp> = { fa: /[،,؛;]/u, en: /[,;]/u };
const AUTHOR_SEPARATOR: Record<Lang, RegExp> = { fa: /[،,]/u, en: /,/u };

/** Header labels (after Persian-letter normalization), keyed by what they give. */
const HEADER_LABELS = { date: 'تاریخ انتشار', count: 'تعداد عناوین' } as const;
const HEADING = 'فهرست مطالب';
/** `پیاپی 58 (تابستان 1401)` after digit conversion: serial number, season, year. */
const SERIES_LINE = /^پیاپی\s*(\d+)\s*[(（]\s*(.+?)\s+(\d{3,4})\s*[)）]$/u;
const SOLAR_DATE = /^(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})$/u;

/** Parses a table-of-contents document into its journal name, issue and articles.
 * @param sourceName used in error messages (e.g. the file name).
 * @throws TocParseError naming the line and field of the first problem found.
 */
export function parseToc(text: string, sourceName = 'toc'): TocDocument {
  const fail: Fail = (line, field, detail) => {
    throw new TocParseError(sourceName, line, field, detail);
  };
  const lines: Line[] = text
    .replace(/^\uFEFF/u, '')
    .split(/\r\n|\r|\n/u)
    .map((t, i) => ({ no: i + 1, text: t.trim() }));

  const separators = lines.filter((l) => l.text === SEPARATOR);
  const [first, second, third] = separators;
  if (first === undefined) {
    const entry = lines.find((l) => isEntryLine(l.text));
    fail(entry?.no ?? lines.length, 'separator', `no "${SEPARATOR}" line between the header and the Persian block`);
  }
  if (third !== undefined) fail(third.no, 'separator', `a third "${SEPARATOR}" line: expected only two`);

  const header = parseHeader(lines.slice(0, first.no - 1), first.no, fail);
  const faLines = lines.slice(first.no, second === undefined ? lines.length : second.no - 1);
  const enLines = second === undefined ? [] : lines.slice(second.no);
  const fa = parseBlock(faLines, 'fa', fail);
  const en = parseBlock(enLines, 'en', fail);

  const articles = pairBlocks(fa, en, fail);
  if (articles.length !== header.issue.articleCount) {
    fail(
      header.countLine,
      'articleCount',
      `the header announces ${header.issue.articleCount} articles but the document has ${articles.length}`,
    );
  }
  return { journalNameFa: header.journalNameFa, issue: header.issue, articles, lines: { journal: header.journalLine, issue: header.issueLine } };
}

/** True for a bullet line ending in a page range of either language (an entry, not a header field). */
function isEntryLine(text: string): boolean {
  if (!BULLET.test(text)) return false;
  const body = toAsciiDigits(text.replace(BULLET, ''));
  return (['fa', 'en'] as const).some((lang) => PAGE_LABEL[lang].exec(body)?.[2] !== undefined);
}

// --- Header ----------------------------------------------------------------------------------

/** Reads the header lines; `end` is the line number of the `|` that closes the header. */
function parseHeader(
  lines: Line[],
  end: number,
  fail: Fail,
): { journalNameFa: string; issue: IssueInput; countLine: number; journalLine: number; issueLine: number } {
  let journalNameFa: string | null = null;
  let journalLine = 0;
  let issueLine = 0;
  let series: { number: number; seasonFa: string; seasonEn: string; yearSolar: number } | null = null;
  let date: { dateSolar: string; datePublished: string } | null = null;
  let count: { value: number; line: number } | null = null;

  for (const { no, text } of lines) {
    if (text === '') continue;
    const ascii = toAsciiDigits(text);
    if (BULLET.test(text)) {
      if (isEntryLine(text)) fail(no, 'separator', `an entry before the "${SEPARATOR}" line that ends the header`);
      const m = /^([^:：]+?)\s*[:：]\s*(.*)$/u.exec(ascii.replace(BULLET, ''));
      const label = m?.[1] === undefined ? '' : toPersianLetters(collapseWhitespace(m[1]));
      const value = m?.[2] ?? '';
      if (label === HEADER_LABELS.date) date = readDate(value, no, fail);
      else if (label === HEADER_LABELS.count) count = { value: readCount(value, no, fail), line: no };
      else fail(no, 'header', `unknown header line "${text}"`);
    } else if (toPersianLetters(text) === HEADING) {
      continue;
    } else if (ascii.startsWith('پیاپی')) {
      series = readSeries(ascii, no, fail);
      issueLine = no;
    } else if (journalNameFa === null) {
      journalNameFa = text;
      journalLine = no;
    } else {
      fail(no, 'header', `unexpected header line "${text}"`);
    }
  }

  if (journalNameFa === null) fail(end, 'journalName', 'the header has no journal name line');
  if (series === null) fail(end, 'number', 'the header has no "پیاپی N (season year)" line');
  if (date === null) fail(end, 'dateSolar', `the header has no "${HEADER_LABELS.date}" line`);
  if (count === null) fail(end, 'articleCount', `the header has no "${HEADER_LABELS.count}" line`);
  return {
    journalNameFa,
    issue: { ...series, volume: null, ...date, articleCount: count.value },
    countLine: count.line,
    journalLine,
    issueLine,
  };
}

function readSeries(
  ascii: string,
  no: number,
  fail: Fail,
): { number: number; seasonFa: string; seasonEn: string; yearSolar: number } {
  const m = SERIES_LINE.exec(ascii);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
    return fail(no, 'number', `cannot read "پیاپی N (season year)" from "${ascii}"`);
  }
  const seasonFa = m[2];
  let seasonEn: string;
  try {
    seasonEn = persianSeasonToEnglish(seasonFa);
  } catch {
    return fail(no, 'season', `unknown season "${seasonFa}"`);
  }
  return { number: Number(m[1]), seasonFa, seasonEn, yearSolar: Number(m[3]) };
}

function readDate(value: string, no: number, fail: Fail): { dateSolar: string; datePublished: string } {
  const m = SOLAR_DATE.exec(value);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
    return fail(no, 'dateSolar', `cannot read a YYYY/MM/DD date from "${value}"`);
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dateSolar = `${m[1]}/${m[2].padStart(2, '0')}/${m[3].padStart(2, '0')}`;
  try {
    return { dateSolar, datePublished: solarHijriToGregorian(y, mo, d) };
  } catch {
    return fail(no, 'dateSolar', `no such Solar Hijri date ${dateSolar}`);
  }
}

function readCount(value: string, no: number, fail: Fail): number {
  if (!/^\d+$/u.test(value)) fail(no, 'articleCount', `cannot read a number from "${value}"`);
  return Number(value);
}

// --- Blocks ----------------------------------------------------------------------------------

/**
 * Reads one language block. A state machine over the lines: between entries we accept one title
 * line; after an author line we collect abstract lines until the keyword line.
 */
function parseBlock(lines: Line[], lang: Lang, fail: Fail): BlockEntry[] {
  const entries: BlockEntry[] = [];
  const seenRanges = new Map<string, number>();
  let title: Line | null = null;
  let current: (Omit<BlockEntry, 'abstract' | 'keywords'> & { abstract: string[] }) | null = null;

  for (const line of lines) {
    const { no, text } = line;
    if (text === '') continue;
    const keywords = KEYWORD_LINE[lang].exec(text);

    if (BULLET.test(text)) {
      if (current !== null) {
        fail(no, 'keywords', `no keyword line for the entry at line ${current.line} before this entry`);
      }
      const parsed = readAuthorLine(text.replace(BULLET, ''), lang, no, fail);
      const range = `${parsed.pageStart}-${parsed.pageEnd}`;
      const earlier = seenRanges.get(range);
      if (earlier !== undefined) fail(no, 'pages', `page range ${range} is also used by the entry at line ${earlier}`);
      seenRanges.set(range, no);
      current = { line: no, title: title?.text ?? null, ...parsed, abstract: [] };
      title = null;
    } else if (current !== null && keywords !== null) {
      if (current.abstract.length === 0) fail(current.line, 'abstract', 'the entry has no abstract before its keyword line');
      entries.push({ ...current, abstract: current.abstract.join('\n'), keywords: splitList(keywords[1] ?? '', LIST_SEPARATOR[lang]) });
      current = null;
    } else if (current !== null) {
      current.abstract.push(text);
    } else if (keywords !== null) {
      fail(no, 'keywords', 'a keyword line without an author line before it');
    } else if (title !== null) {
      fail(no, 'title', `a second line after the title at line ${title.no}: expected the author line`);
    } else {
      title = line;
    }
  }
  if (current !== null) fail(current.line, 'keywords', `the ${LANG_NAME[lang]} block ends before this entry's keyword line`);
  if (title !== null) fail(title.no, 'title', 'a title line with no author line after it');
  return entries;
}

/** Reads `<authors> صفحات 7-37` / `<authors> Pages 7-37` (bullet already removed). */
function readAuthorLine(
  body: string,
  lang: Lang,
  no: number,
  fail: Fail,
): Pick<BlockEntry, 'authors' | 'pageStart' | 'pageEnd'> {
  const ascii = toAsciiDigits(body);
  const m = PAGE_LABEL[lang].exec(ascii);
  if (m === null) {
    const other: Lang = lang === 'fa' ? 'en' : 'fa';
    if (PAGE_LABEL[other].exec(ascii)?.[2] !== undefined) {
      fail(no, 'separator', `an ${LANG_NAME[other]} entry in the ${LANG_NAME[lang]} block: is a "${SEPARATOR}" line missing?`);
    }
    return fail(no, 'pages', `no page range at the end of the author line`);
  }
  const rangeText = m[2];
  if (rangeText === undefined) return fail(no, 'pages', 'the page label has no page range after it');
  const range = /^(\d+)(?:\s*[-–—]\s*(\d+))?$/u.exec(rangeText);
  if (range?.[1] === undefined) return fail(no, 'pages', `cannot read page range "${rangeText}"`);
  const pageStart = Number(range[1]);
  const pageEnd = Number(range[2] ?? range[1]);
  if (pageStart < 1) fail(no, 'pages', `page range "${rangeText}" starts before page 1`);
  if (pageStart > pageEnd) fail(no, 'pages', `page range "${rangeText}" starts after it ends`);

  // Names are taken from the original text (not digit-converted): the label match is positional.
  const names = body.slice(0, (m[1] ?? '').length);
  const authors = splitList(names, AUTHOR_SEPARATOR[lang]).map((raw) => ({
    name: raw.replace(/\*/gu, '').trim(),
    corresponding: raw.includes('*'),
  }));
  if (authors.length === 0 || authors.some((a) => a.name === '')) {
    fail(no, 'authors', `cannot read the author names from "${names}"`);
  }
  return { authors, pageStart, pageEnd };
}

/** Splits a list on `separator`, trims the items and drops empty ones. */
function splitList(s: string, separator: RegExp): string[] {
  return s
    .split(separator)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

// --- Pairing ---------------------------------------------------------------------------------

/**
 * Pairs Persian and English entries by page range. A document may have a Persian block alone,
 * but when it has both, they must list the same articles: an entry in one block only is an error.
 */
function pairBlocks(fa: BlockEntry[], en: BlockEntry[], fail: Fail): TocArticle[] {
  const key = (e: BlockEntry) => `${e.pageStart}-${e.pageEnd}`;
  if (fa.length > 0 && en.length > 0) {
    // Name the entry without a partner: that is the line to fix, which a bare count would not say.
    const lone = (block: BlockEntry[], other: BlockEntry[], lang: Lang) => {
      const keys = new Set(other.map(key));
      const entry = block.find((e) => !keys.has(key(e)));
      return entry && { entry, lang };
    };
    const found = lone(fa, en, 'fa') ?? lone(en, fa, 'en');
    if (found) {
      const { entry, lang } = found;
      const missing = `page range ${key(entry)} of the ${LANG_NAME[lang]} block has no ${LANG_NAME[lang === 'fa' ? 'en' : 'fa']} entry`;
      if (fa.length !== en.length) {
        fail(entry.line, 'articleCount', `the Persian block has ${fa.length} entries and the English block ${en.length}: ${missing}`);
      }
      fail(entry.line, 'pages', missing);
    }
  }
  const pairs = new Map<string, { fa: BlockEntry | null; en: BlockEntry | null }>();
  for (const e of fa) pairs.set(key(e), { fa: e, en: null });
  for (const e of en) pairs.set(key(e), { fa: pairs.get(key(e))?.fa ?? null, en: e });
  return [...pairs.values()]
    .map((p) => toArticle(p.fa, p.en, fail))
    .sort((a, b) => a.pageStart - b.pageStart || a.pageEnd - b.pageEnd);
}

function toArticle(fa: BlockEntry | null, en: BlockEntry | null, fail: Fail): TocArticle {
  const any = fa ?? en;
  if (any === null) throw new Error('unreachable: a pair always has one entry');
  return {
    line: any.line,
    pageStart: any.pageStart,
    pageEnd: any.pageEnd,
    doi: null,
    landingUrl: null,
    titleFa: fa?.title ?? null,
    titleEn: en?.title ?? null,
    abstractFa: fa?.abstract ?? null,
    abstractEn: en?.abstract ?? null,
    keywordsFa: fa?.keywords ?? [],
    keywordsEn: en?.keywords ?? [],
    authors: pairAuthors(fa, en, fail),
  };
}

/** Pairs authors by position; `corresponding` comes from whichever block marks it (both must agree). */
function pairAuthors(fa: BlockEntry | null, en: BlockEntry | null, fail: Fail): Author[] {
  if (fa !== null && en !== null) {
    if (fa.authors.length !== en.authors.length) {
      fail(en.line, 'authors', `${en.authors.length} English authors but ${fa.authors.length} Persian ones (line ${fa.line})`);
    }
    const marks = (e: BlockEntry): string => e.authors.map((a) => (a.corresponding ? '*' : '-')).join('');
    const faMarks = marks(fa);
    const enMarks = marks(en);
    if (faMarks.includes('*') && enMarks.includes('*') && faMarks !== enMarks) {
      fail(en.line, 'authors', `the corresponding authors differ from those marked in the Persian entry (line ${fa.line})`);
    }
  }
  const count = Math.max(fa?.authors.length ?? 0, en?.authors.length ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const f = fa?.authors[i];
    const e = en?.authors[i];
    return {
      nameFa: f?.name ?? null,
      nameEn: e?.name ?? null,
      corresponding: (f?.corresponding ?? false) || (e?.corresponding ?? false),
    };
  });
}
