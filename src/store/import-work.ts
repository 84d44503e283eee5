/**
 * The part of an import that needs no store: reading JSON Lines, normalizing articles, packing
 * their abstracts and computing their search rows. The render threads run it for large imports
 * (render-pool.ts), the main thread for small ones: the same code, so both store the same bytes.
 */
import { packText } from '../deflate/piece.js';
import { LocatedError } from '../ingest/errors.js';
import { lineArticle, readLine, type LineIssue } from '../ingest/jsonl.js';
import { normalizePatch } from '../ingest/normalize-patch.js';
import type { ArticlePatch } from '../ingest/patch.js';
import type { NormalizationChange } from '../text/normalize.js';
import { searchColumns } from './search.js';
import type { PreparedContent } from './write.js';

/** Consecutive lines of a file, numbered from `first`, joined by `\n`. */
export interface Lines {
  first: number;
  text: string;
}

/** A problem at a place of a file, as a thread reports it: the main thread throws it, in line order. */
export interface Failure {
  source: string;
  line: number;
  field: string;
  detail: string;
}

/** What the first reading of some lines found: each article line's issue, up to the first problem. */
export interface ScanResult {
  issues: LineIssue[];
  /**
   * The first problem. `issue` is given when the line itself read well as far as its issue: its
   * issue is then checked against the earlier lines first, as a file read whole checks it.
   */
  failure?: { error: Failure; issue?: LineIssue };
}

/** An article made ready for the store. */
export interface PreparedArticle {
  /** The issue its line names (JSON Lines); 0 for an article given as a patch. */
  issue: number;
  /** Normalized. */
  patch: ArticlePatch;
  changes: NormalizationChange[];
  /** What packText and searchColumns give for the article the patch makes when it is new. */
  content: PreparedContent;
}

/** Articles made ready from some lines, up to the first problem. */
export interface PreparedLines {
  articles: PreparedArticle[];
  failure?: Failure;
}

function failure(error: unknown): Failure {
  if (error instanceof LocatedError) return { source: error.source, line: error.line, field: error.field, detail: error.detail };
  throw error;
}

/** Reads lines as far as their issues (JSON, the schema, every check of the line), to count and check a file before writing. */
export function scanLines(source: string, lines: Lines): ScanResult {
  const issues: LineIssue[] = [];
  const texts = lines.text.split('\n');
  for (let i = 0; i < texts.length; i++) {
    let read: ReturnType<typeof readLine>;
    try {
      read = readLine(texts[i] as string, lines.first + i, source);
    } catch (error) {
      return { issues, failure: { error: failure(error) } };
    }
    if (read === null) continue;
    try {
      lineArticle(read, source);
    } catch (error) {
      return { issues, failure: { error: failure(error), issue: read.issue } };
    }
    issues.push(read.issue);
  }
  return { issues };
}

/** An article made ready: normalized, with what a new article's rows need computed from it. */
export function prepareArticle(raw: ArticlePatch, issue = 0): PreparedArticle {
  const { patch, changes } = normalizePatch(raw);
  // As the article is stored when it is new: what the patch does not give is empty.
  const abstract = (text: string | null | undefined) => (text === undefined || text === null ? null : packText(text));
  const content: PreparedContent = {
    abstractFa: abstract(patch.abstractFa),
    abstractEn: abstract(patch.abstractEn),
    search: searchColumns(patch),
  };
  return { issue, patch, changes, content };
}

/** What a line that passed a first reading and fails the second says: the file is not the one read. */
export const CHANGED = 'it changed while it was imported: import it again';

/**
 * Reads lines into articles made ready, up to the first problem. `checked`: the lines passed a
 * first reading (scanLines), so the schema is not checked again, and any problem now means the
 * file changed since.
 */
export function prepareLines(source: string, lines: Lines, checked = false): PreparedLines {
  const articles: PreparedArticle[] = [];
  const texts = lines.text.split('\n');
  for (let i = 0; i < texts.length; i++) {
    try {
      const read = readLine(texts[i] as string, lines.first + i, source, checked);
      if (read !== null) articles.push(prepareArticle(lineArticle(read, source), read.issue.number));
    } catch (error) {
      if (checked) return { articles, failure: { source, line: lines.first + i, field: 'file', detail: CHANGED } };
      return { articles, failure: failure(error) };
    }
  }
  return { articles };
}

/** Articles made ready as a thread sends them: the packed abstracts in one buffer, moved rather than copied. */
export interface PackedPrepared {
  articles: Array<Omit<PreparedArticle, 'content'> & { content: Omit<PreparedContent, 'abstractFa' | 'abstractEn'> & { abstracts: [number, number, number, number] } }>;
  bytes: ArrayBuffer;
  failure?: Failure;
}

/** Packs articles made ready, for the main thread; an abstract's offset is -1 when it has none. */
export function packPrepared({ articles, failure }: PreparedLines): PackedPrepared {
  let size = 0;
  for (const { content } of articles) size += (content.abstractFa?.length ?? 0) + (content.abstractEn?.length ?? 0);
  // Its own memory, not a slice of Node's shared pool, which cannot be moved.
  const bytes = new ArrayBuffer(size);
  const view = new Uint8Array(bytes);
  let offset = 0;
  const place = (packed: Uint8Array | null): [number, number] => {
    if (packed === null) return [-1, 0];
    view.set(packed, offset);
    offset += packed.length;
    return [offset - packed.length, packed.length];
  };
  const packed: PackedPrepared = {
    articles: articles.map(({ content: { abstractFa, abstractEn, search }, ...rest }) => ({
      ...rest,
      content: { search, abstracts: [...place(abstractFa), ...place(abstractEn)] },
    })),
    bytes,
  };
  if (failure !== undefined) packed.failure = failure;
  return packed;
}

/** The articles `packPrepared` packed. */
export function unpackPrepared({ articles, bytes, failure }: PackedPrepared): PreparedLines {
  const view = (offset: number, length: number) => (offset < 0 ? null : Buffer.from(bytes, offset, length));
  const unpacked: PreparedLines = {
    articles: articles.map(({ content: { search, abstracts }, ...rest }) => ({
      ...rest,
      content: { abstractFa: view(abstracts[0], abstracts[1]), abstractEn: view(abstracts[2], abstracts[3]), search },
    })),
  };
  if (failure !== undefined) unpacked.failure = failure;
  return unpacked;
}
