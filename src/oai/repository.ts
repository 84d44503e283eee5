import type { ArticleRecord, OaiSet, RecordHeader } from '../model.js';

/** A record header with its metadata as stored, ready to be written out as it is. */
export interface StoredRecord extends RecordHeader {
  metadata: string | null;
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
 * What the protocol needs from the store. The handlers see only this, never SQL, so they can be
 * read and tested alone.
 */
export interface OaiRepository {
  /** The oldest datestamp of any record, deleted ones included; null for an empty store. */
  earliestDatestamp(): string | null;
  /** The local id of some record, for Identify's sampleIdentifier. */
  sampleLocalId(): string | null;
  /** One record by local id, deleted or not. */
  getRecord(localId: string): ArticleRecord | null;
  countRecords(query: RecordQuery): number;
  listHeaders(query: RecordQuery, after: RecordKey | null, limit: number): Page<RecordHeader, RecordKey>;
  /** A page of records with their stored metadata in `prefix` (null for deleted ones, or none stored). */
  listRecords(query: RecordQuery, after: RecordKey | null, limit: number, prefix: string): Page<StoredRecord, RecordKey>;
  /** The metadata of one record in one format, as it was rendered when the record was written. */
  getFragment(localId: string, prefix: string): string | null;
  countSets(): number;
  setExists(spec: string): boolean;
  listSets(afterSpec: string | null, limit: number): Page<OaiSet, string>;
}
