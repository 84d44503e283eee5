import type { FramedText } from '../deflate/piece.js';
import type { ArticleRecord, OaiSet, RecordHeader } from '../model.js';

/** A record header with its metadata as stored (compressed UTF-8 between shared pieces), ready to be written out as it is. */
export interface StoredRecord extends RecordHeader {
  metadata: FramedText | null;
}

/** The key a record list is ordered and paged by. */
export interface RecordKey {
  datestamp: string;
  id: number;
}

/** Which records a list covers; both bounds inclusive, `YYYY-MM-DDThh:mm:ssZ`. */
export interface RecordQuery {
  from: string | null;
  until: string | null;
  set: string | null;
  /**
   * A metadata prefix whose format cannot disseminate every record: only records available in it
   * (and deleted ones, whose headers every list carries) are listed. Null lists them all.
   */
  format?: string | null;
}

/** One page of a keyset-paged list: `hasMore` comes from fetching one row past the page. */
export interface Page<T, K> {
  items: T[];
  hasMore: boolean;
  /** The key of the last item, where the next page starts after. */
  last: K | null;
}

/**
 * A page whose items are read from the store as they are iterated, so that a response can be
 * written while its rows are read. Its keys were read first, from the index alone, so `size`,
 * `hasMore` and `last` are known before the items are. The store must not be asked anything else
 * while the items are being iterated.
 */
export interface StreamedPage<T, K> extends Omit<Page<T, K>, 'items'> {
  items: Iterable<T>;
  /** How many items the page holds. */
  size: number;
}

/**
 * What the protocol needs from the store. The handlers see only this, never SQL, so they can be
 * read and tested alone.
 */
export interface OaiRepository {
  /** A number that changes whenever the stored data does: answers prepared under another are stale. */
  dataVersion(): number;
  /** The oldest datestamp of any record, deleted ones included; null for an empty store. */
  earliestDatestamp(): string | null;
  /** The local id of some record, for Identify's sampleIdentifier. */
  sampleLocalId(): string | null;
  /** One record by local id, deleted or not. */
  getRecord(localId: string): ArticleRecord | null;
  countRecords(query: RecordQuery): number;
  listHeaders(query: RecordQuery, after: RecordKey | null, limit: number): StreamedPage<RecordHeader, RecordKey>;
  /** A page of records with their stored metadata in `prefix` (null for deleted ones, or none stored). */
  listRecords(query: RecordQuery, after: RecordKey | null, limit: number, prefix: string): StreamedPage<StoredRecord, RecordKey>;
  /**
   * One record's header with its metadata in one format, as stored when the record was written:
   * null metadata when the record is deleted or cannot be disseminated in that format.
   */
  getStoredRecord(localId: string, prefix: string): StoredRecord | null;
  countSets(): number;
  setExists(spec: string): boolean;
  listSets(afterSpec: string | null, limit: number): Page<OaiSet, string>;
}
