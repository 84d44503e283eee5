import type Database from 'better-sqlite3';
import zlib from 'node:zlib';
import { deflateText, packText, unpackText } from '../../src/deflate/piece.js';

/**
 * Lets SQL in tests read and write what the store keeps compressed: `inflate(f.deflated)` is a
 * fragment's XML, `unpack(t.abstract)` an abstract's text and `pack(text)` its stored form.
 * Returns the same connection.
 */
export function storeCodecs<T extends Database.Database>(db: T): T {
  db.function('inflate', { deterministic: true }, (deflated: unknown) =>
    Buffer.isBuffer(deflated) ? zlib.inflateRawSync(deflated, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8') : null,
  );
  db.function('unpack', { deterministic: true }, (packed: unknown) => (Buffer.isBuffer(packed) ? unpackText(packed) : null));
  db.function('pack', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? packText(text) : null));
  return db;
}

/** Stores `xml` as the fragment of one record in one format, as the store writes it. */
export function storeFragment(db: Database.Database, prefix: string, articleId: number, xml: string): void {
  const piece = deflateText(xml);
  db.prepare('UPDATE fragment SET deflated = ?, length = ?, crc32 = ?, adler32 = ? WHERE prefix = ? AND article_id = ?').run(
    piece.deflated,
    piece.length,
    piece.crc32,
    piece.adler32,
    prefix,
    articleId,
  );
}
