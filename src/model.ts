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
  /**
   * ORCID iD as its URL (`https://orcid.org/0000-…`), when a source gives it. A source that says
   * there is none gives null, which clears a stored one; a stored record never has null here.
   */
  orcid?: string | null;
  /** Where the author works, as the source names it, in order; absent when no source says. */
  affiliations?: Affiliation[];
}

/** An author's affiliation: its name in either language or both, and its ROR id when known. */
export interface Affiliation {
  nameFa: string | null;
  nameEn: string | null;
  /** ROR id as its URL (`https://ror.org/0…`). */
  ror: string | null;
}

/** A link to the article's full text. */
export interface FullText {
  url: string;
  /** e.g. `application/pdf`. */
  mediaType: string;
  /** ISO 639-1 code of the text's language, when known. */
  lang: string | null;
}

/** One grant behind the article. */
export interface Funding {
  funderNameFa: string | null;
  funderNameEn: string | null;
  /** The funder's ROR id or Crossref Funder ID, as a URL. */
  funderId: string | null;
  awardNumber: string | null;
  awardTitleFa: string | null;
  awardTitleEn: string | null;
}

/** What a source may say of an article beyond its text: each empty unless a source gives it. */
export interface ArticleDetails {
  /** Licence URL of this article, overriding the journal's. */
  license: string | null;
  /** COAR access-right URI of this article, overriding the journal's. */
  accessRights: string | null;
  /** COAR resource type URI; null for a journal article. */
  resourceType: string | null;
  /** ISO 8601 `YYYY-MM-DD`. */
  dateReceived: string | null;
  dateAccepted: string | null;
  fullText: FullText[];
  funding: Funding[];
}

/** No details: what a source that gives none of them leaves. */
export const NO_DETAILS: Readonly<ArticleDetails> = Object.freeze({
  license: null,
  accessRights: null,
  resourceType: null,
  dateReceived: null,
  dateAccepted: null,
  fullText: [],
  funding: [],
});

/** An article's text, authors and place, as every source gives them. */
export interface ArticleCore {
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

/** An article as read from a source, before it gets an identity in the store. */
export type ArticleInput = ArticleCore & ArticleDetails;

/** An issue of the journal as its table of contents describes it. */
export interface IssueInput {
  /** Serial number (`پیاپی 58`). */
  number: number;
  /** Volume, when a source states it. */
  volume: number | null;
  /** Number within the volume (`سال یازدهم شماره 2`), when a source states it. */
  numberInVolume: number | null;
  /** Season as printed, e.g. `تابستان` or `بهار و تابستان`; null when no source says (a JATS file of another platform). */
  seasonFa: string | null;
  /** English season name, e.g. `Summer` or `Spring and Summer`. */
  seasonEn: string | null;
  /** Solar Hijri year of the season, e.g. 1401; null when no source says. */
  yearSolar: number | null;
  /** Solar Hijri publication date as printed, `YYYY/MM/DD`: display text only; null when not given. */
  dateSolar: string | null;
  /** The same date in the Gregorian calendar, ISO 8601 `YYYY-MM-DD`; null when not given. */
  datePublished: string | null;
  /** Number of articles the header announces; null when it does not say. */
  articleCount: number | null;
}

/** An article of a table of contents, with the line its entry starts on and its place in the list. */
export interface TocArticle extends ArticleCore {
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
  details: ArticleDetails;
}

/** An OAI set, with names in both languages. */
export interface OaiSet {
  spec: string;
  nameFa: string | null;
  nameEn: string;
  descriptionFa: string | null;
  descriptionEn: string | null;
}
