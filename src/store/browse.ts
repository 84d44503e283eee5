import type { ArticleRecord } from '../model.js';
import type { Page, RecordKey } from '../oai/repository.js';
import type { Db } from './open.js';
import { SqliteRepository } from './records.js';
import { searchQuery } from './search.js';

/** What the browse page filters by; every field optional. */
export interface BrowseQuery {
  /** Words to find in titles, abstracts, authors and keywords, in either language. */
  text: string | null;
  set: string | null;
  /** A journal's code. */
  journal: string | null;
  issue: number | null;
  state: 'all' | 'live' | 'deleted';
}

/** Counts for the dashboard. */
export interface RepositoryStats {
  records: number;
  deleted: number;
  lastChange: string | null;
  perSet: Array<{ spec: string; nameEn: string; nameFa: string | null; records: number }>;
  issues: number[];
  journals: JournalStats[];
}

/** One journal on the dashboard. */
export interface JournalStats {
  code: string;
  nameFa: string | null;
  nameEn: string | null;
  issnPrint: string | null;
  issnOnline: string | null;
  issues: number;
  records: number;
  deleted: number;
}

/** Read-only queries for the pages, keyset-paged on (datestamp, id) like the protocol. */
export class BrowseStore {
  private readonly repository: SqliteRepository;
  private readonly page;
  private readonly stats;

  constructor(db: Db) {
    this.repository = new SqliteRepository(db);
    this.page = db.prepare<Record<string, string | number | null>, { id: number; local_id: string; datestamp: string }>(
      `SELECT a.id, a.local_id, a.datestamp FROM article a JOIN issue i ON i.id = a.issue_id
       WHERE (a.datestamp, a.id) > (@afterDatestamp, @afterId)
         AND (@journal IS NULL OR i.journal_id = (SELECT j.id FROM journal j WHERE j.code = @journal))
         AND (@issue IS NULL OR i.number = @issue)
         AND (@deleted IS NULL OR a.deleted = @deleted)
         AND (@set IS NULL OR EXISTS (SELECT 1 FROM set_member m WHERE m.set_spec = @set AND m.article_id = a.id))
         AND (@match IS NULL OR a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH @match))
       ORDER BY a.datestamp, a.id LIMIT @limit`,
    );
    this.stats = {
      counts: db.prepare<[], { records: number; deleted: number; last: string | null }>(
        'SELECT count(*) AS records, coalesce(sum(deleted), 0) AS deleted, max(datestamp) AS last FROM article',
      ),
      perSet: db.prepare<[], { spec: string; name_en: string; name_fa: string | null; records: number }>(
        `SELECT s.spec, s.name_en, s.name_fa, count(m.article_id) AS records
         FROM oai_set s LEFT JOIN set_member m ON m.set_spec = s.spec GROUP BY s.spec ORDER BY s.spec`,
      ),
      issues: db.prepare<[], number>('SELECT DISTINCT number FROM issue ORDER BY number DESC').pluck(),
      journals: db.prepare<[], { code: string; name_fa: string | null; name_en: string | null; issn_print: string | null; issn_online: string | null; issues: number; records: number; deleted: number }>(
        `SELECT j.code, j.name_fa, j.name_en, j.issn_print, j.issn_online,
           (SELECT count(*) FROM issue i WHERE i.journal_id = j.id) AS issues,
           count(a.id) AS records, coalesce(sum(a.deleted), 0) AS deleted
         FROM journal j LEFT JOIN issue i ON i.journal_id = j.id LEFT JOIN article a ON a.issue_id = i.id
         GROUP BY j.id ORDER BY j.id`,
      ),
    };
  }

  /** One page of records matching the query, after the given key. */
  browse(query: BrowseQuery, after: RecordKey | null, limit: number): Page<ArticleRecord, RecordKey> {
    const match = query.text === null ? null : searchQuery(query.text);
    if (query.text !== null && match === null) return { items: [], hasMore: false, last: null };
    const rows = this.page.all({
      afterDatestamp: after?.datestamp ?? '',
      afterId: after?.id ?? 0,
      issue: query.issue,
      journal: query.journal,
      deleted: query.state === 'all' ? null : query.state === 'deleted' ? 1 : 0,
      set: query.set,
      match,
      limit: limit + 1,
    });
    const pageRows = rows.slice(0, limit);
    const lastRow = pageRows.at(-1);
    return {
      items: this.repository.getRecords(pageRows.map((r) => r.local_id)),
      hasMore: rows.length > limit,
      last: lastRow ? { datestamp: lastRow.datestamp, id: lastRow.id } : null,
    };
  }

  /** The dashboard's figures: one pass over the table, one over the set memberships. */
  repositoryStats(): RepositoryStats {
    const counts = this.stats.counts.get() ?? { records: 0, deleted: 0, last: null };
    return {
      records: counts.records,
      deleted: counts.deleted,
      lastChange: counts.last,
      perSet: this.stats.perSet.all().map((s) => ({ spec: s.spec, nameEn: s.name_en, nameFa: s.name_fa, records: s.records })),
      issues: this.stats.issues.all(),
      journals: this.stats.journals.all().map((j) => ({
        code: j.code,
        nameFa: j.name_fa,
        nameEn: j.name_en,
        issnPrint: j.issn_print,
        issnOnline: j.issn_online,
        issues: j.issues,
        records: j.records,
        deleted: j.deleted,
      })),
    };
  }
}
