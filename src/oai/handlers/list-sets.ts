import type { OaiContext } from '../context.js';
import { oaiError, type OaiError } from '../errors.js';
import type { TokenState } from '../resumption-token.js';
import type { VerbResult } from '../result.js';
import { nextToken, resume } from './paging.js';

type SetsState = Omit<TokenState, 'expires' | 'after'>;

function start(ctx: OaiContext): { state: SetsState; after: null } | OaiError {
  const completeListSize = ctx.repository.countSets();
  if (completeListSize === 0) return oaiError('noSetHierarchy', 'This repository has no sets.');
  return { state: { verb: 'ListSets', metadataPrefix: null, set: null, from: null, until: null, cursor: 0, completeListSize }, after: null };
}

function fromToken(ctx: OaiContext, token: string): { state: SetsState; after: string } | OaiError {
  const resumed = resume(ctx, 'ListSets', token);
  if ('code' in resumed) return resumed;
  const { after, expires: _expires, ...state } = resumed;
  if (!('spec' in after)) return oaiError('badResumptionToken', 'The resumptionToken is not one this repository issued.');
  return { state, after: after.spec };
}

/** ListSets (§4.6): the set hierarchy, paged by setSpec. */
export function listSets(ctx: OaiContext, token: string | null): VerbResult | OaiError[] {
  const begun = token === null ? start(ctx) : fromToken(ctx, token);
  if ('code' in begun) return [begun];
  const page = ctx.repository.listSets(begun.after, ctx.settings.pageSize.sets);
  if (page.items.length === 0) {
    return [oaiError('badResumptionToken', 'The set hierarchy changed after this list began; list the sets again.')];
  }
  const last = page.last === null ? null : { spec: page.last };
  return { verb: 'ListSets', sets: page.items, token: nextToken(ctx, begun.state, page.items.length, page.hasMore, last) };
}
