import { ImportConflictError } from '../ingest/errors.js';
import { normalizePatch } from '../ingest/normalize-patch.js';
import { PATCH_FIELDS, type ArticlePatch, type ImportSource, type IssueBatch, type PatchField } from '../ingest/patch.js';
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
  /** The code of the journal the import added, named from the document's header. */
  journalAdded: string | null;
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
  const issue = issueFromRow(row);
  return {
    ...issue,
    seasonFa: issue.seasonFa ?? '',
    seasonEn: issue.seasonEn ?? '',
    yearSolar: issue.yearSolar ?? 0,
    articleCount: row.article_count,
  };
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
    journalAdded: null,
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
    summary.journalAdded = code;
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

function importBatch(db: Db, sourceName: string, batch: IssueBatch, options: ImportOptions, summary: ImportSummary): void {
  const conflict = (line: number, field: string, detail: string) => new ImportConflictError(sourceName, line, field, detail);
  const journal = resolveJournal(db, sourceName, batch, options, summary);

  // The issue: created when new; when its shared facts change, every record of it changes.
  const issueRow = db.prepare<[number, number], IssueRow>('SELECT * FROM issue WHERE journal_id = ? AND number = ?').get(journal.id, batch.issue.number);
  const touched = new Map<string, Set<string>>();
  let issueId: number;
  let sets: string[];
  if (!issueRow) {
    const { seasonFa, seasonEn, yearSolar, dateSolar, datePublished } = batch.issue;
    if (seasonFa === undefined || seasonEn === undefined || yearSolar === undefined) {
      throw conflict(batch.issue.line, 'issue', `issue ${batch.issue.number} is not in the store yet: give its season and year`);
    }
    const issue: IssueInput = {
      number: batch.issue.number,
      volume: batch.issue.volume ?? null,
      numberInVolume: batch.issue.numberInVolume ?? null,
      seasonFa,
      seasonEn,
      yearSolar,
      dateSolar: dateSolar ?? null,
      datePublished: datePublished ?? null,
      articleCount: batch.issue.articleCount ?? batch.articles.length,
    };
    issueId = upsertIssue(db, journal.id, issue);
    sets = ensureIssueSets(db, journal, issue);
  } else {
    issueId = issueRow.id;
    const before = storedIssue(issueRow);
    const after: IssueInput = { ...before };
    for (const key of ISSUE_FIELDS) if (batch.issue[key] !== undefined) Object.assign(after, { [key]: batch.issue[key] });
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

  for (const [index, raw] of batch.articles.entries()) {
    if (raw.pageStart !== null) {
      const earlier = seenPages.get(raw.pageStart);
      if (earlier !== undefined) throw conflict(raw.line, 'pages', `a second article of issue ${batch.issue.number} starting on page ${raw.pageStart} (first at line ${earlier})`);
      seenPages.set(raw.pageStart, raw.line);
    }

    const { patch, changes } = normalizePatch(raw);
    // Without pages, an article is known by its place in the issue, which its identifier says.
    const ordinal = patch.ordinal ?? index + 1;
    const localId =
      patch.id ?? (patch.pageStart === null ? articleLocalId(journal, batch.issue.number, null, ordinal) : (byPage.get(issueId, patch.pageStart) as string | undefined));
    const found = localId === undefined ? undefined : byId.get(localId);
    const row = found !== undefined && found.issue_id === issueId ? found : undefined;
    if (patch.id !== undefined && !row) {
      throw conflict(raw.line, 'id', `no article ${patch.id} in issue ${batch.issue.number}`);
    }

    if (!row) {
      const id = freeLocalId(db, articleLocalId(journal, batch.issue.number, patch.pageStart, ordinal));
      const { article } = mergePatch(emptyArticle(patch), patch);
      insertArticle(db, issueId, id, article, nextDatestamp(options.now, null), sets, titleSources(patch, sourceName, {}, ['titleFa', 'titleEn']));
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
      throw conflict(raw.line, 'pages', `article ${clash} of issue ${batch.issue.number} already starts on page ${patch.pageStart}`);
    }
    if (row.deleted === 1) {
      summary.withdrawn.push(row.local_id);
      continue;
    }
    const record = repository.getRecord(row.local_id);
    if (!record) throw new Error(`article ${row.local_id} vanished during the import`);
    const { article, fields } = mergePatch(toArticleInput(record), patch);
    if (fields.length > 0) {
      const sources = titleSources(patch, sourceName, { fa: record.text.fa.titleSource, en: record.text.en.titleSource }, fields);
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

/** The wanted local id, or the same with `-2`, `-3`... when another article already has it. */
function freeLocalId(db: Db, wanted: string): string {
  const taken = (id: string) => statement(db, 'SELECT 1 FROM article WHERE local_id = ?').get(id) !== undefined;
  if (!taken(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken(`${wanted}-${n}`)) return `${wanted}-${n}`;
}
