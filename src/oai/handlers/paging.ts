import type { OaiContext } from '../context.js';
import { formatDatestamp } from '../datestamp.js';
import { oaiError, type OaiError } from '../errors.js';
import { decodeToken, encodeToken, tokenExpiry, type ListKey, type TokenState } from '../resumption-token.js';
import type { TokenOut } from '../result.js';

const PROBLEMS = {
  malformed: 'The resumptionToken is not one this repository issued.',
  signature: 'The resumptionToken is not one this repository issued, or it was altered.',
  expired: 'The resumptionToken has expired; start the harvest again.',
} as const;

/** Verifies a resumptionToken for the verb it is sent with. */
export function resume(ctx: OaiContext, verb: TokenState['verb'], token: string): TokenState | OaiError {
  const secrets = [ctx.settings.tokenSecret, ...ctx.settings.previousTokenSecrets];
  const state = decodeToken(token, secrets, Math.floor(ctx.now().getTime() / 1000));
  if (typeof state === 'string') return oaiError('badResumptionToken', PROBLEMS[state]);
  if (state.verb !== verb) return oaiError('badResumptionToken', `The resumptionToken belongs to ${state.verb}, not ${verb}.`);
  return state;
}

/**
 * The `<resumptionToken>` for a page that started at `state.cursor` and sent `sent` items:
 * none when the whole list fit in one page, an empty one on the last page of a longer list,
 * otherwise a signed token that resumes after `last`.
 */
export function nextToken(
  ctx: OaiContext,
  state: Omit<TokenState, 'expires' | 'after'>,
  sent: number,
  hasMore: boolean,
  last: ListKey | null,
): TokenOut | null {
  if (!hasMore || last === null) {
    return state.cursor === 0 ? null : { value: '', cursor: state.cursor, completeListSize: state.completeListSize, expirationDate: null };
  }
  const expires = tokenExpiry(Math.floor(ctx.now().getTime() / 1000), ctx.settings.tokenTtlSeconds);
  const next: TokenState = { ...state, after: last, cursor: state.cursor + sent, expires };
  return {
    value: encodeToken(next, ctx.settings.tokenSecret),
    cursor: state.cursor,
    completeListSize: state.completeListSize,
    expirationDate: formatDatestamp(new Date(expires * 1000)),
  };
}
