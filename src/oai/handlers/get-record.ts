import type { OaiContext } from '../context.js';
import { oaiError, type OaiError } from '../errors.js';
import { toLocalId } from '../identifiers.js';
import type { VerbResult } from '../result.js';
import { recordOut } from './record-out.js';

/** GetRecord (§4.1): one record in one format. */
export function getRecord(ctx: OaiContext, identifier: string, metadataPrefix: string): VerbResult | OaiError[] {
  const errors: OaiError[] = [];
  const format = ctx.formats.get(metadataPrefix);
  if (!format) errors.push(oaiError('cannotDisseminateFormat', `The metadata format "${metadataPrefix}" is not supported.`));
  const localId = toLocalId(ctx.settings.repositoryIdentifier, identifier);
  const record = localId === null ? null : ctx.repository.getRecord(localId);
  if (!record) errors.push(oaiError('idDoesNotExist', `No item has the identifier "${identifier}".`));
  if (!format || !record) return errors;
  if (!record.deleted && !format.canDisseminate(record)) {
    return [oaiError('cannotDisseminateFormat', `"${identifier}" cannot be disseminated as ${metadataPrefix}: a field that format requires is unknown.`)];
  }
  return { verb: 'GetRecord', record: recordOut(ctx, record, ctx.repository.getFragment(record.localId, format.prefix), format) };
}
