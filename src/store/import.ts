import { ImportConflictError } from '../ingest/errors.js';
import { normalizePatch } from '../ingest/normalize-patch.js';
import { PATCH_FIELDS, type ArticlePatch, type ImportSource, type IssueBatch, type JournalFacts, type PatchField } from '../ingest/patch.js';
import { NO_DETAILS, type ArticleInput, type Author, type IssueInput, type JournalInfo } from '../model.js';
import { formatDatestamp } from '../oai/datestamp.js';
import type { NormalizationChange } from '../text/normalize.js';
import { collapseWhitespace, toPersianLetters } from '../text/normalize.js';
import type { Db } from './open.js';
import { FORMATS } from '../formats/registry.js';
import { renderFragments } from './formats.js';
import { issueFromRow, SqliteRepository, toArticleInput, type IssueColumns } from './records.js';
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
  normalizations: Array<NormalizationChange & { id: string }>;
}

/** Options of an import. */
export interface ImportOptions {
  now: Date;
  /** Do everything, report it, then roll it back. */
  dryRun?: boolean;
  /** Withdraw stored articles that a complete issue listing lacks. */
  deleteMissing?: boolean;
  /** The code of the journal the file is for (`--journal`); needed when the store holds several. */
  journal?: string | undefined;
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
    if (value === undefined || JSON.stringify(value) === JSON.stringify(base[field])) continue;
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
 */
export function importSource(db: Db, source: ImportSource, options: ImportOptions): ImportSummary {
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
  };
  try {
    db.transaction(() => {
      for (const batch of source.batches) importBatch(db, source.name, batch, options, summary);
      renderFragments(db, FORMATS.values(), [...summary.added, ...summary.changed.map((c) => c.id), ...summary.deleted]);
      if (options.dryRun) throw new DryRun();
    })();
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return summary;
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
function resolveJournal(db: Db, sourceName: string, batch: IssueBatch, options: ImportOptions, summary: ImportSummary): JournalRef {
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
function resolveStatedJournal(db: Db, sourceName: string, batch: IssueBatch, facts: JournalFacts, options: ImportOptions, summary: ImportSummary): JournalRef {
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
function serialNumber(db: Db, journal: JournalRef, batch: IssueBatch, conflict: (line: number, field: string, detail: string) => Error): number {
  const { number, volume, numberInVolume, line } = batch.issue;
  if (number !== null) return number;
  const serial = statement(db, 'SELECT number FROM issue WHERE journal_id = ? AND volume = ? AND number_in_volume = ?')
    .pluck()
    .get(journal.id, volume ?? null, numberInVolume ?? null) as number | undefined;
  if (serial !== undefined) return serial;
  throw conflict(line, 'issue', `volume ${volume ?? '?'} number ${numberInVolume ?? '?'} of journal ${journal.code} is not in the store, and the file gives no serial number: import the issue's table of contents or a sheet first`);
}

function importBatch(db: Db, sourceName: string, batch: IssueBatch, options: ImportOptions, summary: ImportSummary): void {
  const name = batch.file ?? sourceName;
  const conflict = (line: number, field: string, detail: string) => new ImportConflictError(name, line, field, detail);
  const journal = resolveJournal(db, name, batch, options, summary);
  const number = serialNumber(db, journal, batch, conflict);
  // A file per article dates the article, not the issue: its date fills an issue's missing date only.
  const perArticle = batch.listed === false;

  // The issue: created when new; when its shared facts change, every record of it changes.
  const issueRow = db.prepare<[number, number], IssueRow>('SELECT * FROM issue WHERE journal_id = ? AND number = ?').get(journal.id, number);
  const touched = new Map<string, Set<string>>();
  let issueId: number;
  let sets: string[];
  if (!issueRow) {
    const { seasonFa, seasonEn, yearSolar, dateSolar, datePublished } = batch.issue;
    if ((seasonFa === undefined || yearSolar === undefined) && datePublished === undefined) {
      throw conflict(batch.issue.line, 'issue', `issue ${number} is not in the store yet: give its season and year, or its date`);
    }
    const issue: IssueInput = {
      number,
      volume: batch.issue.volume ?? null,
      numberInVolume: batch.issue.numberInVolume ?? null,
      seasonFa: seasonFa ?? null,
      seasonEn: seasonEn ?? null,
      yearSolar: yearSolar ?? null,
      dateSolar: dateSolar ?? null,
      datePublished: datePublished ?? null,
      articleCount: batch.issue.articleCount ?? (perArticle ? null : batch.articles.length),
    };
    issueId = upsertIssue(db, journal.id, issue);
    sets = ensureIssueSets(db, journal, issue);
  } else {
    issueId = issueRow.id;
    const before = storedIssue(issueRow);
    const after: IssueInput = { ...before };
    for (const key of ISSUE_FIELDS) {
      const value = batch.issue[key];
      if (value === undefined) continue;
      if (perArticle && (key === 'datePublished' || key === 'dateSolar') && before[key] !== null) continue;
      Object.assign(after, { [key]: value });
    }
    if (batch.issue.articleCount !== undefined && batch.issue.articleCount !== null) after.articleCount = batch.issue.articleCount;
    const changedFields = ISSUE_FIELDS.filter((k) => after[k] !== before[k]);
    if (changedFields.length > 0 || after.articleCount !== before.articleCount) upsertIssue(db, journal.id, after);
    sets = ensureIssueSets(db, journal, after);
    if (changedFields.length > 0) {
      for (const id of touchIssueArticles(db, issueId, (old) => nextDatestamp(options.now, old))) {
        touched.set(id, new Set(changedFields.map((f) => `issue.${f}`)));
      }
    }
  }

  const repository = new SqliteRepository(db);
  const byId = db.prepare<[string], { id: number; local_id: string; issue_id: number; deleted: number; datestamp: string }>(
    'SELECT id, local_id, issue_id, deleted, datestamp FROM article WHERE local_id = ?',
  );
  const byPage = db.prepare<[number, number], { local_id: string }>('SELECT local_id FROM article WHERE issue_id = ? AND page_start = ?').pluck();
  const seenPages = new Map<number, number>();
  const matched = new Set<string>();
  const added = new Set<string>();
  type Row = NonNullable<ReturnType<typeof byId.get>>;
  const inIssue = (localId: string | undefined): Row | undefined => {
    const found = localId === undefined ? undefined : byId.get(localId);
    return found !== undefined && found.issue_id === issueId ? found : undefined;
  };

  /** In a listing, an article is found by its id, its first page, or (without pages) its place, which its identifier says. */
  const locateListed = (patch: ArticlePatch, index: number): { row: Row | undefined; newId: () => string } => {
    const ordinal = patch.ordinal ?? index + 1;
    const localId = patch.id ?? (patch.pageStart === null ? articleLocalId(journal, number, null, ordinal) : (byPage.get(issueId, patch.pageStart) as string | undefined));
    const row = inIssue(localId);
    if (patch.id !== undefined && !row) throw conflict(patch.line, 'id', `no article ${patch.id} in issue ${number}`);
    return { row, newId: () => freeLocalId(db, articleLocalId(journal, number, patch.pageStart, ordinal)) };
  };

  /**
   * A file of one article has no place in a list: the article is found by the identifier this
   * repository gave it, its DOI, its first page, or (without pages) its title. A new one without
   * pages takes the place after the issue's articles.
   */
  const locateOwn = (patch: ArticlePatch): { row: Row | undefined; newId: () => string } => {
    const own = patch.assignedId !== undefined && fitsIssue(journal, number, patch.pageStart, patch.assignedId) ? patch.assignedId : undefined;
    if (own !== undefined) {
      const stored = byId.get(own);
      if (stored !== undefined && stored.issue_id !== issueId) throw conflict(patch.line, 'article-id', `${own} is an article of another issue in the store`);
      return { row: stored, newId: () => own };
    }
    const byDoi = patch.doi ? (statement(db, 'SELECT local_id FROM article WHERE issue_id = ? AND doi = ?').pluck().get(issueId, patch.doi) as string | undefined) : undefined;
    const byTitle = () =>
      statement(db, 'SELECT a.local_id FROM article a JOIN article_text t ON t.article_id = a.id WHERE a.issue_id = ? AND a.page_start = 0 AND t.title IN (?, ?) ORDER BY a.id')
        .pluck()
        .get(issueId, patch.titleFa ?? null, patch.titleEn ?? null) as string | undefined;
    const localId = byDoi ?? (patch.pageStart === null ? byTitle() : (byPage.get(issueId, patch.pageStart) as string | undefined));
    const newId = () => {
      if (patch.pageStart !== null) return freeLocalId(db, articleLocalId(journal, number, patch.pageStart, 0));
      // After the issue's articles: an ordinal is a place in the issue's list.
      const count = statement(db, 'SELECT count(*) FROM article WHERE issue_id = ?').pluck().get(issueId) as number;
      for (let ordinal = count + 1; ; ordinal++) {
        const id = articleLocalId(journal, number, null, ordinal);
        if (byId.get(id) === undefined) return id;
      }
    };
    return { row: inIssue(localId), newId };
  };

  for (const [index, raw] of batch.articles.entries()) {
    if (raw.pageStart !== null) {
      const earlier = seenPages.get(raw.pageStart);
      if (earlier !== undefined) throw conflict(raw.line, 'pages', `a second article of issue ${number} starting on page ${raw.pageStart} (first at line ${earlier})`);
      seenPages.set(raw.pageStart, raw.line);
    }

    const { patch, changes } = normalizePatch(raw);
    const { row, newId } = perArticle ? locateOwn(patch) : locateListed(patch, index);

    if (!row) {
      const taken = patch.pageStart === null ? undefined : (byPage.get(issueId, patch.pageStart) as string | undefined);
      if (taken !== undefined) throw conflict(raw.line, 'pages', `article ${taken} of issue ${number} already starts on page ${patch.pageStart}`);
      const id = newId();
      const { article } = mergePatch(emptyArticle(patch), patch);
      insertArticle(db, issueId, id, article, nextDatestamp(options.now, null), sets, titleSources(patch, name, {}, ['titleFa', 'titleEn']));
      summary.added.push(id);
      added.add(id);
      summary.normalizations.push(...changes.map((c) => ({ ...c, id })));
      matched.add(id);
      continue;
    }
    matched.add(row.local_id);
    summary.normalizations.push(...changes.map((c) => ({ ...c, id: row.local_id })));
    const clash = patch.pageStart === null ? undefined : (byPage.get(issueId, patch.pageStart) as string | undefined);
    if (clash !== undefined && clash !== row.local_id) {
      throw conflict(raw.line, 'pages', `article ${clash} of issue ${number} already starts on page ${patch.pageStart}`);
    }
    if (row.deleted === 1) {
      summary.withdrawn.push(row.local_id);
      continue;
    }
    const record = repository.getRecord(row.local_id);
    if (!record) throw new Error(`article ${row.local_id} vanished during the import`);
    const { article, fields } = mergePatch(toArticleInput(record), patch);
    if (fields.length > 0) {
      const sources = titleSources(patch, name, { fa: record.text.fa.titleSource, en: record.text.en.titleSource }, fields);
      updateArticle(db, row.id, article, sources, nextDatestamp(options.now, byId.get(row.local_id)?.datestamp ?? row.datestamp));
      const set = touched.get(row.local_id) ?? new Set<string>();
      for (const f of fields) set.add(f);
      touched.set(row.local_id, set);
    }
  }

  const issueArticles = db.prepare<[number], { local_id: string; deleted: number }>('SELECT local_id, deleted FROM article WHERE issue_id = ? ORDER BY page_start').all(issueId);
  for (const { local_id: id, deleted } of issueArticles) {
    if (added.has(id)) continue;
    const fields = touched.get(id);
    if (fields && deleted === 0) summary.changed.push({ id, fields: [...fields] });
    else if (matched.has(id) && deleted === 0) summary.unchanged.push(id);
    else if (!matched.has(id) && batch.complete && deleted === 0) {
      if (options.deleteMissing) {
        const previous = byId.get(id)?.datestamp ?? null;
        setDeleted(db, id, true, nextDatestamp(options.now, previous));
        summary.deleted.push(id);
      } else {
        summary.missing.push(id);
      }
    }
  }
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
