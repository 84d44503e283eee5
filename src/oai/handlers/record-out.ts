import type { MetadataFormat } from '../../formats/registry.js';
import type { RecordHeader } from '../../model.js';
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

/**
 * A record as it goes out, with the metadata stored when it was written; a deleted one carries
 * none (§2.5.1). Rendering here is only the fallback for a format the store has not rendered.
 */
export function recordOut(ctx: OaiContext, header: RecordHeader, stored: string | null, format: MetadataFormat): RecordOut {
  if (header.deleted) return { header: headerOut(ctx, header), metadata: null };
  if (stored !== null) return { header: headerOut(ctx, header), metadata: stored };
  const record = ctx.repository.getRecord(header.localId);
  const context = { publicUrl: ctx.settings.publicUrl, repositoryIdentifier: ctx.settings.repositoryIdentifier };
  return { header: headerOut(ctx, header), metadata: record ? format.render(record, context) : null };
}
