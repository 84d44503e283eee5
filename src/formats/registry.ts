import type { ArticleRecord } from '../model.js';
import { oaiDatacite } from './datacite.js';
import { jats } from './jats.js';
import { marcxml } from './marcxml.js';
import { mods } from './mods.js';
import { oaiDc } from './oai-dc.js';
import { oaiOpenaire } from './openaire.js';

/** What a format needs besides the record: where this server is, and how it names records. */
export interface FormatContext {
  publicUrl: string;
  /** The domain part of OAI identifiers, `oai:<repositoryIdentifier>:<local id>`. */
  repositoryIdentifier: string;
}

/** One metadata format: its identity and a pure serializer of a stored record. */
export interface MetadataFormat {
  prefix: string;
  namespace: string;
  schema: string;
  /**
   * The media type of the record's metadata document in this format
   * (`/articles/<id>/metadata/<prefix>.xml`): the format's registered type, or `application/xml`.
   */
  mediaType: string;
  /**
   * Bumped whenever the serializer's output changes, so that the datestamps of the records it
   * changes can be moved (§2.7.1).
   */
  version: number;
  /**
   * False when the record lacks a field the format's schema requires. GetRecord and
   * ListMetadataFormats ask it directly; the lists read what the store recorded from it at write time.
   */
  canDisseminate(record: ArticleRecord): boolean;
  /**
   * True when the format's schema requires nothing a record can lack, so every record can be
   * disseminated: lists then need no per-record availability check.
   */
  everyRecord?: true;
  /** The `<metadata>` content, as an XML fragment with its own namespace declarations. */
  render(record: ArticleRecord, context: FormatContext): string;
}

/** Every format this repository serves, by prefix. */
export const FORMATS: ReadonlyMap<string, MetadataFormat> = new Map(
  [oaiDc, marcxml, mods, jats, oaiOpenaire, oaiDatacite].map((f) => [f.prefix, f]),
);

/** The XML media type that names no format: links to such a document name the format by `profile`. */
export const GENERIC_XML = 'application/xml';

/**
 * How a link names a format's documents: its media type and, when that type is the generic one,
 * a `profile` with the format's namespace (FAIR Signposting's rule for generic types).
 */
export function linkTarget(format: Pick<MetadataFormat, 'mediaType' | 'namespace'>): { type: string; profile: string | null } {
  return { type: format.mediaType, profile: format.mediaType === GENERIC_XML ? format.namespace : null };
}
