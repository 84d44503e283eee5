import type { OaiContext } from '../context.js';
import { oaiError, type OaiError } from '../errors.js';
import { toLocalId } from '../identifiers.js';
import type { VerbResult } from '../result.js';

/** ListMetadataFormats (§4.4): every format, or the ones one item can be disseminated in. */
export function listMetadataFormats(ctx: OaiContext, identifier: string | null): VerbResult | OaiError[] {
  let formats = [...ctx.formats.values()];
  if (identifier !== null) {
    const localId = toLocalId(ctx.settings.repositoryIdentifier, identifier);
    const record = localId === null ? null : ctx.repository.getRecord(localId);
    if (!record) return [oaiError('idDoesNotExist', `No item has the identifier "${identifier}".`)];
    formats = formats.filter((f) => record.deleted || f.canDisseminate(record));
    if (formats.length === 0) {
      return [oaiError('noMetadataFormats', `No metadata format is available for "${identifier}".`)];
    }
  }
  return {
    verb: 'ListMetadataFormats',
    formats: formats.map(({ prefix, schema, namespace }) => ({ prefix, schema, namespace })),
  };
}
