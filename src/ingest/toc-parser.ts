/**
 * Parser for the tables of contents the journal index site prints (see `db/seed/issue-58-toc.txt`
 * and the layouts docs/data-and-import.md lists).
 *
 * Layout: a header, a `|` line, the Persian block, a `|` line, the English block.
 * - The header holds the journal's name (with or without `فصلنامه` or `نشریه`), an issue line,
 *   either `پیاپی 58 (تابستان 1401)` or `سال یازدهم شماره 2 (پیاپی 22، بهار و تابستان 1402)`, perhaps
 *   first as `<short name> - <issue line>`, and bullet lines for the publication date and the number
 *   of articles, when the page gives them.
 * - Each block entry is an author line ending in its pages (`صفحات 7-37`, `صفحه 12`; `صفحه 0` when
 *   the pages are not known), then the abstract (one or more lines), then a keyword line. The title,
 *   when printed, is either a plain line above a bullet author line, or the bullet line itself with
 *   the author line below it.
 * - The blocks pair up by pages, or by order when pages cannot pair them.
 *
 * Values come back raw (trimmed, digits made ASCII, `*` removed from names, lists split):
 * callers run `normalizeArticle` themselves, so they can report what it changed.
 */
import type { Author, IssueInput, Lang, TocArticle, TocDocument } from '../model.js';
import { collapseWhitespace, toAsciiDigits, toPersianLetters } from '../text/normalize.js';
import { parsePersianOrdinal } from '../text/persian-ordinals.js';
import { readSeasons, solarHijriToGregorian } from '../text/solar-hijri.js';
import { TocParseError } from './errors.js';

/** One line of the document: 1-based number and trimmed text. */
interface Line {
  no: number;
  text: string;
}

/** One entry of one language block, before pairing. */
interface BlockEntry {
  /** Line of the author line: identifies the entry in error messages. */
  line: number;
  title: string | null;
  authors: { name: string; corresponding: boolean }[];
  /** Both null when the entry says `صفحه 0`: pages not known. */
  pageStart: number | null;
  pageEnd: number | null;
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
/**
 * `سال یازدهم شماره 2 (پیاپی 22، بهار و تابستان 1402)` after digit conversion: volume (an ordinal
 * word or digits), number within the volume, serial number, season(s), year.
 */
const VOLUME_LINE = /^(?:سال|دوره)\s+(.+?)\s*[،,]?\s*شماره\s*(\d+)\s*[(（]\s*پیاپی\s*(\d+)\s*[،,]\s*(.+?)\s+(\d{3,4})\s*[)）]$/u;
/** True for the start of an issue line of either form. */
const ISSUE_LINE_START = /^(?:پیاپی|(?:سال|دوره)\s.*شماره)/u;
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
  if (header.issue.articleCount !== null && articles.length !== header.issue.articleCount) {
    fail(
      header.countLine,
      'articleCount',
      `the header announces ${header.issue.articleCount} articles but the document has ${articles.length}`,
    );
  }
  return {
    journalNameFa: header.journalNameFa,
    shortNameFa: header.shortNameFa,
    issue: header.issue,
    articles,
    lines: { journal: header.journalLine, issue: header.issueLine },
  };
}

/** True for a line ending in pages of either language (or, `labelOnly`, in the page label alone): an author line. */
function endsInPages(text: string, labelOnly = false): boolean {
  const body = toAsciiDigits(text.replace(BULLET, ''));
  return (['fa', 'en'] as const).some((lang) => {
    const m = PAGE_LABEL[lang].exec(body);
    return m !== null && (labelOnly || m[2] !== undefined);
  });
}

/** True for a bullet line ending in a page range of either language (an entry, not a header field). */
function isEntryLine(text: string): boolean {
  return BULLET.test(text) && endsInPages(text);
}

// --- Header ----------------------------------------------------------------------------------

/** What an issue line says. */
type IssueLine = Pick<IssueInput, 'number' | 'volume' | 'numberInVolume' | 'seasonFa' | 'seasonEn' | 'yearSolar'>;

/** Reads the header lines; `end` is the line number of the `|` that closes the header. */
function parseHeader(
  lines: Line[],
  end: number,
  fail: Fail,
): { journalNameFa: string; shortNameFa: string | null; issue: IssueInput; countLine: number; journalLine: number; issueLine: number } {
  let journalNameFa: string | null = null;
  let shortNameFa: string | null = null;
  let journalLine = 0;
  let issueLine = 0;
  let series: IssueLine | null = null;
  let date: { dateSolar: string; datePublished: string } | null = null;
  let count: { value: number; line: number } | null = null;
  const readIssue = (text: string, no: number) => {
    const read = readIssueLine(text, no, fail);
    // A page that prints the issue line twice (after the short name, and on its own) must agree.
    if (series !== null && JSON.stringify(series) !== JSON.stringify(read)) {
      fail(no, 'number', `this issue line says otherwise than the one at line ${issueLine}`);
    }
    series = read;
    issueLine = no;
  };

  for (const { no, text } of lines) {
    if (text === '') continue;
    const ascii = toAsciiDigits(text);
    const dash = /^(.+?)\s+[-–—]\s+(.+)$/u.exec(ascii);
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
    } else if (ISSUE_LINE_START.test(ascii)) {
      readIssue(ascii, no);
    } else if (dash?.[1] !== undefined && dash[2] !== undefined && ISSUE_LINE_START.test(dash[2]) && shortNameFa === null && journalNameFa === null) {
      // `<short name> - <issue line>`: the first line of some pages, before the journal's name.
      shortNameFa = text.slice(0, dash[1].length).trim();
      readIssue(dash[2], no);
    } else if (journalNameFa === null) {
      journalNameFa = text;
      journalLine = no;
    } else {
      fail(no, 'header', `unexpected header line "${text}"`);
    }
  }

  if (journalNameFa === null) fail(end, 'journalName', 'the header has no journal name line');
  if (series === null) fail(end, 'number', 'the header has no issue line, "پیاپی N (season year)" or "سال … شماره N (پیاپی N، season year)"');
  const issue: IssueInput = {
    ...(series as IssueLine),
    dateSolar: (date as { dateSolar: string } | null)?.dateSolar ?? null,
    datePublished: (date as { datePublished: string } | null)?.datePublished ?? null,
    articleCount: (count as { value: number } | null)?.value ?? null,
  };
  return { journalNameFa, shortNameFa, issue, countLine: (count as { line: number } | null)?.line ?? end, journalLine, issueLine };
}

/** Reads an issue line of either form (digits already ASCII). */
function readIssueLine(ascii: string, no: number, fail: Fail): IssueLine {
  const seasons = (text: string) => {
    try {
      return readSeasons(text);
    } catch {
      return fail(no, 'season', `unknown season "${text}"`);
    }
  };
  const series = SERIES_LINE.exec(ascii);
  if (series?.[1] !== undefined && series[2] !== undefined && series[3] !== undefined) {
    const season = seasons(series[2]);
    return { number: Number(series[1]), volume: null, numberInVolume: null, seasonFa: season.fa, seasonEn: season.en, yearSolar: Number(series[3]) };
  }
  const volume = VOLUME_LINE.exec(ascii);
  if (volume?.[1] !== undefined && volume[2] !== undefined && volume[3] !== undefined && volume[4] !== undefined && volume[5] !== undefined) {
    const value = parsePersianOrdinal(volume[1]);
    if (value === null || value < 1) return fail(no, 'volume', `cannot read the volume "${volume[1]}": expected an ordinal such as یازدهم, or digits`);
    const season = seasons(volume[4]);
    if (Number(volume[2]) < 1) return fail(no, 'number', `issue number ${volume[2]} within the volume`);
    return { number: Number(volume[3]), volume: value, numberInVolume: Number(volume[2]), seasonFa: season.fa, seasonEn: season.en, yearSolar: Number(volume[5]) };
  }
  return fail(no, 'number', `cannot read the issue line "${ascii}": expected "پیاپی N (season year)" or "سال … شماره N (پیاپی N، season year)"`);
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
  // A bullet line without pages is a title, and the author line follows it without a bullet.
  let bulletTitle = false;
  type Open = Omit<BlockEntry, 'abstract' | 'keywords'> & { abstract: string[] };
  let current: Open | null = null;
  const entry = (body: string, no: number, titleLine: Line | null): Open => {
    const parsed = readAuthorLine(body, lang, no, fail);
    if (parsed.pageStart !== null) {
      const range = `${parsed.pageStart}-${parsed.pageEnd}`;
      const earlier = seenRanges.get(range);
      if (earlier !== undefined) fail(no, 'pages', `page range ${range} is also used by the entry at line ${earlier}`);
      seenRanges.set(range, no);
    }
    return { line: no, title: titleLine?.text.replace(BULLET, '') ?? null, ...parsed, abstract: [] };
  };

  for (const line of lines) {
    const { no, text } = line;
    if (text === '') continue;
    const keywords = KEYWORD_LINE[lang].exec(text);

    if (bulletTitle && title !== null) {
      if (BULLET.test(text) || !endsInPages(text)) {
        fail(no, 'pages', `expected the author line, ending in its pages, below the title at line ${title.no}`);
      }
      current = entry(text, no, title);
      title = null;
      bulletTitle = false;
    } else if (BULLET.test(text)) {
      if (current !== null) {
        fail(no, 'keywords', `no keyword line for the entry at line ${current.line} before this entry`);
      }
      // A page label with no pages after it is an author line to report, not a title.
      if (endsInPages(text, true)) {
        current = entry(text.replace(BULLET, ''), no, title);
        title = null;
      } else {
        if (title !== null) fail(no, 'title', `a second line after the title at line ${title.no}: expected the author line`);
        title = line;
        bulletTitle = true;
      }
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
  // `صفحه 0`: the page does not know the pages.
  if (pageStart === 0 && pageEnd === 0) return { ...readAuthors(body, m[1] ?? '', lang, no, fail), pageStart: null, pageEnd: null };
  if (pageStart < 1) fail(no, 'pages', `page range "${rangeText}" starts before page 1`);
  if (pageStart > pageEnd) fail(no, 'pages', `page range "${rangeText}" starts after it ends`);

  return { ...readAuthors(body, m[1] ?? '', lang, no, fail), pageStart, pageEnd };
}

/** The author names before the page label; `*` marks the corresponding author. */
function readAuthors(body: string, before: string, lang: Lang, no: number, fail: Fail): Pick<BlockEntry, 'authors'> {
  // Names are taken from the original text (not digit-converted): the label match is positional.
  const names = body.slice(0, before.length);
  const authors = splitList(names, AUTHOR_SEPARATOR[lang]).map((raw) => ({
    name: raw.replace(/\*/gu, '').trim(),
    corresponding: raw.includes('*'),
  }));
  if (authors.length === 0 || authors.some((a) => a.name === '')) {
    fail(no, 'authors', `cannot read the author names from "${names}"`);
  }
  return { authors };
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
 * Where pages cannot pair them (an entry without pages), the blocks pair by order, and where both
 * entries of a pair give pages, those must agree.
 */
function pairBlocks(fa: BlockEntry[], en: BlockEntry[], fail: Fail): TocArticle[] {
  const key = (e: BlockEntry) => `${e.pageStart}-${e.pageEnd}`;
  const byOrder = [...fa, ...en].some((e) => e.pageStart === null);
  if (byOrder) {
    if (fa.length > 0 && en.length > 0 && fa.length !== en.length) {
      const extra = fa.length > en.length ? fa[en.length] : en[fa.length];
      fail(extra?.line ?? 0, 'articleCount', `the Persian block has ${fa.length} entries and the English block ${en.length}, and without pages they pair by order`);
    }
    const first = fa.length > 0 ? fa : en;
    return first.map((entry, i) => {
      const pair = fa.length > 0 ? { fa: entry, en: en[i] ?? null } : { fa: null, en: entry };
      if (pair.fa !== null && pair.en !== null && pair.fa.pageStart !== null && pair.en.pageStart !== null && key(pair.fa) !== key(pair.en)) {
        fail(pair.en.line, 'pages', `pages ${key(pair.en)} of the English entry ${i + 1} differ from ${key(pair.fa)} of the Persian one (line ${pair.fa.line})`);
      }
      return toArticle(pair.fa, pair.en, i + 1, fail);
    });
  }
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
    .map((p, i) => toArticle(p.fa, p.en, i + 1, fail))
    .sort((a, b) => (a.pageStart ?? 0) - (b.pageStart ?? 0) || (a.pageEnd ?? 0) - (b.pageEnd ?? 0))
    .map((a, i) => ({ ...a, ordinal: i + 1 }));
}

function toArticle(fa: BlockEntry | null, en: BlockEntry | null, ordinal: number, fail: Fail): TocArticle {
  const any = fa ?? en;
  if (any === null) throw new Error('unreachable: a pair always has one entry');
  return {
    line: any.line,
    ordinal,
    // Pages from whichever entry prints them.
    pageStart: fa?.pageStart ?? en?.pageStart ?? null,
    pageEnd: fa?.pageEnd ?? en?.pageEnd ?? null,
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
