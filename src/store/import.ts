import { ImportConflictError, JsonlError, SourceFormatError } from '../ingest/errors.js';
import { JsonlIssues, lineArticle, readLine, type IssueLines } from '../ingest/jsonl.js';
import { CHUNK_LINES, type LineChunk } from '../ingest/lines.js';
import { normalizePatch } from '../ingest/normalize-patch.js';
import { PATCH_FIELDS, type ArticlePatch, type ImportSource, type IssueBatch, type JournalFacts, type JsonlStream, type PatchField } from '../ingest/patch.js';
import { NO_DETAILS, type ArticleInput, type Author, type IssueInfo, type IssueInput, type JournalInfo } from '../model.js';
import { formatDatestamp } from '../oai/datestamp.js';
import type { NormalizationChange } from '../text/normalize.js';
import { collapseWhitespace, toPersianLetters } from '../text/normalize.js';
import type { Db } from './open.js';
import { FORMATS, type MetadataFormat } from '../formats/registry.js';
import { fragmentRenderer, renderPoolFor, type FragmentRenderer, type NewRecord } from './formats.js';
import { CHANGED, scanLines, unpackPrepared, type Failure, type PreparedArticle, type ScanResult } from './import-work.js';
import { issueFromRow, SqliteRepository, toArticleInput, type IssueColumns } from './records.js';
import { renderSettings, type RenderPool } from './render-pool.js';
import { statement } from './statements.js';
import {
  articleLocalId,
  checkJournalCode,
  ensureIssueSets,
  journalByCode,
  listJournals,
  upsertJournal,
  type JournalRef,
  insertArticle,
  setDeleted,
  touchIssueArticles,
  updateArticle,
  upsertIssue,
  type TitleSources,
} from './write.js';

/** One article whose content an import changed, and which fields. */
export interface ArticleChange {
  id: string;
  fields: string[];
}

/** What an import did, or with `dryRun` would do. */
export interface ImportSummary {
  source: string;
  added: string[];
  changed: ArticleChange[];
  unchanged: string[];
  /** Withdrawn because a complete issue listing lacks them (only with `deleteMissing`). */
  deleted: string[];
  /** Stored articles that a complete issue listing lacks, left as they are. */
  missing: string[];
  /** Articles the source gives that are withdrawn in the store: left withdrawn and untouched. */
  withdrawn: string[];
  /** The codes of the journals the import added, with the facts their documents state. */
  journalsAdded: string[];
  /** The values normalization changed: the first MAX_NORMALIZATIONS of them, in the order found. */
  normalizations: Array<NormalizationChange & { id: string }>;
  /** How many values normalization changed in all. */
  normalized: number;
}

/**
 * Normalizations an import keeps for its summary; the rest are counted. Each holds a value before
 * and after, an abstract at most, and a large file may have one for every article.
 */
const MAX_NORMALIZATIONS = 1_000;

/** Options of an import. */
export interface ImportOptions {
  now: Date;
  /** Do everything, report it, then roll it back. */
  dryRun?: boolean;
  /** Withdraw stored articles that a complete issue listing lacks. */
  deleteMissing?: boolean;
  /** The code of the journal the file is for (`--journal`); needed when the store holds several. */
  journal?: string | undefined;
  /** Told how many articles the source holds once it is read and checked, before anything is written. */
  onRead?: ((articles: number) => void) | undefined;
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRun extends Error {}

/**
 * The datestamp a change gets: now, but always later than the record's previous datestamp, so a
 * clock set back cannot hide a change from incremental harvests.
 */
export function nextDatestamp(now: Date, previous: string | null): string {
  const stamp = formatDatestamp(now);
  if (previous === null || stamp > previous) return stamp;
  return formatDatestamp(new Date(Date.parse(previous) + 1000));
}

/**
 * Authors as a source gives them, with what it does not give kept from the stored ones: a table of
 * contents prints no ORCID iDs or affiliations, and re-importing it must not erase the ones a
 * richer source gave. An author keeps them only while its name stays the same in some language.
 */
export function keepAuthorIds(given: readonly Author[], stored: readonly Author[]): Author[] {
  return given.map((author, i) => {
    const before = stored[i];
    const same = before !== undefined && ((author.nameFa !== null && author.nameFa === before.nameFa) || (author.nameEn !== null && author.nameEn === before.nameEn));
    const orcid = same && author.orcid === undefined ? before.orcid : author.orcid;
    const affiliations = same && author.affiliations === undefined ? before.affiliations : author.affiliations;
    // In the shape a stored record has, so that an unchanged author compares equal: none said
    // (null, an empty list) is no key at all.
    const kept: Author = { nameFa: author.nameFa, nameEn: author.nameEn, corresponding: author.corresponding };
    if (typeof orcid === 'string') kept.orcid = orcid;
    if (affiliations !== undefined && affiliations.length > 0) kept.affiliations = affiliations;
    return kept;
  });
}

/** Whether two values read the same as JSON; texts and null are compared as they are, not serialized. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies a patch to an article: the merged article and the fields whose value changed. */
export function mergePatch(base: ArticleInput, patch: ArticlePatch): { article: ArticleInput; fields: PatchField[] } {
  const article: ArticleInput = { ...base };
  const fields: PatchField[] = [];
  for (const field of PATCH_FIELDS) {
    if (field === 'pages') {
      if (patch.pageStart !== base.pageStart || patch.pageEnd !== base.pageEnd) {
        article.pageStart = patch.pageStart;
        article.pageEnd = patch.pageEnd;
        fields.push(field);
      }
      continue;
    }
    const value = field === 'authors' && patch.authors !== undefined ? keepAuthorIds(patch.authors, base.authors) : patch[field];
    if (value === undefined || sameJson(value, base[field])) continue;
    Object.assign(article, { [field]: value });
    fields.push(field);
  }
  return { article, fields };
}

const ISSUE_FIELDS = ['volume', 'numberInVolume', 'seasonFa', 'seasonEn', 'yearSolar', 'dateSolar', 'datePublished'] as const;

interface IssueRow extends IssueColumns {
  id: number;
  article_count: number | null;
}

function storedIssue(row: IssueRow): IssueInput {
  return { ...issueFromRow(row), articleCount: row.article_count };
}

/**
 * Imports a source into the store in one transaction: new articles are added, changed ones get
 * their new values and a new datestamp, unchanged ones are not touched at all. A source field
 * that is absent leaves the stored value alone. Any error rolls the whole import back.
 *
 * A JSON Lines file given as a stream is read twice, a chunk of lines at a time: once to check
 * every line and learn its issues before anything is written, then to import it. A large import
 * reads, normalizes and renders its articles in worker threads (IMPORT_WORKERS) while this thread
 * writes: the same rows, sooner.
 */
export function importSource(db: Db, source: ImportSource | JsonlStream, options: ImportOptions): ImportSummary {
  const summary: ImportSummary = {
    source: source.name,
    added: [],
    changed: [],
    unchanged: [],
    deleted: [],
    missing: [],
    withdrawn: [],
    journalsAdded: [],
    normalizations: [],
    normalized: 0,
  };
  const threads = new Threads([...FORMATS.values()]);
  try {
    if ('batches' in source) importBatches(db, source, options, summary, threads);
    else importStream(db, source, options, summary, threads);
  } finally {
    threads.close();
  }
  return summary;
}

/** Runs an import's writes in one transaction; a dry run rolls them back. */
function transaction(db: Db, options: ImportOptions, work: () => void): void {
  try {
    db.transaction(() => {
      work();
      if (options.dryRun) throw new DryRun();
    })();
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
}

/** An import's worker threads, started once its work is known to be large enough to pay for them. */
class Threads {
  private pool: RenderPool | null = null;
  /** Whether the threads were started, or found not to be wanted. */
  decided = false;

  constructor(readonly formats: readonly MetadataFormat[]) {}

  /** The threads for an import of `articles` articles (so far): started the first time they pay, null while they do not. */
  for(articles: number): RenderPool | null {
    if (!this.decided && articles * this.formats.length >= renderSettings.minRenders) {
      this.decided = true;
      this.pool = renderPoolFor(articles * this.formats.length, this.formats);
    }
    return this.pool;
  }

  /** Chunks handed out ahead of the one being used: enough that no thread waits. */
  depth(): number {
    return this.pool === null ? 0 : 2 * this.pool.size;
  }

  /**
   * Units of work (lines, articles, records) to hand a thread at once for an import of `articles`:
   * `most`, or less for a small import, so that each thread has several and starts soon.
   */
  share(articles: number, most: number): number {
    if (this.pool === null) return most;
    return Math.min(most, Math.max(32, Math.ceil(articles / (8 * this.pool.size))));
  }

  close(): void {
    this.pool?.close();
  }
}


/** How imports use the threads. Tests change these to exercise the threads on small files; nothing else should. */
export const importSettings = {
  /** Lines a first reading reads on this thread, while the threads start, before it hands lines to them. */
  scanHere: 2_048,
};

/**
 * Works on items in order, `depth()` of them ahead of their consumer: each `start` hands an item
 * to the threads and returns how to collect its result, or returns how to compute it here when
 * there are no threads, which is done when the item's turn comes.
 */
function* inOrder<I, R>(items: Iterable<I>, start: (item: I) => () => R, depth: () => number): Generator<[I, R]> {
  const queue: Array<[I, () => R]> = [];
  for (const item of items) {
    queue.push([item, start(item)]);
    while (queue.length > depth()) {
      const [next, result] = queue.shift() as [I, () => R];
      yield [next, result()];
    }
  }
  for (const [next, result] of queue) yield [next, result()];
}

/** A problem a thread found, thrown as the reader of the lines would have thrown it. */
function located(failure: Failure): JsonlError {
  return new JsonlError(failure.source, failure.line, failure.field, failure.detail);
}

/** An import of articles read already (a table of contents, a sheet, JATS, JSON Lines read whole). */
function importBatches(db: Db, source: ImportSource, options: ImportOptions, summary: ImportSummary, threads: Threads): void {
  const count = source.batches.reduce((n, b) => n + b.articles.length, 0);
  options.onRead?.(count);
  const pool = threads.for(count);
  transaction(db, options, () => {
    const renderer = fragmentRenderer(db, threads.formats, { pool, batch: threads.share(count, renderSettings.batch) });
    const run = new ImportRun(db, source.name, options, summary, renderer);
    // Made ready on the threads ahead of this thread, in the order the batches give them.
    const articles = source.batches.flatMap((b) => b.articles);
    const chunk = threads.share(count, CHUNK_LINES);
    const chunks = function* () {
      for (let i = 0; i < articles.length; i += chunk) yield articles.slice(i, i + chunk);
    };
    const prepared = (function* () {
      if (pool === null) return;
      const start = (patches: ArticlePatch[]) => {
        const ticket = pool.submitTask({ kind: 'prepare-patches', patches });
        return () => unpackPrepared(pool.collectTask(ticket)).articles;
      };
      for (const [, ready] of inOrder(chunks(), start, () => threads.depth())) yield* ready;
    })();
    // Rendered as each issue is done when no later batch can change its records: each issue
    // comes once, and no batch states a journal's facts.
    const numbers = source.batches.map((b) => b.issue.number);
    const early = source.batches.every((b) => b.journal === undefined && b.issue.number !== null) && new Set(numbers).size === numbers.length;
    for (const batch of source.batches) {
      const issue = new IssueImport(run, batch, batch.articles.length);
      for (const raw of batch.articles) {
        const ready = prepared.next();
        issue.article(raw, ready.done === true ? undefined : ready.value);
      }
      const ids = issue.finish();
      if (early) run.renderer.add(ids);
    }
    if (!early) run.renderer.add(new Set([...summary.added, ...summary.changed.map((c) => c.id), ...summary.deleted]));
    run.renderer.finish();
  });
}

/**
 * An import of a JSON Lines file, read as it goes: a first reading checks every line, in order,
 * and learns each issue's facts (lines of one issue must agree) and how many lines it has; the
 * second imports each issue with the facts of all its lines, and renders it as soon as its last
 * line is written.
 */
function importStream(db: Db, stream: JsonlStream, options: ImportOptions, summary: ImportSummary, threads: Threads): void {
  const version = stream.version();
  const { issues, count } = scanStream(stream, threads);
  options.onRead?.(count);
  const changed = () => new SourceFormatError(stream.name, 0, 'file', CHANGED);
  const pool = threads.for(count);
  transaction(db, options, () => {
    const renderer = fragmentRenderer(db, threads.formats, { pool, batch: threads.share(count, renderSettings.batch) });
    const run = new ImportRun(db, stream.name, options, summary, renderer);
    const open = new Map<number, { issue: IssueImport; left: number }>();
    let seen = 0;
    // Only a file changed since its first reading can fail now: the problem is thrown in its
    // place, after the lines before it.
    const start = (chunk: LineChunk): (() => Array<PreparedArticle | ReadArticle | { failure: Error }>) => {
      const lines = { first: chunk.first, text: chunk.text };
      if (pool === null) return () => readLines(stream.name, lines);
      const ticket = pool.submitTask({ kind: 'prepare-lines', source: stream.name, lines, checked: true });
      return () => {
        const ready = unpackPrepared(pool.collectTask(ticket));
        return ready.failure === undefined ? ready.articles : [...ready.articles, { failure: located(ready.failure) }];
      };
    };
    for (const [chunk, articles] of inOrder(stream.chunks(threads.share(count, CHUNK_LINES)), start, () => threads.depth())) {
      for (const article of articles) {
        if ('failure' in article) throw article.failure;
        const number = 'issueNumber' in article ? article.issueNumber : article.issue;
        const lines = issues.get(number);
        if (lines === undefined) throw changed();
        let entry = open.get(number);
        if (entry === undefined) {
          entry = { issue: new IssueImport(run, { issue: lines.issue, journalNameFa: null, complete: false }, lines.count), left: lines.count };
          open.set(number, entry);
        }
        if ('issueNumber' in article) entry.issue.article(article.patch);
        else entry.issue.article(article.patch, article);
        seen++;
        entry.left--;
        if (entry.left === 0) {
          run.renderer.add(entry.issue.finish());
          open.delete(number);
        }
      }
      if (chunk.error !== undefined) throw chunk.error;
    }
    if (seen !== count || open.size > 0 || stream.version() !== version) throw changed();
    run.renderer.finish();
  });
}

/** A line read on this thread, for an import too small for threads: normalized when imported. */
interface ReadArticle {
  issueNumber: number;
  patch: ArticlePatch;
}

/**
 * Lines a first reading checked, read again into articles here, in order, up to the first
 * problem: which can only be that the file changed since.
 */
function readLines(source: string, lines: { first: number; text: string }): Array<ReadArticle | { failure: Error }> {
  const articles: Array<ReadArticle | { failure: Error }> = [];
  const texts = lines.text.split('\n');
  for (let i = 0; i < texts.length; i++) {
    try {
      const read = readLine(texts[i] as string, lines.first + i, source, true);
      if (read !== null) articles.push({ issueNumber: read.issue.number, patch: lineArticle(read, source) });
    } catch {
      articles.push({ failure: new SourceFormatError(source, lines.first + i, 'file', CHANGED) });
      break;
    }
  }
  return articles;
}

/**
 * The first reading of a JSON Lines file: every line checked, in order, and each issue's facts
 * merged. Throws the first problem, as reading the file whole would.
 */
function scanStream(stream: JsonlStream, threads: Threads): { issues: Map<number, IssueLines>; count: number } {
  const issues = new JsonlIssues(stream.name);
  let count = 0;
  let lines = 0;
  let bytes = 0;
  const size = stream.bytes();
  const start = (chunk: LineChunk): (() => ScanResult) => {
    const text = { first: chunk.first, text: chunk.text };
    lines += chunk.count;
    // Threads once the file promises to be large enough to pay for them, from the length of the
    // lines read so far: they start while the rest is read, and a small file never starts them.
    if (!threads.decided) bytes += Buffer.byteLength(chunk.text) + chunk.count;
    const pool = threads.for(Math.max(lines, Math.floor((lines * size) / Math.max(bytes, 1))));
    // The first lines here, while the threads start: a thread needs a while to load its code.
    if (pool === null || lines <= importSettings.scanHere) return () => scanLines(stream.name, text);
    const ticket = pool.submitTask({ kind: 'scan', source: stream.name, lines: text });
    return () => pool.collectTask(ticket);
  };
  for (const [chunk, result] of inOrder(stream.chunks(), start, () => threads.depth())) {
    for (const issue of result.issues) {
      issues.add(issue);
      count++;
    }
    if (result.failure !== undefined) {
      if (result.failure.issue !== undefined) issues.add(result.failure.issue);
      throw located(result.failure.error);
    }
    if (chunk.error !== undefined) throw chunk.error;
  }
  if (count === 0) throw new SourceFormatError(stream.name, 1, 'file', 'the file is empty');
  return { issues: new Map(issues.all().map((entry) => [entry.issue.number, entry])), count };
}

/** A journal's Persian name as printed, compared without the word for its kind (`فصلنامه`, `نشریه`). */
export function comparableJournalName(name: string): string {
  return toPersianLetters(collapseWhitespace(name.normalize('NFC')))
    .replace(/^(?:دو\s*فصلنامه|فصلنامه|نشریه|مجله)\s+/u, '')
    .replaceAll('\u200c', ' ');
}

/**
 * The journal a batch goes to: the one named by `--journal` or by the source, else the store's
 * only journal, else the one whose name the document prints. A table of contents of a journal
 * the store does not hold yet adds it, named from its header, when a code is given for it.
 */
function resolveJournal(db: Db, sourceName: string, batch: IssueHead, options: ImportOptions, summary: ImportSummary): JournalRef {
  if (batch.journal !== undefined) return resolveStatedJournal(db, sourceName, batch, batch.journal, options, summary);
  const conflict = (field: string, detail: string) => new ImportConflictError(sourceName, batch.journalLine ?? batch.issue.line, field, detail);
  if (options.journal !== undefined && batch.journalCode !== undefined && options.journal !== batch.journalCode) {
    throw new ImportConflictError(sourceName, batch.issue.line, 'journal', `the file is for journal ${batch.journalCode}, but --journal says ${options.journal}`);
  }
  const code = options.journal ?? batch.journalCode;
  const journals = listJournals(db);
  if (journals.length === 0) throw conflict('journal', 'the store has no journal yet: start the server once to create it');
  const printed = batch.journalNameFa;
  const named = (j: JournalRef) => printed === null || j.nameFa === null || comparableJournalName(printed) === comparableJournalName(j.nameFa);

  if (code !== undefined) {
    const known = journals.find((j) => j.code === code);
    if (known) {
      if (!named(known)) throw conflict('journal', `the file is for «${printed ?? ''}», but journal ${code} is «${known.nameFa ?? ''}»`);
      return known;
    }
    const problem = checkJournalCode(code);
    if (problem !== null) throw conflict('journal', problem);
    if (printed === null) {
      throw conflict('journal', `the store has no journal ${code}: add it first with "admin journal add ${code} --name-fa …"`);
    }
    const same = journals.find((j) => j.nameFa !== null && comparableJournalName(j.nameFa) === comparableJournalName(printed));
    if (same) throw conflict('journal', `«${printed}» is journal ${same.code} already: import it with --journal ${same.code}`);
    upsertJournal(db, { ...EMPTY_JOURNAL, code, nameFa: printed });
    summary.journalsAdded.push(code);
    return journalByCode(db, code) as JournalRef;
  }
  const only = journals.length === 1 ? journals[0] : undefined;
  if (only) {
    if (!named(only)) {
      throw conflict('journal', `the file is for «${printed ?? ''}», but the store holds «${only.nameFa ?? ''}»: import another journal with --journal <code>`);
    }
    return only;
  }
  const byName = printed === null ? undefined : journals.find((j) => j.nameFa !== null && named(j));
  if (byName) return byName;
  const codes = journals.map((j) => j.code).join(', ');
  throw conflict('journal', printed === null
    ? `the store holds ${journals.length} journals (${codes}): say which with --journal <code>`
    : `no journal of the store is «${printed}» (${codes}): add it with --journal <new code>`);
}

/**
 * The journal of a source that states the journal's facts (a JATS file's journal-meta): the one
 * `--journal` names, else the one whose code is the file's journal-id, else the one with the
 * file's ISSN. A journal the store does not hold yet is added with the facts the file states. A
 * stored journal whose ISSN the file contradicts is refused: the file is for another journal.
 */
function resolveStatedJournal(db: Db, sourceName: string, batch: IssueHead, facts: JournalFacts, options: ImportOptions, summary: ImportSummary): JournalRef {
  const conflict = (field: string, detail: string) => new ImportConflictError(sourceName, batch.journalLine ?? 0, field, detail);
  const issns = (j: { issnPrint?: string | null | undefined; issnOnline?: string | null | undefined }) => [j.issnPrint, j.issnOnline].filter((i): i is string => typeof i === 'string');
  const stated = issns(facts);
  const journals = listJournals(db).map((ref) => ({ ref, issns: issns(storedIssns(db, ref.id)) }));
  const byCode = (code: string | undefined) => journals.find((j) => j.ref.code === code);
  const fileCode = batch.journalCode;
  if (options.journal !== undefined && fileCode !== undefined && fileCode !== options.journal && byCode(fileCode) !== undefined) {
    throw conflict('journal-meta/journal-id', `the file is for journal ${fileCode}, but --journal says ${options.journal}`);
  }
  const found =
    byCode(options.journal) ?? (options.journal === undefined ? (byCode(fileCode) ?? journals.find((j) => j.issns.some((i) => stated.includes(i)))) : undefined);
  if (found !== undefined) {
    const contradicted = stated.length > 0 && found.issns.length > 0 && !found.issns.some((i) => stated.includes(i));
    if (contradicted) throw conflict('journal-meta/issn', `the file gives ISSN ${stated.join(', ')}, but journal ${found.ref.code} has ${found.issns.join(', ')}`);
    return found.ref;
  }
  const code = options.journal ?? fileCode;
  if (code === undefined) throw conflict('journal-meta/journal-id', 'the file names no journal the store holds: give its code with --journal <code>');
  const problem = checkJournalCode(code);
  if (problem !== null) {
    throw conflict(options.journal === undefined ? 'journal-meta/journal-id' : 'journal', `«${code}»: ${problem}${options.journal === undefined ? '; give a code with --journal <code>' : ''}`);
  }
  upsertJournal(db, { ...EMPTY_JOURNAL, ...facts, code });
  summary.journalsAdded.push(code);
  return journalByCode(db, code) as JournalRef;
}

function storedIssns(db: Db, journalId: number): { issnPrint: string | null; issnOnline: string | null } {
  return statement(db, 'SELECT issn_print AS issnPrint, issn_online AS issnOnline FROM journal WHERE id = ?').get(journalId) as {
    issnPrint: string | null;
    issnOnline: string | null;
  };
}

const EMPTY_JOURNAL: Omit<JournalInfo, 'code'> = {
  nameFa: null,
  nameEn: null,
  publisherFa: null,
  publisherEn: null,
  issnPrint: null,
  issnOnline: null,
  website: null,
  accessRights: null,
  license: null,
};

/**
 * The serial number of a batch's issue: as the source gives it, else (a JATS file of another
 * platform numbers issues within volumes) that of the stored issue with the same volume and number.
 */
function serialNumber(db: Db, journal: JournalRef, batch: IssueHead, conflict: (line: number, field: string, detail: string) => Error): number {
  const { number, volume, numberInVolume, line } = batch.issue;
  if (number !== null) return number;
  const serial = statement(db, 'SELECT number FROM issue WHERE journal_id = ? AND volume = ? AND number_in_volume = ?')
    .pluck()
    .get(journal.id, volume ?? null, numberInVolume ?? null) as number | undefined;
  if (serial !== undefined) return serial;
  throw conflict(line, 'issue', `volume ${volume ?? '?'} number ${numberInVolume ?? '?'} of journal ${journal.code} is not in the store, and the file gives no serial number: import the issue's table of contents or a sheet first`);
}

/** What all the issues of one import share. */
class ImportRun {
  readonly repository: SqliteRepository;
  readonly byId;
  readonly byPage;
  /** The datestamp of an article added now. */
  readonly stampNew: string;

  constructor(
    readonly db: Db,
    readonly sourceName: string,
    readonly options: ImportOptions,
    readonly summary: ImportSummary,
    readonly renderer: FragmentRenderer,
  ) {
    this.repository = new SqliteRepository(db);
    this.byId = db.prepare<[string], { id: number; local_id: string; issue_id: number; deleted: number; datestamp: string }>(
      'SELECT id, local_id, issue_id, deleted, datestamp FROM article WHERE local_id = ?',
    );
    this.byPage = db.prepare<[number, number], string>('SELECT local_id FROM article WHERE issue_id = ? AND page_start = ?').pluck();
    this.stampNew = nextDatestamp(options.now, null);
  }

  /** Reports what normalization changed in an article's values. */
  reportNormalized(changes: readonly NormalizationChange[], id: string): void {
    const { summary } = this;
    summary.normalized += changes.length;
    for (const change of changes) {
      if (summary.normalizations.length >= MAX_NORMALIZATIONS) break;
      summary.normalizations.push({ ...change, id });
    }
  }
}

/** A batch without its articles: what an issue's import needs before its first article. */
type IssueHead = Omit<IssueBatch, 'articles'>;

type ArticleRow = { id: number; local_id: string; issue_id: number; deleted: number; datestamp: string };

/**
 * One issue of an import: the issue is written when it starts, its articles one by one as they
 * come (a file read as it goes gives them a few at a time), and `finish` tells what a complete
 * listing left out.
 */
class IssueImport {
  private readonly name: string;
  private readonly journal: JournalRef;
  private readonly number: number;
  /** A file per article dates the article, not the issue: its date fills an issue's missing date only. */
  private readonly perArticle: boolean;
  private readonly issueId: number;
  private readonly sets: string[];
  /** The issue's facts as its records carry them, once written. */
  private readonly issueInfo: IssueInfo;
  private readonly journalInfo: JournalInfo;
  private readonly touched = new Map<string, Set<string>>();
  private readonly seenPages = new Map<number, number>();
  private readonly matched = new Set<string>();
  private readonly added: string[] = [];
  /** Articles added, as the store now holds them, until a later line changes one. */
  private readonly fresh = new Map<string, NewRecord>();
  private index = 0;

  /** `size` is how many articles the issue has in the source: a new issue's article count when it states none. */
  constructor(
    private readonly run: ImportRun,
    private readonly batch: IssueHead,
    size: number,
  ) {
    const { db, options, summary } = run;
    this.name = batch.file ?? run.sourceName;
    this.journal = resolveJournal(db, this.name, batch, options, summary);
    this.number = serialNumber(db, this.journal, batch, this.conflict);
    this.perArticle = batch.listed === false;

    // The issue: created when new; when its shared facts change, every record of it changes.
    const issueRow = db.prepare<[number, number], IssueRow>('SELECT * FROM issue WHERE journal_id = ? AND number = ?').get(this.journal.id, this.number);
    if (!issueRow) {
      const { seasonFa, seasonEn, yearSolar, dateSolar, datePublished } = batch.issue;
      if ((seasonFa === undefined || yearSolar === undefined) && datePublished === undefined) {
        throw this.conflict(batch.issue.line, 'issue', `issue ${this.number} is not in the store yet: give its season and year, or its date`);
      }
      const issue: IssueInput = {
        number: this.number,
        volume: batch.issue.volume ?? null,
        numberInVolume: batch.issue.numberInVolume ?? null,
        seasonFa: seasonFa ?? null,
        seasonEn: seasonEn ?? null,
        yearSolar: yearSolar ?? null,
        dateSolar: dateSolar ?? null,
        datePublished: datePublished ?? null,
        articleCount: batch.issue.articleCount ?? (this.perArticle ? null : size),
      };
      this.issueId = upsertIssue(db, this.journal.id, issue);
      this.sets = ensureIssueSets(db, this.journal, issue);
      this.issueInfo = issueInfo(issue);
    } else {
      this.issueId = issueRow.id;
      const before = storedIssue(issueRow);
      const after: IssueInput = { ...before };
      for (const key of ISSUE_FIELDS) {
        const value = batch.issue[key];
        if (value === undefined) continue;
        if (this.perArticle && (key === 'datePublished' || key === 'dateSolar') && before[key] !== null) continue;
        Object.assign(after, { [key]: value });
      }
      if (batch.issue.articleCount !== undefined && batch.issue.articleCount !== null) after.articleCount = batch.issue.articleCount;
      const changedFields = ISSUE_FIELDS.filter((k) => after[k] !== before[k]);
      if (changedFields.length > 0 || after.articleCount !== before.articleCount) upsertIssue(db, this.journal.id, after);
      this.sets = ensureIssueSets(db, this.journal, after);
      this.issueInfo = issueInfo(after);
      if (changedFields.length > 0) {
        for (const id of touchIssueArticles(db, this.issueId, (old) => nextDatestamp(options.now, old))) {
          this.touched.set(id, new Set(changedFields.map((f) => `issue.${f}`)));
        }
      }
    }
    this.journalInfo = statement(
      db,
      `SELECT code, name_fa AS nameFa, name_en AS nameEn, publisher_fa AS publisherFa, publisher_en AS publisherEn, issn_print AS issnPrint,
         issn_online AS issnOnline, website, access_rights AS accessRights, license FROM journal WHERE id = ?`,
    ).get(this.journal.id) as JournalInfo;
  }

  private readonly conflict = (line: number, field: string, detail: string) => new ImportConflictError(this.name, line, field, detail);

  private inIssue(localId: string | undefined): ArticleRow | undefined {
    const found = localId === undefined ? undefined : this.run.byId.get(localId);
    return found !== undefined && found.issue_id === this.issueId ? found : undefined;
  }

  /** In a listing, an article is found by its id, its first page, or (without pages) its place, which its identifier says. */
  private locateListed(patch: ArticlePatch, index: number): { row: ArticleRow | undefined; newId: () => string } {
    const { journal, number } = this;
    const ordinal = patch.ordinal ?? index + 1;
    const localId = patch.id ?? (patch.pageStart === null ? articleLocalId(journal, number, null, ordinal) : this.run.byPage.get(this.issueId, patch.pageStart));
    const row = this.inIssue(localId);
    if (patch.id !== undefined && !row) throw this.conflict(patch.line, 'id', `no article ${patch.id} in issue ${number}`);
    return { row, newId: () => freeLocalId(this.run.db, articleLocalId(journal, number, patch.pageStart, ordinal)) };
  }

  /**
   * A file of one article has no place in a list: the article is found by the identifier this
   * repository gave it, its DOI, its first page, or (without pages) its title. A new one without
   * pages takes the place after the issue's articles.
   */
  private locateOwn(patch: ArticlePatch): { row: ArticleRow | undefined; newId: () => string } {
    const { db, byId, byPage } = this.run;
    const { journal, number, issueId } = this;
    const own = patch.assignedId !== undefined && fitsIssue(journal, number, patch.pageStart, patch.assignedId) ? patch.assignedId : undefined;
    if (own !== undefined) {
      const stored = byId.get(own);
      if (stored !== undefined && stored.issue_id !== issueId) throw this.conflict(patch.line, 'article-id', `${own} is an article of another issue in the store`);
      return { row: stored, newId: () => own };
    }
    const byDoi = patch.doi ? (statement(db, 'SELECT local_id FROM article WHERE issue_id = ? AND doi = ?').pluck().get(issueId, patch.doi) as string | undefined) : undefined;
    const byTitle = () =>
      statement(db, 'SELECT a.local_id FROM article a JOIN article_text t ON t.article_id = a.id WHERE a.issue_id = ? AND a.page_start = 0 AND t.title IN (?, ?) ORDER BY a.id')
        .pluck()
        .get(issueId, patch.titleFa ?? null, patch.titleEn ?? null) as string | undefined;
    const localId = byDoi ?? (patch.pageStart === null ? byTitle() : byPage.get(issueId, patch.pageStart));
    const newId = () => {
      if (patch.pageStart !== null) return freeLocalId(db, articleLocalId(journal, number, patch.pageStart, 0));
      // After the issue's articles: an ordinal is a place in the issue's list.
      const count = statement(db, 'SELECT count(*) FROM article WHERE issue_id = ?').pluck().get(issueId) as number;
      for (let ordinal = count + 1; ; ordinal++) {
        const id = articleLocalId(journal, number, null, ordinal);
        if (byId.get(id) === undefined) return id;
      }
    };
    return { row: this.inIssue(localId), newId };
  }

  /**
   * Imports the issue's next article. `prepared`, when given, is the same article normalized, with
   * what a new article's rows need computed from it (on a thread).
   */
  article(raw: ArticlePatch, prepared?: PreparedArticle): void {
    const { db, options, byId, byPage, repository } = this.run;
    const { number, issueId } = this;
    const index = this.index++;
    if (raw.pageStart !== null) {
      const earlier = this.seenPages.get(raw.pageStart);
      if (earlier !== undefined) throw this.conflict(raw.line, 'pages', `a second article of issue ${number} starting on page ${raw.pageStart} (first at line ${earlier})`);
      this.seenPages.set(raw.pageStart, raw.line);
    }

    const { patch, changes } = prepared ?? normalizePatch(raw);
    const { row, newId } = this.perArticle ? this.locateOwn(patch) : this.locateListed(patch, index);

    if (!row) {
      const taken = patch.pageStart === null ? undefined : byPage.get(issueId, patch.pageStart);
      if (taken !== undefined) throw this.conflict(raw.line, 'pages', `article ${taken} of issue ${number} already starts on page ${patch.pageStart}`);
      const id = newId();
      const { article } = mergePatch(emptyArticle(patch), patch);
      const sources = titleSources(patch, this.name, {}, ['titleFa', 'titleEn']);
      const rowId = insertArticle(db, issueId, id, article, this.run.stampNew, this.sets, sources, prepared?.content);
      this.fresh.set(id, this.record(rowId, id, article, sources));
      this.run.summary.added.push(id);
      this.added.push(id);
      this.run.reportNormalized(changes, id);
      this.matched.add(id);
      return;
    }
    this.matched.add(row.local_id);
    this.run.reportNormalized(changes, row.local_id);
    const clash = patch.pageStart === null ? undefined : byPage.get(issueId, patch.pageStart);
    if (clash !== undefined && clash !== row.local_id) {
      throw this.conflict(raw.line, 'pages', `article ${clash} of issue ${number} already starts on page ${patch.pageStart}`);
    }
    if (row.deleted === 1) {
      this.run.summary.withdrawn.push(row.local_id);
      return;
    }
    // An article added by an earlier line and changed by this one is rendered as the store then holds it.
    this.fresh.delete(row.local_id);
    const record = repository.getRecord(row.local_id);
    if (!record) throw new Error(`article ${row.local_id} vanished during the import`);
    const { article, fields } = mergePatch(toArticleInput(record), patch);
    if (fields.length > 0) {
      const sources = titleSources(patch, this.name, { fa: record.text.fa.titleSource, en: record.text.en.titleSource }, fields);
      updateArticle(db, row.id, article, sources, nextDatestamp(options.now, byId.get(row.local_id)?.datestamp ?? row.datestamp));
      const set = this.touched.get(row.local_id) ?? new Set<string>();
      for (const f of fields) set.add(f);
      this.touched.set(row.local_id, set);
    }
  }

  /**
   * A new article's record as SqliteRepository loads it (the rows insertArticle wrote), so that it
   * is rendered without being read back: no metadata stored yet, and its sets in their order.
   */
  private record(id: number, localId: string, article: ArticleInput, sources: TitleSources): NewRecord {
    const text = (title: string | null, source: string | undefined, abstract: string | null) => ({ title, titleSource: title === null ? null : (source ?? null), abstract });
    const start = article.pageStart ?? 0;
    return {
      id,
      localId,
      datestamp: this.run.stampNew,
      deleted: false,
      setSpecs: [...this.sets].sort(),
      journal: this.journalInfo,
      issue: this.issueInfo,
      // As the row stores them: 0-0 for pages not known (see pagesFromRow).
      pageStart: start === 0 ? null : start,
      pageEnd: start === 0 ? null : (article.pageEnd ?? 0),
      doi: article.doi,
      landingUrl: article.landingUrl,
      // The column's default: no source sets it.
      language: 'fa',
      text: { fa: text(article.titleFa, sources.fa, article.abstractFa), en: text(article.titleEn, sources.en, article.abstractEn) },
      keywords: { fa: article.keywordsFa, en: article.keywordsEn },
      authors: article.authors.map((a) => {
        const author: Author = { nameFa: a.nameFa, nameEn: a.nameEn, corresponding: a.corresponding };
        if (typeof a.orcid === 'string') author.orcid = a.orcid;
        if (a.affiliations !== undefined && a.affiliations.length > 0) author.affiliations = a.affiliations.map((f) => ({ nameFa: f.nameFa, nameEn: f.nameEn, ror: f.ror }));
        return author;
      }),
      details: {
        license: article.license,
        accessRights: article.accessRights,
        resourceType: article.resourceType,
        dateReceived: article.dateReceived,
        dateAccepted: article.dateAccepted,
        fullText: article.fullText.map((f) => ({ url: f.url, mediaType: f.mediaType, lang: f.lang })),
        funding: article.funding.map((f) => ({
          funderNameFa: f.funderNameFa,
          funderNameEn: f.funderNameEn,
          funderId: f.funderId,
          awardNumber: f.awardNumber,
          awardTitleFa: f.awardTitleFa,
          awardTitleEn: f.awardTitleEn,
        })),
      },
    };
  }

  /**
   * Ends the issue: sorts its articles into the summary. Returns those whose metadata must be
   * rendered: the ones added whole, the others by local id.
   */
  finish(): Array<string | NewRecord> {
    const { db, options, summary, byId } = this.run;
    const added = new Set(this.added);
    const changed: string[] = [];
    const deleted: string[] = [];
    const issueArticles = db.prepare<[number], { local_id: string; deleted: number }>('SELECT local_id, deleted FROM article WHERE issue_id = ? ORDER BY page_start').all(this.issueId);
    for (const { local_id: id, deleted: isDeleted } of issueArticles) {
      if (added.has(id)) continue;
      const fields = this.touched.get(id);
      if (fields && isDeleted === 0) {
        summary.changed.push({ id, fields: [...fields] });
        changed.push(id);
      } else if (this.matched.has(id) && isDeleted === 0) summary.unchanged.push(id);
      else if (!this.matched.has(id) && this.batch.complete && isDeleted === 0) {
        if (options.deleteMissing) {
          const previous = byId.get(id)?.datestamp ?? null;
          setDeleted(db, id, true, nextDatestamp(options.now, previous));
          summary.deleted.push(id);
          deleted.push(id);
        } else {
          summary.missing.push(id);
        }
      }
    }
    const rest = [...new Set([...changed, ...deleted])].filter((id) => !added.has(id));
    return [...this.added.map((id) => this.fresh.get(id) ?? id), ...rest];
  }
}

/** An issue's facts as a record carries them. */
function issueInfo({ articleCount: _count, ...info }: IssueInput): IssueInfo {
  return info;
}

function emptyArticle(patch: ArticlePatch): ArticleInput {
  return {
    pageStart: patch.pageStart,
    pageEnd: patch.pageEnd,
    doi: null,
    landingUrl: null,
    titleFa: null,
    titleEn: null,
    abstractFa: null,
    abstractEn: null,
    keywordsFa: [],
    keywordsEn: [],
    authors: [],
    ...NO_DETAILS,
  };
}

/** Where each title comes from: for a changed title the patch's own source, else the file; otherwise what was stored. */
function titleSources(
  patch: ArticlePatch,
  sourceName: string,
  stored: { fa?: string | null; en?: string | null },
  changed: readonly PatchField[],
): TitleSources {
  const sources: TitleSources = {};
  const fa = changed.includes('titleFa') ? (patch.titleSourceFa ?? sourceName) : stored.fa;
  const en = changed.includes('titleEn') ? (patch.titleSourceEn ?? sourceName) : stored.en;
  if (fa) sources.fa = fa;
  if (en) sources.en = en;
  return sources;
}

/** True when an identifier is one this repository gives an article of this issue and first page. */
function fitsIssue(journal: JournalRef, issueNumber: number, pageStart: number | null, id: string): boolean {
  // Identifiers hold only a journal code, digits and hyphens: nothing a pattern must escape.
  const stem = pageStart === null ? `${articleLocalId(journal, issueNumber, null, 1).replace(/1$/, '')}[1-9][0-9]*` : articleLocalId(journal, issueNumber, pageStart, 0);
  return new RegExp(`^${stem}(?:-[2-9]|-[1-9][0-9]+)?$`).test(id);
}

/** The wanted local id, or the same with `-2`, `-3`... when another article already has it. */
function freeLocalId(db: Db, wanted: string): string {
  const taken = (id: string) => statement(db, 'SELECT 1 FROM article WHERE local_id = ?').get(id) !== undefined;
  if (!taken(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken(`${wanted}-${n}`)) return `${wanted}-${n}`;
}
