import type Database from 'better-sqlite3';
import zlib from 'node:zlib';
import { deflateText, packText, unpackText } from '../../src/deflate/piece.js';
import { splitRoot, tailOf } from '../../src/store/frame.js';
import { FragmentHeads } from '../../src/store/heads.js';

/**
 * Lets SQL in tests read and write what the store keeps compressed:
 * `xml((SELECT h.head FROM fragment_head h WHERE h.id = f.head), f.deflated)` is a fragment's XML
 * with its shared head and tail (a function cannot query its own connection, so the head's text
 * is passed in), `unpack(t.abstract)` an abstract's text and `pack(text)` its stored form.
 * Returns the same connection.
 */
export function storeCodecs<T extends Database.Database>(db: T): T {
  db.function('xml', { deterministic: true }, (head: unknown, deflated: unknown) => {
    if (!Buffer.isBuffer(deflated)) return null;
    const body = zlib.inflateRawSync(deflated, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    return typeof head === 'string' ? head + body + tailOf(head) : body;
  });
  db.function('unpack', { deterministic: true }, (packed: unknown) => (Buffer.isBuffer(packed) ? unpackText(packed) : null));
  db.function('pack', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? packText(text) : null));
  return db;
}

/** Stores `xml` as the fragment of one record in one format, as the store writes it. */
export function storeFragment(db: Database.Database, prefix: string, articleId: number, xml: string): void {
  const { head, body } = splitRoot(Buffer.from(xml, 'utf8'));
  const piece = deflateText(body);
  const headId = head === null ? null : new FragmentHeads(db).idOf(head.toString('utf8'));
  db.prepare('UPDATE fragment SET head = ?, deflated = ?, length = ?, crc32 = ?, adler32 = ? WHERE prefix = ? AND article_id = ?').run(
    headId,
    piece.deflated,
    piece.length,
    piece.crc32,
    piece.adler32,
    prefix,
    articleId,
  );
}
