import { deflateText, inflatePieces, packText } from '../deflate/piece.js';
import { splitRoot } from './frame.js';
import { FragmentHeads } from './heads.js';
import { storedFragment, type FragmentColumns } from './list-sql.js';
import type { Db } from './open.js';

/**
 * What a migration needs done in code, after its SQL and in the same transaction: keyed by the
 * schema version the migration brings the store to.
 */
export const MIGRATION_STEPS: Readonly<Record<number, (db: Db) => void>> = {
  9: deflateFragments,
  11: packAbstracts,
  12: shareHeads,
};

/** Moves every stored fragment from the text table into the compressed one, then drops the text table. */
function deflateFragments(db: Db): void {
  const insert = db.prepare('INSERT INTO fragment (article_id, prefix, deflated, length, crc32, adler32) VALUES (?, ?, ?, ?, ?, ?)');
  // In batches by key: the connection cannot write while a statement is still reading.
  const batch = db.prepare<[{ id: number; prefix: string }], { article_id: number; prefix: string; xml: string }>(
    'SELECT article_id, prefix, xml FROM fragment_text WHERE (article_id, prefix) > (@id, @prefix) ORDER BY article_id, prefix LIMIT 1000',
  );
  for (let after = { article_id: 0, prefix: '' }; ; ) {
    const rows = batch.all({ id: after.article_id, prefix: after.prefix });
    for (const row of rows) {
      const piece = deflateText(row.xml);
      insert.run(row.article_id, row.prefix, piece.deflated, piece.length, piece.crc32, piece.adler32);
    }
    const last = rows.at(-1);
    if (last === undefined) break;
    after = last;
  }
  db.exec('DROP TABLE fragment_text');
}

/** Copies the texts into the table whose abstracts are packed, then puts it in the old one's place. */
function packAbstracts(db: Db): void {
  const insert = db.prepare('INSERT INTO article_text_packed (article_id, lang, title, title_source, abstract) VALUES (?, ?, ?, ?, ?)');
  const batch = db.prepare<[{ id: number; lang: string }], { article_id: number; lang: string; title: string | null; title_source: string | null; abstract: string | null }>(
    'SELECT article_id, lang, title, title_source, abstract FROM article_text WHERE (article_id, lang) > (@id, @lang) ORDER BY article_id, lang LIMIT 1000',
  );
  for (let after = { article_id: 0, lang: '' }; ; ) {
    const rows = batch.all({ id: after.article_id, lang: after.lang });
    for (const r of rows) insert.run(r.article_id, r.lang, r.title, r.title_source, r.abstract === null ? null : packText(r.abstract));
    const last = rows.at(-1);
    if (last === undefined) break;
    after = last;
  }
  db.exec('DROP TABLE article_text; ALTER TABLE article_text_packed RENAME TO article_text');
}

/** Splits each stored fragment's root start tag off into the shared heads. */
function shareHeads(db: Db): void {
  const heads = new FragmentHeads(db);
  const update = db.prepare('UPDATE fragment SET head = ?, deflated = ?, length = ?, crc32 = ?, adler32 = ? WHERE article_id = ? AND prefix = ?');
  const batch = db.prepare<[{ id: number; prefix: string }], FragmentColumns & { article_id: number; prefix: string }>(
    `SELECT article_id, prefix, head, deflated, length, crc32, adler32 FROM fragment
     WHERE (article_id, prefix) > (@id, @prefix) ORDER BY article_id, prefix LIMIT 1000`,
  );
  for (let after = { article_id: 0, prefix: '' }; ; ) {
    const rows = batch.all({ id: after.article_id, prefix: after.prefix });
    for (const row of rows) {
      const { head, body } = splitRoot(inflatePieces([storedFragment(row)]));
      if (head === null) continue;
      const piece = deflateText(body);
      update.run(heads.idOf(head.toString('utf8')), piece.deflated, piece.length, piece.crc32, piece.adler32, row.article_id, row.prefix);
    }
    const last = rows.at(-1);
    if (last === undefined) break;
    after = last;
  }
}
