import type { MetadataFormat } from '../../formats/registry.js';
import type { ArticleRecord, RecordHeader } from '../../model.js';
import type { OaiContext } from '../context.js';
import { toOaiIdentifier } from '../identifiers.js';
import type { HeaderOut, RecordOut } from '../result.js';

/** A stored header as it goes out. */
export function headerOut(ctx: OaiContext, header: RecordHeader): HeaderOut {
  return {
    identifier: toOaiIdentifier(ctx.settings.repositoryIdentifier, header.localId),
    datestamp: header.datestamp,
    deleted: header.deleted,
    setSpecs: header.setSpecs,
  };
}

/** A stored record as it goes out; a deleted one carries no metadata (§2.5.1). */
export function recordOut(ctx: OaiContext, record: ArticleRecord, format: MetadataFormat): RecordOut {
  return {
    header: headerOut(ctx, record),
    metadata: record.deleted ? null : format.render(record, { publicUrl: ctx.settings.publicUrl, repositoryIdentifier: ctx.settings.repositoryIdentifier }),
  };
}
