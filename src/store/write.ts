import { randomBytes } from 'node:crypto';
import type { ArticleInput, IssueInput, JournalInfo, Lang } from '../model.js';
import type { Db } from './open.js';
import { indexArticle } from './search.js';
import { statement } from './statements.js';

/** The stable local part of an article's OAI identifier: its issue and first page. */
export function articleLocalId(issueNumber: number, pageStart: number): string {
  return `${issueNumber}-${pageStart}`;
}

/** The journal's row id, creating the row the first time. */
export function upsertJournal(db: Db, journal: JournalInfo): number {
  db.prepare(
    `INSERT INTO journal (code, name_fa, name_en, publisher_fa, publisher_en, issn_print, issn_online, website, access_rights, license)
     VALUES (@code, @nameFa, @nameEn, @publisherFa, @publisherEn, @issnPrint, @issnOnline, @website, @accessRights, @license)
     ON CONFLICT (code) DO UPDATE SET name_fa = excluded.name_fa, name_en = excluded.name_en,
       publisher_fa = excluded.publisher_fa, publisher_en = excluded.publisher_en,
       issn_print = excluded.issn_print, issn_online = excluded.issn_online, website = excluded.website,
       access_rights = excluded.access_rights, license = excluded.license`,
  ).run(journal);
  return db.prepare<[string], number>('SELECT id FROM journal WHERE code = ?').pluck().get(journal.code) as number;
}

/** The issue's row id, creating or updating the row. */
export function upsertIssue(db: Db, journalId: number, issue: IssueInput): number {
  db.prepare(
    `INSERT INTO issue (journal_id, number, volume, season_fa, season_en, year_solar, date_solar, date_published, article_count)
     VALUES (@journalId, @number, @volume, @seasonFa, @seasonEn, @yearSolar, @dateSolar, @datePublished, @articleCount)
     ON CONFLICT (journal_id, number) DO UPDATE SET volume = excluded.volume, season_fa = excluded.season_fa,
       season_en = excluded.season_en, year_solar = excluded.year_solar, date_solar = excluded.date_solar,
       date_published = excluded.date_published, article_count = excluded.article_count`,
  ).run({ journalId, ...issue });
  return db
    .prepare<[number, number], number>('SELECT id FROM issue WHERE journal_id = ? AND number = ?')
    .pluck()
    .get(journalId, issue.number) as number;
}

/**
 * The sets an issue's articles belong to: `issue` (every issue) and `issue:<n>`. A record is a
 * member of both, so that harvesting the parent set includes it (§2.7.2).
 */
export function ensureIssueSets(db: Db, issue: IssueInput): string[] {
  const insert = db.prepare(
    `INSERT INTO oai_set (spec, name_fa, name_en, description_fa, description_en)
     VALUES (@spec, @nameFa, @nameEn, @descriptionFa, @descriptionEn)
     ON CONFLICT (spec) DO UPDATE SET name_fa = excluded.name_fa, name_en = excluded.name_en,
       description_fa = excluded.description_fa, description_en = excluded.description_en`,
  );
  insert.run({
    spec: 'issue',
    nameFa: 'شماره‌های نشریه',
    nameEn: 'Journal issues',
    descriptionFa: 'همه مقاله‌ها، به تفکیک شماره نشریه.',
    descriptionEn: 'All articles, grouped by the issue of the journal they appeared in.',
  });
  const spec = `issue:${issue.number}`;
  const year = issue.datePublished.slice(0, 4);
  insert.run({
    spec,
    nameFa: `شماره ${issue.number} (${issue.seasonFa} ${issue.yearSolar})`,
    nameEn: `Issue ${issue.number} (${issue.seasonEn} ${issue.yearSolar} SH, ${year})`,
    descriptionFa: `مقاله‌های شماره پیاپی ${issue.number}، ${issue.seasonFa} ${issue.yearSolar}، تاریخ انتشار ${issue.dateSolar}.`,
    descriptionEn: `Articles of serial issue ${issue.number}, ${issue.seasonEn} ${issue.yearSolar} SH, published ${issue.datePublished}.`,
  });
  return ['issue', spec];
}

/** Where each language's title came from, for the titles that are known. */
export type TitleSources = Partial<Record<Lang, string>>;

/** Replaces an article's texts, authors and keywords with the given ones. */
function writeContent(db: Db, id: number, article: ArticleInput, titleSources: TitleSources): void {
  for (const table of ['article_text', 'author', 'keyword']) statement(db, `DELETE FROM ${table} WHERE article_id = ?`).run(id);
  const text = statement(db, 'INSERT INTO article_text (article_id, lang, title, title_source, abstract) VALUES (?, ?, ?, ?, ?)');
  text.run(id, 'fa', article.titleFa, article.titleFa === null ? null : (titleSources.fa ?? null), article.abstractFa);
  text.run(id, 'en', article.titleEn, article.titleEn === null ? null : (titleSources.en ?? null), article.abstractEn);
  const author = statement(db, 'INSERT INTO author (article_id, position, name_fa, name_en, corresponding) VALUES (?, ?, ?, ?, ?)');
  article.authors.forEach((a, i) => author.run(id, i + 1, a.nameFa, a.nameEn, a.corresponding ? 1 : 0));
  const keyword = statement(db, 'INSERT INTO keyword (article_id, lang, position, value) VALUES (?, ?, ?, ?)');
  article.keywordsFa.forEach((k, i) => keyword.run(id, 'fa', i + 1, k));
  article.keywordsEn.forEach((k, i) => keyword.run(id, 'en', i + 1, k));
  indexArticle(db, id, article);
}

/** Inserts a new article with its texts, authors, keywords and set memberships. */
export function insertArticle(
  db: Db,
  issueId: number,
  localId: string,
  article: ArticleInput,
  datestamp: string,
  setSpecs: readonly string[],
  titleSources: TitleSources,
): number {
  const insert = statement(
    db,
    `INSERT INTO article (local_id, issue_id, page_start, page_end, doi, landing_url, datestamp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const id = Number(insert.run(localId, issueId, article.pageStart, article.pageEnd, article.doi, article.landingUrl, datestamp).lastInsertRowid);
  writeContent(db, id, article, titleSources);
  const member = statement(db, 'INSERT INTO set_member (set_spec, article_id) VALUES (?, ?)');
  for (const spec of setSpecs) member.run(spec, id);
  return id;
}

/** Rewrites an existing article's content and moves its datestamp. */
export function updateArticle(db: Db, id: number, article: ArticleInput, titleSources: TitleSources, datestamp: string): void {
  statement(db, 'UPDATE article SET page_start = ?, page_end = ?, doi = ?, landing_url = ?, datestamp = ? WHERE id = ?').run(
    article.pageStart,
    article.pageEnd,
    article.doi,
    article.landingUrl,
    datestamp,
    id,
  );
  writeContent(db, id, article, titleSources);
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
