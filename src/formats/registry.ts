import type { ArticleRecord } from '../model.js';
import { oaiDc } from './oai-dc.js';

/** What a format needs besides the record: where this server is. */
export interface FormatContext {
  publicUrl: string;
}

/** One metadata format: its identity and a pure serializer of a stored record. */
export interface MetadataFormat {
  prefix: string;
  namespace: string;
  schema: string;
  /**
   * Bumped whenever the serializer's output changes, so that the datestamps of the records it
   * changes can be moved (§2.7.1).
   */
  version: number;
  /**
   * False when the record lacks a field the format's schema requires. GetRecord and
   * ListMetadataFormats consult it; the lists do not yet, as every format so far (oai_dc alone)
   * can disseminate every record.
   */
  canDisseminate(record: ArticleRecord): boolean;
  /** The `<metadata>` content, as an XML fragment with its own namespace declarations. */
  render(record: ArticleRecord, context: FormatContext): string;
}

/** Every format this repository serves, by prefix. */
export const FORMATS: ReadonlyMap<string, MetadataFormat> = new Map([[oaiDc.prefix, oaiDc]]);
