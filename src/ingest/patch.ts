import type { Author, FullText, Funding, IssueInput, JournalInfo } from '../model.js';
import type { LineChunk } from './lines.js';

/**
 * What a source says about one article. A field left undefined is one the source does not give,
 * so an import leaves the stored value alone; `null` clears it.
 */
export interface ArticlePatch {
  /** Line of the source the article starts on, for messages. */
  line: number;
  /** An existing article's local id, when the source names it. */
  id?: string;
  /**
   * The local id this repository gave the article, read back from its own export (JATS
   * `article-id` of its own authority): it finds the stored article, or names a new one.
   */
  assignedId?: string;
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

/**
 * What a source says about one issue: its facts when given. Its serial number is null only when
 * the source numbers it by volume alone (a JATS file's `volume` and `issue`), for the store to find.
 */
export type IssuePatch = { number: number | null } & Partial<Omit<IssueInput, 'number'>> & { line: number };

/** A journal's facts as a source states them, for adding a journal the store does not hold yet. */
export type JournalFacts = Partial<Omit<JournalInfo, 'code'>>;

/** The articles of one issue, as one source gives them. */
export interface IssueBatch {
  issue: IssuePatch;
  /** The journal's Persian name as the source prints it, to check it is the stored journal. */
  journalNameFa: string | null;
  /** The line that names the journal, when the source has one. */
  journalLine?: number;
  /** The journal's code, when the source names it (a sheet's `journal` column). */
  journalCode?: string;
  /** The journal's facts as the source states them (a JATS file's `journal-meta`). */
  journal?: JournalFacts;
  articles: ArticlePatch[];
  /** True when the source lists the whole issue, so stored articles it lacks are missing. */
  complete: boolean;
  /**
   * False when the articles are not in the issue's order (a file per article), so an article
   * without pages is known by its DOI or title rather than by its place.
   */
  listed?: boolean;
  /** The file the batch comes from, when the source is a folder: named in titles' sources and messages. */
  file?: string;
}

/** A whole source file, read and checked, ready to import. */
export interface ImportSource {
  name: string;
  format: 'toc' | 'jsonl' | 'csv' | 'jats';
  batches: IssueBatch[];
}

/**
 * A JSON Lines file read as it is imported, a chunk of lines at a time, so that a file of any
 * size takes little memory: the import reads it twice, to check it, then to write it.
 */
export interface JsonlStream {
  name: string;
  format: 'jsonl';
  /** The file's lines from its start, each time called, about `lines` at a time: strict UTF-8, as readLineChunks reads them. */
  chunks(lines?: number): Iterable<LineChunk>;
  /** The file's size in bytes, to estimate how many lines it has from those read so far. */
  bytes(): number;
  /** What tells the file apart from itself changed (its size and modification time), to refuse a file changed between the readings. */
  version(): string;
}
