import type { RecordHeader } from '../../model.js';
import type { OaiContext } from '../context.js';
import { toOaiIdentifier } from '../identifiers.js';
import type { HeaderOut } from '../result.js';

/** A stored header as it goes out. */
export function headerOut(ctx: OaiContext, header: RecordHeader): HeaderOut {
  return {
    identifier: toOaiIdentifier(ctx.settings.repositoryIdentifier, header.localId),
    datestamp: header.datestamp,
    deleted: header.deleted,
    setSpecs: header.setSpecs,
  };
}
