import type { DeflatedText, FramedText } from '../deflate/piece.js';
import type { OaiSet } from '../model.js';
import type { OaiError } from './errors.js';

/** A record header as it goes out. */
export interface HeaderOut {
  identifier: string;
  datestamp: string;
  deleted: boolean;
  setSpecs: string[];
}

/**
 * A record as it goes out: metadata is an XML fragment, as a string or as the compressed UTF-8
 * the store holds, absent for a deleted record.
 */
export interface RecordOut {
  header: HeaderOut;
  metadata: string | DeflatedText | FramedText | null;
}

/** The `<resumptionToken>` of a list page; an empty value ends a list. */
export interface TokenOut {
  value: string;
  cursor: number;
  completeListSize: number;
  expirationDate: string | null;
}

/**
 * What each verb answers, as plain data; the writer turns it into XML. The items of a list page
 * may be read from the store as they are iterated (see `StreamedPage`).
 */
export type VerbResult =
  | {
      verb: 'Identify';
      repositoryName: string;
      baseUrl: string;
      earliestDatestamp: string;
      adminEmails: string[];
      compression: string[];
      oaiIdentifier: { repositoryIdentifier: string; sampleIdentifier: string } | null;
      eprints: { content?: string; metadataPolicy?: string; dataPolicy?: string; submissionPolicy?: string };
      /** The icon's size is given for this server's own icon only: nobody knows another's. */
      branding: { iconUrl: string; link: string; title: string; width?: number; height?: number };
    }
  | { verb: 'ListMetadataFormats'; formats: Array<{ prefix: string; schema: string; namespace: string }> }
  | { verb: 'ListSets'; sets: OaiSet[]; token: TokenOut | null }
  | { verb: 'GetRecord'; record: RecordOut }
  | { verb: 'ListIdentifiers'; headers: Iterable<HeaderOut>; size: number; token: TokenOut | null }
  | { verb: 'ListRecords'; records: Iterable<RecordOut>; size: number; token: TokenOut | null };

/** A whole response: the request it answers and either a result or errors. */
export interface OaiResponse {
  responseDate: string;
  baseUrl: string;
  /** The arguments to echo in `<request>`, or null when none may be echoed. */
  args: Record<string, string> | null;
  body: VerbResult | { verb: null; errors: OaiError[] };
}
