import type { ChangePartStart, ChangeRow, DiscoveryRepository, DocumentEntry, DocumentInfo, IdRange, LandingEntry, StoredDocument } from '../discovery/repository.js';
import type { RecordKey } from '../oai/repository.js';
import { keyBounds, pageSql } from './list-sql.js';
import { FragmentHeads } from './heads.js';
import type { Db } from './open.js';

interface DigestColumns {
  prefix: string;
  md5: Buffer | null;
  sha256: Buffer | null;
  length: number | null;
}

function digestOf(row: DigestColumns): DocumentInfo | null {
  return row.md5 === null || row.sha256 === null || row.length === null ? null : { prefix: row.prefix, md5: row.md5, sha256: row.sha256, length: row.length };
}

/** Every live document row has digests: the columns are NOT NULL together, by the table's check. */
function liveDigest(row: DigestColumns): DocumentInfo {
  return { prefix: row.prefix, md5: row.md5 as Buffer, sha256: row.sha256 as Buffer, length: row.length as number };
}

const DOCUMENT_COLUMNS = 'd.prefix, d.md5, d.sha256, d.length';

/**
 * A value computed from the whole store, kept until another connection commits a change
 * (`PRAGMA data_version`): the server only reads, so its answers change only after an import.
 */
function memoByVersion<T>(db: Db, compute: () => T): () => T {
  let version: number | null = null;
  let value: T;
  return () => {
    const now = db.pragma('data_version', { simple: true }) as number;
    if (version !== now) {
      value = compute();
      version = now;
    }
    return value;
  };
}

/** The store as sitemaps, link sets, metadata documents and ResourceSync read it. */
export class SqliteDiscovery implements DiscoveryRepository {
  private readonly statements;
  private readonly memo = new Map<string, () => unknown>();

  private readonly heads: FragmentHeads;

  constructor(private readonly db: Db) {
    this.heads = new FragmentHeads(db);
    this.statements = {
      record: db.prepare<[string], { id: number; datestamp: string; deleted: number }>('SELECT id, datestamp, deleted FROM article WHERE local_id = ?'),
      liveDocuments: db.prepare<[string], DigestColumns>(
        `SELECT ${DOCUMENT_COLUMNS} FROM article a JOIN document d ON d.article_id = a.id
         WHERE a.local_id = ? AND a.deleted = 0 AND d.md5 IS NOT NULL ORDER BY d.prefix`,
      ),
      document: db.prepare<[number, string], DigestColumns & { head: number | null; deflated: Buffer; plain_length: number; crc32: number; adler32: number }>(
        // The document's own length column is the served document's: the fragment's is named apart.
        `SELECT ${DOCUMENT_COLUMNS}, f.head, f.deflated, f.length AS plain_length, f.crc32, f.adler32 FROM document d
         JOIN fragment f ON f.article_id = d.article_id AND f.prefix = d.prefix
         WHERE d.article_id = ? AND d.prefix = ? AND d.md5 IS NOT NULL`,
      ),
      lastRecordId: db.prepare<[], number | null>('SELECT max(id) FROM article').pluck(),
      countDocuments: db.prepare<[], number>('SELECT count(*) FROM document WHERE md5 IS NOT NULL').pluck(),
      landingParts: db.prepare<[number], { part: number; lastmod: string }>(
        // A withdrawal changes a part too: its latest datestamp counts withdrawn records.
        `SELECT (id - 1) / CAST(? AS INTEGER) + 1 AS part, max(datestamp) AS lastmod FROM article
         GROUP BY part HAVING sum(deleted = 0) > 0 ORDER BY part`,
      ),
      landingPages: db.prepare<[number, number], LandingEntry>(
        'SELECT local_id AS localId, datestamp FROM article WHERE id BETWEEN ? AND ? AND deleted = 0 ORDER BY id',
      ),
      documents: db.prepare<[number, number], DigestColumns & { localId: string; datestamp: string }>(
        `SELECT a.local_id AS localId, a.datestamp, ${DOCUMENT_COLUMNS} FROM document d JOIN article a ON a.id = d.article_id
         WHERE d.article_id BETWEEN ? AND ? AND d.md5 IS NOT NULL AND a.deleted = 0 ORDER BY d.article_id, d.prefix`,
      ),
      // Records per UTC day, from the keyset index.
      dayCounts: db.prepare<[], { day: string; records: number }>(
        'SELECT substr(datestamp, 1, 10) AS day, count(*) AS records FROM article INDEXED BY article_keyset GROUP BY day ORDER BY day',
      ),
      // Every perPart-th key of one day, counted inside SQLite over the index, in key order.
      dayParts: db.prepare<{ from: string; until: string; perPart: number }, { datestamp: string; id: number }>(
        `SELECT datestamp, id FROM (
           SELECT datestamp, id, row_number() OVER (ORDER BY datestamp, id) AS n
           FROM article INDEXED BY article_keyset WHERE datestamp >= @from AND datestamp <= @until
         ) WHERE (n - 1) % @perPart = 0`,
      ),
      changes: db.prepare<Record<string, string | number>, DigestColumns & { id: number; localId: string; datestamp: string; deleted: number; created: string | null }>(
        `SELECT k.datestamp, k.id, a.local_id AS localId, a.deleted, d.created, ${DOCUMENT_COLUMNS}
         FROM (${pageSql('all', '1', 'article a', '')}) k
         JOIN article a ON a.id = k.id JOIN document d ON d.article_id = k.id
         ORDER BY k.datestamp, k.id, d.prefix`,
      ),
    };
  }

  liveDocuments(localId: string): DocumentInfo[] {
    return this.statements.liveDocuments.all(localId).map(liveDigest);
  }

  document(localId: string, prefix: string): { datestamp: string; deleted: boolean; document: StoredDocument | null } | null {
    const row = this.statements.record.get(localId);
    if (row === undefined) return null;
    const found = row.deleted === 1 ? undefined : this.statements.document.get(row.id, prefix);
    const info = found === undefined ? null : digestOf(found);
    const document = info === null || found === undefined ? null : { ...info, fragment: this.heads.framed({ ...found, length: found.plain_length }).plain() };
    return { datestamp: row.datestamp, deleted: row.deleted === 1, document };
  }

  lastRecordId(): number {
    return this.statements.lastRecordId.get() ?? 0;
  }

  countDocuments(): number {
    return this.statements.countDocuments.get() ?? 0;
  }

  landingParts(size: number): Array<{ part: number; lastmod: string }> {
    return this.cached(`landing ${size}`, () => this.statements.landingParts.all(size));
  }

  landingPages(range: IdRange): LandingEntry[] {
    return this.statements.landingPages.all(range.first, range.last);
  }

  documents(range: IdRange): DocumentEntry[] {
    return this.statements.documents.all(range.first, range.last).map((row) => ({ localId: row.localId, datestamp: row.datestamp, ...liveDigest(row) }));
  }

  changeParts(perPart: number): ChangePartStart[] {
    return this.cached(`changes ${perPart}`, () =>
      this.statements.dayCounts.all().flatMap(({ day, records }) => {
        const first: ChangePartStart = { day, after: null };
        if (records <= perPart) return [first];
        // A later part starts with a key of the day: ids are integers, so (datestamp, id - 1) is
        // the exclusive bound just before it.
        const starts = this.statements.dayParts.all({ from: `${day}T00:00:00Z`, until: `${day}T23:59:59Z`, perPart }).slice(1);
        return [first, ...starts.map((k) => ({ day, after: { datestamp: k.datestamp, id: k.id - 1 } }))];
      }),
    );
  }

  changes(day: string, after: RecordKey | null, limit: number): ChangeRow[] {
    const bounds = keyBounds({ from: `${day}T00:00:00Z`, until: `${day}T23:59:59Z`, set: null }, after);
    return this.statements.changes.all({ ...bounds, limit }).map((row) => ({
      id: row.id,
      localId: row.localId,
      datestamp: row.datestamp,
      prefix: row.prefix,
      created: row.created,
      // A withdrawn record's documents are gone, whatever a writer left behind.
      digest: row.deleted === 1 ? null : digestOf(row),
    }));
  }

  private cached<T>(key: string, compute: () => T): T {
    let get = this.memo.get(key) as (() => T) | undefined;
    if (get === undefined) {
      get = memoByVersion(this.db, compute);
      this.memo.set(key, get);
    }
    return get();
  }
}
