import { packText } from '../deflate/piece.js';
import { randomBytes } from 'node:crypto';
import { JOURNAL_CODE, type ArticleInput, type IssueInfo, type IssueInput, type JournalInfo, type Lang } from '../model.js';
import { issueFromRow, type IssueColumns } from './records.js';
import type { Db } from './open.js';
import { indexArticle, type SearchColumns } from './search.js';
import { statement } from './statements.js';

/** A journal as identifiers and sets need it. */
export interface JournalRef {
  id: number;
  code: string;
  /** The repository's first journal: identifiers without its code, and the `issue` sets too. */
  original: boolean;
  nameFa: string | null;
  nameEn: string | null;
}

/** Codes that are set specs of their own already. */
const RESERVED_CODES = new Set(['issue', 'openaire']);

/** A journal code: short lowercase ASCII, since it is a set spec and part of identifiers and URLs. */
export function checkJournalCode(code: string): string | null {
  if (!JOURNAL_CODE.test(code)) return 'a journal code is 2 to 16 lowercase ASCII letters and digits, starting with a letter';
  if (RESERVED_CODES.has(code)) return `"${code}" is a set of its own; choose another code`;
  return null;
}

/**
 * The stable local part of an article's OAI identifier: its issue and first page (`58-7`), or
 * its place in the issue when the source prints no pages (`58-n3`). A journal added after the
 * first has its code in front (`jir-22-7`), so identifiers stay unique across journals.
 */
export function articleLocalId(journal: Pick<JournalRef, 'code' | 'original'>, issueNumber: number, pageStart: number | null, ordinal: number): string {
  const issue = journal.original ? `${issueNumber}` : `${journal.code}-${issueNumber}`;
  return pageStart === null ? `${issue}-n${ordinal}` : `${issue}-${pageStart}`;
}

const JOURNAL_REF = 'SELECT id, code, original, name_fa, name_en FROM journal';
type JournalRefRow = { id: number; code: string; original: number; name_fa: string | null; name_en: string | null };
const toRef = (r: JournalRefRow): JournalRef => ({ id: r.id, code: r.code, original: r.original === 1, nameFa: r.name_fa, nameEn: r.name_en });

/** Every journal of the store, the first first. */
export function listJournals(db: Db): JournalRef[] {
  return db.prepare<[], JournalRefRow>(`${JOURNAL_REF} ORDER BY id`).all().map(toRef);
}

/** The journal with this code, if any. */
export function journalByCode(db: Db, code: string): JournalRef | null {
  const row = db.prepare<[string], JournalRefRow>(`${JOURNAL_REF} WHERE code = ?`).get(code);
  return row ? toRef(row) : null;
}

/**
 * The journal's row id, creating the row the first time. The first journal of a store is its
 * original one; it keeps that for good.
 */
export function upsertJournal(db: Db, journal: JournalInfo): number {
  const first = db.prepare<[], number>('SELECT count(*) FROM journal').pluck().get() === 0;
  db.prepare(
    `INSERT INTO journal (code, name_fa, name_en, publisher_fa, publisher_en, issn_print, issn_online, website, access_rights, license, original)
     VALUES (@code, @nameFa, @nameEn, @publisherFa, @publisherEn, @issnPrint, @issnOnline, @website, @accessRights, @license, @original)
     ON CONFLICT (code) DO UPDATE SET name_fa = excluded.name_fa, name_en = excluded.name_en,
       publisher_fa = excluded.publisher_fa, publisher_en = excluded.publisher_en,
       issn_print = excluded.issn_print, issn_online = excluded.issn_online, website = excluded.website,
       access_rights = excluded.access_rights, license = excluded.license`,
  ).run({ ...journal, original: first ? 1 : 0 });
  const id = db.prepare<[string], number>('SELECT id FROM journal WHERE code = ?').pluck().get(journal.code) as number;
  syncJournalSets(db, id, { members: false });
  return id;
}

/** The issue's row id, creating or updating the row. */
export function upsertIssue(db: Db, journalId: number, issue: IssueInput): number {
  db.prepare(
    `INSERT INTO issue (journal_id, number, volume, number_in_volume, season_fa, season_en, year_solar, date_solar, date_published, article_count)
     VALUES (@journalId, @number, @volume, @numberInVolume, @seasonFa, @seasonEn, @yearSolar, @dateSolar, @datePublished, @articleCount)
     ON CONFLICT (journal_id, number) DO UPDATE SET volume = excluded.volume, number_in_volume = excluded.number_in_volume,
       season_fa = excluded.season_fa, season_en = excluded.season_en, year_solar = excluded.year_solar,
       date_solar = excluded.date_solar, date_published = excluded.date_published, article_count = excluded.article_count`,
  ).run({ journalId, ...issue });
  return db
    .prepare<[number, number], number>('SELECT id FROM issue WHERE journal_id = ? AND number = ?')
    .pluck()
    .get(journalId, issue.number) as number;
}

interface SetRow {
  spec: string;
  nameFa: string | null;
  nameEn: string;
  descriptionFa: string | null;
  descriptionEn: string | null;
}

function journalLabels(journal: JournalRef): { fa: string; en: string } {
  // A name nobody gave is not made up: the set is then named by the journal's code.
  return { fa: journal.nameFa ?? `نشریه ${journal.code}`, en: journal.nameEn ?? `Journal ${journal.code}` };
}

/** The journal's own set and, for the original journal, the `issue` set harvesters already know. */
function journalSets(journal: JournalRef): SetRow[] {
  const name = journalLabels(journal);
  const sets: SetRow[] = [
    {
      spec: journal.code,
      nameFa: name.fa,
      nameEn: name.en,
      descriptionFa: `همه مقاله‌های ${name.fa}، به تفکیک شماره در زیرمجموعه‌های ${journal.code}:<شماره>.`,
      descriptionEn: `All articles of ${name.en}, and its issues below as ${journal.code}:<serial number>.`,
    },
  ];
  if (journal.original) {
    sets.push({
      spec: 'issue',
      nameFa: 'شماره‌های نشریه',
      nameEn: 'Journal issues',
      descriptionFa: `همه مقاله‌های ${name.fa}، به تفکیک شماره نشریه (همان مجموعه ${journal.code}).`,
      descriptionEn: `All articles of ${name.en}, grouped by the issue they appeared in: the same records as set ${journal.code}.`,
    });
  }
  return sets;
}

/** The sets of one issue: `<code>:<n>`, and `issue:<n>` for the original journal. */
function issueSets(journal: JournalRef, issue: IssueInfo): SetRow[] {
  const name = journalLabels(journal);
  const present = <T>(xs: Array<T | null | undefined>) => xs.filter((x): x is T => x !== null && x !== undefined && x !== '');
  const whenFa = present([issue.seasonFa, issue.yearSolar]).join(' ');
  const solarEn = present([issue.seasonEn, issue.yearSolar === null ? null : `${issue.yearSolar} SH`]).join(' ');
  const whenEn = present([solarEn, issue.datePublished?.slice(0, 4)]).join(', ');
  const describe = (fa: string, en: string) => ({
    descriptionFa: `${present([fa, whenFa, issue.dateSolar === null ? null : `تاریخ انتشار ${issue.dateSolar}`]).join('، ')}.`,
    descriptionEn: `${present([en, solarEn, issue.datePublished === null ? null : `published ${issue.datePublished}`]).join(', ')}.`,
  });
  const volumeFa = issue.volume === null ? '' : `سال ${issue.volume}${issue.numberInVolume === null ? '' : ` شماره ${issue.numberInVolume}`}، `;
  const volumeEn = issue.volume === null ? '' : `volume ${issue.volume}${issue.numberInVolume === null ? '' : ` number ${issue.numberInVolume}`}, `;
  const sets: SetRow[] = [
    {
      spec: `${journal.code}:${issue.number}`,
      nameFa: `${name.fa}، شماره ${issue.number}${whenFa === '' ? '' : ` (${whenFa})`}`,
      nameEn: `${name.en}, issue ${issue.number}${whenEn === '' ? '' : ` (${whenEn})`}`,
      ...describe(`مقاله‌های ${name.fa}، ${volumeFa}شماره پیاپی ${issue.number}`, `Articles of ${name.en}, ${volumeEn}serial issue ${issue.number}`),
    },
  ];
  // The original journal's issue sets keep the names they have always had.
  if (journal.original) {
    sets.push({
      spec: `issue:${issue.number}`,
      nameFa: `شماره ${issue.number}${whenFa === '' ? '' : ` (${whenFa})`}`,
      nameEn: `Issue ${issue.number}${whenEn === '' ? '' : ` (${whenEn})`}`,
      ...describe(`مقاله‌های شماره پیاپی ${issue.number}`, `Articles of serial issue ${issue.number}`),
    });
  }
  return sets;
}

function writeSets(db: Db, sets: readonly SetRow[]): void {
  const insert = statement(
    db,
    `INSERT INTO oai_set (spec, name_fa, name_en, description_fa, description_en)
     VALUES (@spec, @nameFa, @nameEn, @descriptionFa, @descriptionEn)
     ON CONFLICT (spec) DO UPDATE SET name_fa = excluded.name_fa, name_en = excluded.name_en,
       description_fa = excluded.description_fa, description_en = excluded.description_en`,
  );
  for (const set of sets) insert.run(set);
}

/**
 * The sets an issue's articles belong to, written with their names: the journal's set and the
 * issue's set below it, so that harvesting the journal includes the issue (§2.7.2); for the
 * original journal also `issue` and `issue:<n>`, which harvesters already hold.
 */
export function ensureIssueSets(db: Db, journal: JournalRef, issue: IssueInfo): string[] {
  const sets = [...journalSets(journal), ...issueSets(journal, issue)];
  writeSets(db, sets);
  return sets.map((s) => s.spec);
}

/**
 * Writes the sets of a journal and of each of its issues, with their current names, and puts
 * every article of the journal in them. A record that joins a set keeps its datestamp.
 */
export function syncJournalSets(db: Db, journalId: number, { members = true }: { members?: boolean } = {}): void {
  const journal = listJournals(db).find((j) => j.id === journalId);
  if (!journal) return;
  writeSets(db, journalSets(journal));
  const issues = db.prepare<[number], IssueColumns & { id: number }>('SELECT * FROM issue WHERE journal_id = ?').all(journalId);
  const join = statement(db, 'INSERT INTO set_member (set_spec, article_id) SELECT ?, id FROM article WHERE issue_id = ? ON CONFLICT DO NOTHING');
  for (const row of issues) {
    const specs = ensureIssueSets(db, journal, issueFromRow(row));
    // Every article joins its sets when it is written; only a backfill has members to add.
    if (members) for (const spec of specs) join.run(spec, row.id);
  }
}

/**
 * Once per store: the journal and issue sets for the journals that were there before journals
 * had sets of their own (migration 007 leaves a mark for it).
 */
export function ensureJournalSets(db: Db): boolean {
  const mark = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'journal_sets_backfill'`).pluck();
  if (mark.get() === undefined) return false;
  db.transaction(() => {
    for (const journal of listJournals(db)) syncJournalSets(db, journal.id);
    db.prepare(`DELETE FROM meta WHERE key = 'journal_sets_backfill'`).run();
  })();
  return true;
}

/** Where each language's title came from, for the titles that are known. */
export type TitleSources = Partial<Record<Lang, string>>;

/**
 * What an import computed off the main thread for an article's content, from the same values:
 * its abstracts packed as packText packs them, and its row of the search index.
 */
export interface PreparedContent {
  abstractFa: Uint8Array | null;
  abstractEn: Uint8Array | null;
  search: SearchColumns;
}

const CONTENT_TABLES = ['article_text', 'author', 'author_affiliation', 'keyword', 'full_text', 'funding'] as const;

/**
 * Replaces an article's texts, authors and keywords with the given ones; a new article (`fresh`)
 * has none to replace.
 */
function writeContent(db: Db, id: number, article: ArticleInput, titleSources: TitleSources, fresh: boolean, prepared?: PreparedContent): void {
  if (!fresh) for (const table of CONTENT_TABLES) statement(db, `DELETE FROM ${table} WHERE article_id = ?`).run(id);
  const text = statement(db, 'INSERT INTO article_text (article_id, lang, title, title_source, abstract) VALUES (?, ?, ?, ?, ?)');
  const packed = (abstract: string | null) => (abstract === null ? null : packText(abstract));
  const abstractFa = prepared === undefined ? packed(article.abstractFa) : prepared.abstractFa;
  const abstractEn = prepared === undefined ? packed(article.abstractEn) : prepared.abstractEn;
  text.run(id, 'fa', article.titleFa, article.titleFa === null ? null : (titleSources.fa ?? null), abstractFa);
  text.run(id, 'en', article.titleEn, article.titleEn === null ? null : (titleSources.en ?? null), abstractEn);
  const author = statement(db, 'INSERT INTO author (article_id, position, name_fa, name_en, corresponding, orcid) VALUES (?, ?, ?, ?, ?, ?)');
  const affiliation = statement(db, 'INSERT INTO author_affiliation (article_id, author_position, position, name_fa, name_en, ror) VALUES (?, ?, ?, ?, ?, ?)');
  article.authors.forEach((a, i) => {
    author.run(id, i + 1, a.nameFa, a.nameEn, a.corresponding ? 1 : 0, a.orcid ?? null);
    (a.affiliations ?? []).forEach((f, j) => affiliation.run(id, i + 1, j + 1, f.nameFa, f.nameEn, f.ror));
  });
  const fullText = statement(db, 'INSERT INTO full_text (article_id, position, url, media_type, lang) VALUES (?, ?, ?, ?, ?)');
  article.fullText.forEach((f, i) => fullText.run(id, i + 1, f.url, f.mediaType, f.lang));
  const funding = statement(
    db,
    'INSERT INTO funding (article_id, position, funder_name_fa, funder_name_en, funder_id, award_number, award_title_fa, award_title_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  article.funding.forEach((f, i) => funding.run(id, i + 1, f.funderNameFa, f.funderNameEn, f.funderId, f.awardNumber, f.awardTitleFa, f.awardTitleEn));
  const keyword = statement(db, 'INSERT INTO keyword (article_id, lang, position, value) VALUES (?, ?, ?, ?)');
  article.keywordsFa.forEach((k, i) => keyword.run(id, 'fa', i + 1, k));
  article.keywordsEn.forEach((k, i) => keyword.run(id, 'en', i + 1, k));
  indexArticle(db, id, article, prepared?.search);
}

/** The article row's own columns before the datestamp; 0-0 stands for pages not known. */
function articleColumns(article: ArticleInput): [number, number, string | null, string | null] {
  return [article.pageStart ?? 0, article.pageEnd ?? 0, article.doi, article.landingUrl];
}

/** The article row's columns of what richer sources give. */
function detailColumns(article: ArticleInput): Array<string | null> {
  return [article.license, article.accessRights, article.resourceType, article.dateReceived, article.dateAccepted];
}

/**
 * Inserts a new article with its texts, authors, keywords and set memberships. `prepared`, when
 * given, must be what packText and searchColumns give for this very article.
 */
export function insertArticle(
  db: Db,
  issueId: number,
  localId: string,
  article: ArticleInput,
  datestamp: string,
  setSpecs: readonly string[],
  titleSources: TitleSources,
  prepared?: PreparedContent,
): number {
  const insert = statement(
    db,
    `INSERT INTO article (local_id, issue_id, page_start, page_end, doi, landing_url, datestamp, license, access_rights, resource_type, date_received, date_accepted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const id = Number(insert.run(localId, issueId, ...articleColumns(article), datestamp, ...detailColumns(article)).lastInsertRowid);
  writeContent(db, id, article, titleSources, true, prepared);
  const member = statement(db, 'INSERT INTO set_member (set_spec, article_id) VALUES (?, ?)');
  for (const spec of setSpecs) member.run(spec, id);
  return id;
}

/** Rewrites an existing article's content and moves its datestamp. */
export function updateArticle(db: Db, id: number, article: ArticleInput, titleSources: TitleSources, datestamp: string): void {
  statement(
    db,
    `UPDATE article SET page_start = ?, page_end = ?, doi = ?, landing_url = ?, datestamp = ?,
       license = ?, access_rights = ?, resource_type = ?, date_received = ?, date_accepted = ? WHERE id = ?`,
  ).run(...articleColumns(article), datestamp, ...detailColumns(article), id);
  writeContent(db, id, article, titleSources, false);
}

/** Moves the datestamps of every article of an issue, whose shared metadata changed. */
export function touchIssueArticles(db: Db, issueId: number, datestamp: (old: string) => string): string[] {
  const rows = db.prepare<[number], { id: number; local_id: string; datestamp: string }>('SELECT id, local_id, datestamp FROM article WHERE issue_id = ?').all(issueId);
  const update = db.prepare('UPDATE article SET datestamp = ? WHERE id = ?');
  for (const row of rows) update.run(datestamp(row.datestamp), row.id);
  return rows.map((r) => r.local_id);
}

/** A fact a source suggests but nobody confirmed: kept for an admin, never served. */
export interface PendingFact {
  subject: string;
  field: string;
  lang: Lang | null;
  value: string;
  source: string;
  status: string;
}

/** Records a pending fact once. */
export function addPendingFact(db: Db, fact: PendingFact): void {
  db.prepare(
    `INSERT INTO pending_fact (subject, field, lang, value, source, status) VALUES (@subject, @field, @lang, @value, @source, @status)
     ON CONFLICT (subject, field, lang, value) DO NOTHING`,
  ).run(fact);
}

/**
 * The resumption-token secret kept in the store, generated on first use, so that tokens stay
 * valid across restarts when no RESUMPTION_TOKEN_SECRET is configured.
 */
export function ensureTokenSecret(db: Db): string {
  db.prepare(`INSERT INTO meta (key, value) VALUES ('token_secret', ?) ON CONFLICT (key) DO NOTHING`).run(randomBytes(32).toString('base64url'));
  return db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'token_secret'`).pluck().get() as string;
}

/** The stored token secret, if one was generated. */
export function readTokenSecret(db: Db): string | null {
  return db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'token_secret'`).pluck().get() ?? null;
}

/**
 * Withdraws or restores an article. The row stays, as a tombstone when deleted, and its datestamp
 * moves so that incremental harvests see the change (`deletedRecord` is `persistent`).
 * Returns false when no article has that local id or it is already in that state.
 */
export function setDeleted(db: Db, localId: string, deleted: boolean, datestamp: string): boolean {
  const result = statement(db, 'UPDATE article SET deleted = ?, datestamp = ? WHERE local_id = ? AND deleted = ?').run(
    deleted ? 1 : 0,
    datestamp,
    localId,
    deleted ? 0 : 1,
  );
  return result.changes === 1;
}
