import type { Author, FullText, Funding, IssueInput } from '../model.js';

/**
 * What a source says about one article. A field left undefined is one the source does not give,
 * so an import leaves the stored value alone; `null` clears it.
 */
export interface ArticlePatch {
  /** Line of the source the article starts on, for messages. */
  line: number;
  /** An existing article's local id, when the source names it. */
  id?: string;
  /** Both null when the source prints no pages: the article is then known by its place in the issue. */
  pageStart: number | null;
  pageEnd: number | null;
  /** 1-based place in the issue's list, which identifies an article without pages. */
  ordinal?: number;
  doi?: string | null;
  landingUrl?: string | null;
  titleFa?: string | null;
  titleEn?: string | null;
  /** Where the titles come from; defaults to the source file. */
  titleSourceFa?: string;
  titleSourceEn?: string;
  abstractFa?: string | null;
  abstractEn?: string | null;
  keywordsFa?: string[];
  keywordsEn?: string[];
  authors?: Author[];
  license?: string | null;
  accessRights?: string | null;
  resourceType?: string | null;
  dateReceived?: string | null;
  dateAccepted?: string | null;
  fullText?: FullText[];
  funding?: Funding[];
}

/** The fields of an article a source can change, in report order. */
export const PATCH_FIELDS = [
  'pages',
  'doi',
  'landingUrl',
  'titleFa',
  'titleEn',
  'abstractFa',
  'abstractEn',
  'keywordsFa',
  'keywordsEn',
  'authors',
  'license',
  'accessRights',
  'resourceType',
  'dateReceived',
  'dateAccepted',
  'fullText',
  'funding',
] as const;

/** One of PATCH_FIELDS. */
export type PatchField = (typeof PATCH_FIELDS)[number];

/** What a source says about one issue: its number always, its other facts when given. */
export type IssuePatch = Pick<IssueInput, 'number'> & Partial<Omit<IssueInput, 'number'>> & { line: number };

/** The articles of one issue, as one source gives them. */
export interface IssueBatch {
  issue: IssuePatch;
  /** The journal's Persian name as the source prints it, to check it is the stored journal. */
  journalNameFa: string | null;
  /** The line that names the journal, when the source has one. */
  journalLine?: number;
  /** The journal's code, when the source names it (a sheet's `journal` column). */
  journalCode?: string;
  articles: ArticlePatch[];
  /** True when the source lists the whole issue, so stored articles it lacks are missing. */
  complete: boolean;
}

/** A whole source file, read and checked, ready to import. */
export interface ImportSource {
  name: string;
  format: 'toc' | 'jsonl' | 'csv';
  batches: IssueBatch[];
}
