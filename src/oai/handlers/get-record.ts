import type { OaiContext } from '../context.js';
import { oaiError, type OaiError } from '../errors.js';
import { toLocalId } from '../identifiers.js';
import type { VerbResult } from '../result.js';
import { headerOut } from './header-out.js';

/**
 * GetRecord (§4.1): one record in one format, as stored when it was written. A live record with
 * nothing stored in the format lacks a field the format requires.
 */
export function getRecord(ctx: OaiContext, identifier: string, metadataPrefix: string): VerbResult | OaiError[] {
  const errors: OaiError[] = [];
  const format = ctx.formats.get(metadataPrefix);
  if (!format) errors.push(oaiError('cannotDisseminateFormat', `The metadata format "${metadataPrefix}" is not supported.`));
  const localId = toLocalId(ctx.settings.repositoryIdentifier, identifier);
  const stored = localId === null ? null : ctx.repository.getStoredRecord(localId, metadataPrefix);
  if (!stored) errors.push(oaiError('idDoesNotExist', `No item has the identifier "${identifier}".`));
  if (!format || !stored) return errors;
  if (!stored.deleted && stored.metadata === null) {
    return [oaiError('cannotDisseminateFormat', `"${identifier}" cannot be disseminated as ${metadataPrefix}: a field that format requires is unknown.`)];
  }
  return { verb: 'GetRecord', record: { header: headerOut(ctx, stored), metadata: stored.metadata } };
}
