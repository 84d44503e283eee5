/** A journal's code: short lowercase ASCII, since it is a set spec and the start of identifiers. */
export const JOURNAL_CODE = /^[a-z][a-z0-9]{1,15}$/;

/** The two languages every record carries. */
export type Lang = 'fa' | 'en';

/** One author of an article, in the order the journal prints them. */
export interface Author {
  /** Name as printed in the Persian block, or null when that block lacks it. */
  nameFa: string | null;
  /** Name as printed in the English block, or null when that block lacks it. */
  nameEn: string | null;
  /** Marked with `*` in the source: the corresponding author. */
  corresponding: boolean;
}

/** An article as read from a source, before it gets an identity in the store. */
export interface ArticleInput {
  /** First and last page; both null when the source prints no pages. */
  pageStart: number | null;
  pageEnd: number | null;
  doi: string | null;
  landingUrl: string | null;
  titleFa: string | null;
  titleEn: string | null;
  abstractFa: string | null;
  abstractEn: string | null;
  keywordsFa: string[];
  keywordsEn: string[];
  authors: Author[];
}

/** An issue of the journal as its table of contents describes it. */
export interface IssueInput {
  /** Serial number (`پیاپی 58`). */
  number: number;
  /** Volume, when a source states it. */
  volume: number | null;
  /** Number within the volume (`سال یازدهم شماره 2`), when a source states it. */
  numberInVolume: number | null;
  /** Season as printed, e.g. `تابستان` or `بهار و تابستان`. */
  seasonFa: string;
  /** English season name, e.g. `Summer` or `Spring and Summer`. */
  seasonEn: string;
  /** Solar Hijri year of the season, e.g. 1401. */
  yearSolar: number;
  /** Solar Hijri publication date as printed, `YYYY/MM/DD`: display text only; null when not given. */
  dateSolar: string | null;
  /** The same date in the Gregorian calendar, ISO 8601 `YYYY-MM-DD`; null when not given. */
  datePublished: string | null;
  /** Number of articles the header announces; null when it does not say. */
  articleCount: number | null;
}

/** An article of a table of contents, with the line its entry starts on and its place in the list. */
export interface TocArticle extends ArticleInput {
  line: number;
  /** 1-based position in the document's list. */
  ordinal: number;
}

/** Everything one table-of-contents document holds. */
export interface TocDocument {
  /** The journal's name as printed, with `فصلنامه` or `نشریه` when the document has it. */
  journalNameFa: string;
  /** The short name of a first line `<short name> - <issue line>`, when the document has one. */
  shortNameFa: string | null;
  issue: IssueInput;
  articles: TocArticle[];
  /** Where the journal name and the issue line stand, for messages about them. */
  lines: { journal: number; issue: number };
}

/** The journal as stored. */
export interface JournalInfo {
  /** Short ASCII code, e.g. `prb`: the journal's set spec. */
  code: string;
  nameFa: string | null;
  nameEn: string | null;
  publisherFa: string | null;
  publisherEn: string | null;
  issnPrint: string | null;
  issnOnline: string | null;
  website: string | null;
  /** COAR access-right URI (e.g. http://purl.org/coar/access_right/c_abf2 for open access), when known. */
  accessRights: string | null;
  /** URL of the licence the articles are published under, when known. */
  license: string | null;
}

/** An issue as stored. */
export interface IssueInfo {
  /** Serial number. */
  number: number;
  volume: number | null;
  /** Number within the volume, when a source states it. */
  numberInVolume: number | null;
  seasonFa: string | null;
  seasonEn: string | null;
  yearSolar: number | null;
  dateSolar: string | null;
  datePublished: string | null;
}

/** The OAI view of a record: enough for a header. */
export interface RecordHeader {
  /** Local part of the OAI identifier, e.g. `58-7`. */
  localId: string;
  /** `YYYY-MM-DDThh:mm:ssZ`. */
  datestamp: string;
  deleted: boolean;
  setSpecs: string[];
}

/** One title or abstract with where it came from. */
export interface ArticleText {
  title: string | null;
  titleSource: string | null;
  abstract: string | null;
}

/** A whole stored record: what every metadata format renders from, and nothing else. */
export interface ArticleRecord extends RecordHeader {
  journal: JournalInfo;
  issue: IssueInfo;
  /** First and last page; both null when not known. */
  pageStart: number | null;
  pageEnd: number | null;
  doi: string | null;
  landingUrl: string | null;
  /** ISO 639-1 code of the article's own language. */
  language: string;
  text: Record<Lang, ArticleText>;
  keywords: Record<Lang, string[]>;
  authors: Author[];
}

/** An OAI set, with names in both languages. */
export interface OaiSet {
  spec: string;
  nameFa: string | null;
  nameEn: string;
  descriptionFa: string | null;
  descriptionEn: string | null;
}
