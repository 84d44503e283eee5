import type { DocumentDigest } from '../formats/document.js';
import type { RecordKey } from '../oai/repository.js';

/** A document a record has now: its format and what its bytes are. */
export interface DocumentInfo extends DocumentDigest {
  prefix: string;
}

/** One metadata document with its stored fragment (the `<metadata>` content of GetRecord). */
export interface StoredDocument extends DocumentInfo {
  fragment: Uint8Array;
}

/** An inclusive range of record row ids: sitemaps and Resource Lists are cut into parts by it. */
export interface IdRange {
  first: number;
  last: number;
}

/** A live record's landing page in a sitemap. */
export interface LandingEntry {
  localId: string;
  datestamp: string;
}

/** A live document in a Resource List: whose it is, its record's datestamp and its digests. */
export interface DocumentEntry extends DocumentInfo {
  localId: string;
  datestamp: string;
}

/**
 * A document of a record whose datestamp falls in a Change List: the document's state now. A
 * document without digests no longer exists.
 */
export interface ChangeRow {
  /** The record's row id: with the datestamp, the key the list is read by. */
  id: number;
  localId: string;
  /** The record's datestamp: the time of its latest change. */
  datestamp: string;
  prefix: string;
  /** The record's datestamp when the document last appeared, or null when that predates the store keeping it. */
  created: string | null;
  digest: DocumentDigest | null;
}

/** Where a part of a day's Change List starts: after this key, or at the start of the day. */
export interface ChangePartStart {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  after: RecordKey | null;
}

/**
 * What the sitemaps, link sets, metadata documents and ResourceSync lists read from the store.
 * Every list is read by key, a part at a time; the handlers see only this, never SQL.
 */
export interface DiscoveryRepository {
  /** The documents a record has now, in prefix order: none when it is withdrawn or unknown. */
  liveDocuments(localId: string): DocumentInfo[];
  /**
   * A record's state with its document in one format: the document is null when the record has
   * none in it now (withdrawn, or lacking a field the format requires). Null when no record has
   * that local id.
   */
  document(localId: string, prefix: string): { datestamp: string; deleted: boolean; document: StoredDocument | null } | null;
  /** The highest record row id there is, 0 for an empty store: parts are ranges of ids up to it. */
  lastRecordId(): number;
  /** How many documents exist now; the caller asks only while the store is small. */
  countDocuments(): number;
  /**
   * The parts of `size` row ids that hold a live record, numbered from 1, each with the latest
   * datestamp of its records, withdrawn ones included.
   */
  landingParts(size: number): Array<{ part: number; lastmod: string }>;
  /**
   * The live records whose row ids fall in the range, by id. Read whole: callers ask for ranges
   * small enough to hold, and the connection is free again when it returns.
   */
  landingPages(range: IdRange): LandingEntry[];
  /** The documents that exist, of the records whose row ids fall in the range, by id and prefix; read whole. */
  documents(range: IdRange): DocumentEntry[];
  /**
   * Where each part of each day's Change List starts, in order, each part holding up to
   * `perPart` records. Every record has at least one document, live or gone.
   */
  changeParts(perPart: number): ChangePartStart[];
  /**
   * The documents of up to `limit` records of the day after the key (from the day's start when
   * null), in key order; read whole.
   */
  changes(day: string, after: RecordKey | null, limit: number): ChangeRow[];
}

/**
 * Records read per query when a list is written: a read's rows (six documents a record) are held
 * while their entries are written, so they must be a small part of what the young generation
 * holds between two scavenges (1 MiB with `npm start`'s flags), or they outlive two and are
 * moved to the old generation to wait for a full collection. At 100,000 records, 500 a read
 * raised the server's RSS by 60 MiB over one Resource List; with a 1 MiB young generation, 100
 * a read still moved some 27 MiB of each part's rows there, and 25 moves almost none, at the
 * same CPU: a part of 50,000 entries is 334 queries, each a short range of an index.
 */
export const READ_CHUNK = 25;

/**
 * The items of a range of records, read `READ_CHUNK` records at a time as they are consumed. Each
 * read returns whole, so no statement stays open while the writer waits for a slow client.
 */
export function* byChunks<T>(range: IdRange, read: (chunk: IdRange) => T[]): Generator<T, void, undefined> {
  for (let first = range.first; first <= range.last; first += READ_CHUNK) yield* read({ first, last: Math.min(range.last, first + READ_CHUNK - 1) });
}
