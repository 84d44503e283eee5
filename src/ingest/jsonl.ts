import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type { Author } from '../model.js';
import { persianSeasonToEnglish, solarHijriToGregorian } from '../text/solar-hijri.js';
import { canonicalFunderId, canonicalOrcid, canonicalRor } from '../text/identifiers.js';
import { toAsciiDigits } from '../text/normalize.js';
import { ACCESS_RIGHTS_WORDS, accessRightsUri, isCalendarDate, RESOURCE_TYPE_WORDS, resourceTypeUri } from './details.js';
import { JsonlError } from './errors.js';
import type { ArticlePatch, IssueBatch, IssuePatch } from './patch.js';

const nullableText = { type: ['string', 'null'], minLength: 1 } as const;
const bilingualText = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { fa: nullableText, en: nullableText },
} as const;
const keywordList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

/** JSON Schema of one line: one article, both languages. docs/data-and-import.md documents it with an example. */
export const ARTICLE_LINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['issue', 'pages'],
  properties: {
    id: { type: 'string', pattern: '^([a-z][a-z0-9]*-)?[0-9]+-n?[0-9]+(-[0-9]+)?$' },
    issue: {
      type: 'object',
      additionalProperties: false,
      required: ['number'],
      properties: {
        number: { type: 'integer', minimum: 1 },
        volume: { type: ['integer', 'null'], minimum: 1 },
        season: { type: 'string', enum: ['بهار', 'تابستان', 'پاییز', 'پائیز', 'زمستان'] },
        year: { type: 'integer', minimum: 1300, maximum: 1500 },
        date: { type: 'string', pattern: '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}$' },
      },
    },
    // null: the source prints no pages.
    pages: { type: ['string', 'null'], pattern: '^[0-9]+-[0-9]+$' },
    doi: { type: ['string', 'null'], pattern: '^10\\.[0-9]{4,9}/\\S+$' },
    url: { type: ['string', 'null'], pattern: '^https?://\\S+$' },
    title: bilingualText,
    titleSource: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { fa: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } },
    },
    abstract: bilingualText,
    keywords: { type: 'object', additionalProperties: false, minProperties: 1, properties: { fa: keywordList, en: keywordList } },
    authors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        anyOf: [{ required: ['fa'] }, { required: ['en'] }],
        properties: {
          fa: { type: 'string', minLength: 1 },
          en: { type: 'string', minLength: 1 },
          corresponding: { type: 'boolean' },
          orcid: { type: ['string', 'null'], minLength: 1 },
          affiliations: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              anyOf: [{ required: ['fa'] }, { required: ['en'] }],
              properties: { fa: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 }, ror: { type: 'string', minLength: 1 } },
            },
          },
        },
      },
    },
    license: { type: ['string', 'null'], pattern: '^https?://\\S+$' },
    accessRights: { type: ['string', 'null'], minLength: 1 },
    type: { type: ['string', 'null'], minLength: 1 },
    received: { type: ['string', 'null'], pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    accepted: { type: ['string', 'null'], pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    fullText: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'mediaType'],
        properties: { url: { type: 'string', pattern: '^https?://\\S+$' }, mediaType: { type: 'string', pattern: '^[a-z]+/[a-z0-9.+-]+$' }, lang: { type: 'string', pattern: '^[a-z]{2}$' } },
      },
    },
    funding: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['funder'],
        properties: {
          funder: {
            type: 'object',
            additionalProperties: false,
            anyOf: [{ required: ['fa'] }, { required: ['en'] }],
            properties: { fa: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 }, id: { type: 'string', minLength: 1 } },
          },
          award: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { number: { type: 'string', minLength: 1 }, title: bilingualText },
          },
        },
      },
    },
  },
} as const;

/** A line as the schema admits it. */
interface ArticleLine {
  id?: string;
  issue: { number: number; volume?: number | null; season?: string; year?: number; date?: string };
  pages: string | null;
  doi?: string | null;
  url?: string | null;
  title?: { fa?: string | null; en?: string | null };
  titleSource?: { fa?: string; en?: string };
  abstract?: { fa?: string | null; en?: string | null };
  keywords?: { fa?: string[]; en?: string[] };
  authors?: Array<{ fa?: string; en?: string; corresponding?: boolean; orcid?: string | null; affiliations?: Array<{ fa?: string; en?: string; ror?: string }> }>;
  license?: string | null;
  accessRights?: string | null;
  type?: string | null;
  received?: string | null;
  accepted?: string | null;
  fullText?: Array<{ url: string; mediaType: string; lang?: string }>;
  funding?: Array<{ funder: { fa?: string; en?: string; id?: string }; award?: { number?: string; title?: { fa?: string | null; en?: string | null } } }>;
}

let compiled: ValidateFunction<ArticleLine> | undefined;

/**
 * The line validator, compiled on first use: the JSON Schema library is loaded only by a process
 * that reads a JSON Lines file, not by every server that never will.
 */
function validator(): ValidateFunction<ArticleLine> {
  if (compiled === undefined) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    compiled = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile<ArticleLine>(ARTICLE_LINE_SCHEMA);
  }
  return compiled;
}

function describe(error: ErrorObject): { field: string; detail: string } {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { field: path === '' ? extra : `${path}.${extra}`, detail: 'is not a field of the format' };
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: path === '' ? missing : `${path}.${missing}`, detail: 'is required' };
  }
  return { field: path === '' ? 'line' : path, detail: error.message ?? 'is invalid' };
}

/** Gregorian dates already converted: every line of an issue gives the same date, and ICU's calendar is slow. */
const gregorian = new Map<string, string>();

/** solarHijriToGregorian, remembered; a date it refuses is not. */
function gregorianOf(y: number, m: number, d: number): string {
  const key = `${y}/${m}/${d}`;
  let date = gregorian.get(key);
  if (date === undefined) {
    date = solarHijriToGregorian(y, m, d);
    // A journal has a few issues a year: this bound is never reached but by a file of made-up dates.
    if (gregorian.size >= 10_000) gregorian.clear();
    gregorian.set(key, date);
  }
  return date;
}

function issueOf(line: ArticleLine, no: number, source: string): IssuePatch & { number: number } {
  const { number, volume, season, year, date } = line.issue;
  const issue: IssuePatch & { number: number } = { number, line: no };
  if (volume !== undefined) issue.volume = volume;
  if (season !== undefined) {
    issue.seasonFa = season === 'پائیز' ? 'پاییز' : season;
    issue.seasonEn = persianSeasonToEnglish(season);
  }
  if (date !== undefined) {
    const [y, m, d] = toAsciiDigits(date).split('/').map(Number) as [number, number, number];
    try {
      issue.datePublished = gregorianOf(y, m, d);
    } catch {
      throw new JsonlError(source, no, 'issue.date', `no such Solar Hijri date ${date}`);
    }
    issue.dateSolar = `${y}/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`;
    issue.yearSolar = year ?? y;
  } else if (year !== undefined) {
    issue.yearSolar = year;
  }
  return issue;
}

function articleOf(line: ArticleLine, no: number, source: string): ArticlePatch {
  const [pageStart, pageEnd] = line.pages === null ? [null, null] : (line.pages.split('-').map(Number) as [number, number]);
  if (pageStart !== null && pageEnd !== null && (pageStart < 1 || pageStart > pageEnd)) {
    throw new JsonlError(source, no, 'pages', `page range "${line.pages ?? ''}" is not a range`);
  }
  const patch: ArticlePatch = { line: no, pageStart, pageEnd };
  if (line.id !== undefined) patch.id = line.id;
  if (line.doi !== undefined) patch.doi = line.doi;
  if (line.url !== undefined) patch.landingUrl = line.url;
  if (line.title?.fa !== undefined) patch.titleFa = line.title.fa;
  if (line.title?.en !== undefined) patch.titleEn = line.title.en;
  if (line.titleSource?.fa !== undefined) patch.titleSourceFa = line.titleSource.fa;
  if (line.titleSource?.en !== undefined) patch.titleSourceEn = line.titleSource.en;
  if (line.abstract?.fa !== undefined) patch.abstractFa = line.abstract.fa;
  if (line.abstract?.en !== undefined) patch.abstractEn = line.abstract.en;
  if (line.keywords?.fa !== undefined) patch.keywordsFa = line.keywords.fa;
  if (line.keywords?.en !== undefined) patch.keywordsEn = line.keywords.en;
  if (line.authors !== undefined) {
    patch.authors = line.authors.map((a, i): Author => {
      const author: Author = { nameFa: a.fa ?? null, nameEn: a.en ?? null, corresponding: a.corresponding ?? false };
      if (a.orcid === null) author.orcid = null;
      else if (a.orcid !== undefined) author.orcid = checked(canonicalOrcid(a.orcid), `authors.${i}.orcid`, `"${a.orcid}" is no ORCID iD: its check digit is wrong, or it is not 16 digits`);
      if (a.affiliations !== undefined) {
        author.affiliations = a.affiliations.map((f, j) => ({
          nameFa: f.fa ?? null,
          nameEn: f.en ?? null,
          ror: f.ror === undefined ? null : checked(canonicalRor(f.ror), `authors.${i}.affiliations.${j}.ror`, `"${f.ror}" is no ROR id: its checksum is wrong`),
        }));
      }
      return author;
    });
  }
  if (line.license !== undefined) patch.license = line.license;
  if (line.accessRights !== undefined) {
    const word = line.accessRights;
    patch.accessRights = word === null ? null : checked(accessRightsUri(word), 'accessRights', `"${word}" is none of ${ACCESS_RIGHTS_WORDS} or their COAR URIs`);
  }
  if (line.type !== undefined) {
    const word = line.type;
    patch.resourceType = word === null ? null : checked(resourceTypeUri(word), 'type', `"${word}" is none of ${RESOURCE_TYPE_WORDS} or their COAR URIs`);
  }
  for (const [key, field] of [['received', 'dateReceived'], ['accepted', 'dateAccepted']] as const) {
    const date = line[key];
    if (date === undefined) continue;
    if (date !== null && !isCalendarDate(date)) throw new JsonlError(source, no, key, `no such date ${date}`);
    patch[field] = date;
  }
  if (line.fullText !== undefined) patch.fullText = line.fullText.map((f) => ({ url: f.url, mediaType: f.mediaType, lang: f.lang ?? null }));
  if (line.funding !== undefined) {
    patch.funding = line.funding.map((f, i) => ({
      funderNameFa: f.funder.fa ?? null,
      funderNameEn: f.funder.en ?? null,
      funderId:
        f.funder.id === undefined
          ? null
          : checked(canonicalRor(f.funder.id) ?? canonicalFunderId(f.funder.id), `funding.${i}.funder.id`, `"${f.funder.id}" is neither a ROR id nor a Crossref Funder ID (10.13039/…)`),
      awardNumber: f.award?.number ?? null,
      awardTitleFa: f.award?.title?.fa ?? null,
      awardTitleEn: f.award?.title?.en ?? null,
    }));
  }
  return patch;

  /** A value its check accepted, or a JsonlError on this line. */
  function checked(value: string | null, field: string, detail: string): string {
    if (value === null) throw new JsonlError(source, no, field, detail);
    return value;
  }
}

const ISSUE_FIELDS = ['volume', 'seasonFa', 'yearSolar', 'dateSolar'] as const;

/** A line that parsed and passed the schema, with its issue's facts as the line gives them. */
export interface ReadLine {
  value: ArticleLine;
  issue: LineIssue;
}

/** An issue's facts as one line gives them, with its serial number and the line's number. */
export type LineIssue = IssuePatch & { number: number };

/**
 * Reads line `no` as far as its issue: JSON, the schema, the issue's date. Null for a blank line.
 * Throws JsonlError naming the line and field. {@link lineArticle} reads the rest. `checked`: the
 * line passed the schema already (a first reading of the same file), so the check is not repeated.
 */
export function readLine(raw: string, no: number, source: string, checked = false): ReadLine | null {
  if (raw.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new JsonlError(source, no, 'json', `not valid JSON (${(error as Error).message})`);
  }
  if (checked) return { value: value as ArticleLine, issue: issueOf(value as ArticleLine, no, source) };
  const validate = validator();
  if (!validate(value)) {
    const first = describe((validate.errors ?? [])[0] as ErrorObject);
    throw new JsonlError(source, no, first.field, first.detail);
  }
  return { value, issue: issueOf(value, no, source) };
}

/** The article of a line {@link readLine} read; throws JsonlError for a value its check refuses. */
export function lineArticle(line: ReadLine, source: string): ArticlePatch {
  return articleOf(line.value, line.issue.line, source);
}

/** What the lines of one issue say of it, merged, and how many lines give it. */
export interface IssueLines {
  /** The first line's facts, completed by later lines'. */
  issue: LineIssue;
  /** Lines (articles) of the issue. */
  count: number;
  /** The number of the issue's last line so far. */
  lastLine: number;
}

/**
 * The issues of a JSON Lines file, as its lines are read in order: lines of one issue must agree
 * on its facts, and a fact one line gives completes the others'.
 */
export class JsonlIssues {
  private readonly issues = new Map<number, IssueLines>();

  constructor(private readonly source: string) {}

  /** Adds a line's issue; throws JsonlError, naming this line, when it contradicts an earlier one. */
  add(issue: LineIssue): IssueLines {
    const known = this.issues.get(issue.number);
    if (known === undefined) {
      const entry = { issue, count: 1, lastLine: issue.line };
      this.issues.set(issue.number, entry);
      return entry;
    }
    const merged = known.issue;
    for (const key of ISSUE_FIELDS) {
      const a = merged[key];
      const b = issue[key];
      if (a !== undefined && b !== undefined && a !== b) {
        throw new JsonlError(this.source, issue.line, `issue.${key}`, `says ${String(b)}, but line ${merged.line} says ${String(a)} for issue ${issue.number}`);
      }
      if (a === undefined && b !== undefined) Object.assign(merged, { [key]: b });
    }
    if (merged.datePublished === undefined && issue.datePublished !== undefined) merged.datePublished = issue.datePublished;
    if (merged.seasonEn === undefined && issue.seasonEn !== undefined) merged.seasonEn = issue.seasonEn;
    known.count++;
    known.lastLine = issue.line;
    return known;
  }

  /** The issues, in the order their first lines come. */
  all(): IssueLines[] {
    return [...this.issues.values()];
  }
}

/**
 * Reads JSON Lines: one article per line, checked against ARTICLE_LINE_SCHEMA. Blank lines are
 * skipped. Lines of one issue must agree on its facts. Throws JsonlError naming the line and field.
 */
export function parseJsonl(text: string, source: string): IssueBatch[] {
  const issues = new JsonlIssues(source);
  const articles = new Map<number, ArticlePatch[]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = readLine(raw, i + 1, source);
    if (line === null) return;
    issues.add(line.issue);
    const list = articles.get(line.issue.number) ?? [];
    list.push(lineArticle(line, source));
    articles.set(line.issue.number, list);
  });
  return issues.all().map(({ issue }) => ({ issue, journalNameFa: null, articles: articles.get(issue.number) ?? [], complete: false }));
}
