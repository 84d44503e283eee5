import type { Request, Response } from 'express';
import type { OaiResponse } from '../oai/result.js';

/**
 * One `/oai` request as the recorder holds it until the next flush: plain values copied from the
 * answer, never the answer itself, whose lazy rows must not outlive the response. The address is
 * still whole here; it is truncated when written.
 */
export interface RequestEvent {
  at: number;
  address: string | undefined;
  userAgent: string;
  status: number;
  /** The client closed the connection before the response was whole. */
  broken: boolean;
  /** A HEAD request: the answer was computed, but no body went out. */
  head: boolean;
  /** The verb asked for, when the request named one the server understood. */
  verb: string | null;
  /** OAI error codes, null when the answer had none. */
  errors: string[] | null;
  /** Records, headers or sets in the answer. */
  items: number;
  prefix: string | null;
  set: string | null;
  from: string | null;
  until: string | null;
  /** The resumptionToken the request carried. */
  tokenIn: string | null;
  /** The token the answer issued: `''` on a list's last page, null when it carried none. */
  tokenOut: string | null;
  /** The issued token's expirationDate. */
  tokenExpires: string | null;
  completeListSize: number | null;
}

/** Where the OAI route leaves its answer for the recorder (see oai/router.ts). */
export const OAI_RESPONSE_LOCAL = 'oaiResponse';

/**
 * What a request and its finished (or broken) response tell the activity record; `seen` is what
 * had to be noted while the request was alive: the client's address, and whether 'finish' came.
 */
export function requestEvent(req: Request, res: Response, seen: { address: string | undefined; finished: boolean }, at: number): RequestEvent {
  const response = res.locals[OAI_RESPONSE_LOCAL] as OaiResponse | undefined;
  const args = response?.args ?? null;
  const body = response?.body;
  const event: RequestEvent = {
    at,
    address: seen.address,
    userAgent: req.get('User-Agent') ?? '',
    status: res.statusCode,
    broken: !seen.finished,
    head: req.method === 'HEAD',
    verb: body?.verb ?? args?.['verb'] ?? null,
    errors: null,
    items: 0,
    prefix: args?.['metadataPrefix'] ?? null,
    set: args?.['set'] ?? null,
    from: args?.['from'] ?? null,
    until: args?.['until'] ?? null,
    tokenIn: args?.['resumptionToken'] ?? null,
    tokenOut: null,
    tokenExpires: null,
    completeListSize: null,
  };
  if (body === undefined) return event;
  if (body.verb === null) {
    event.errors = body.errors.map((e) => e.code);
    return event;
  }
  switch (body.verb) {
    case 'ListRecords':
    case 'ListIdentifiers':
      event.items = body.size;
      break;
    case 'ListSets':
      event.items = body.sets.length;
      break;
    case 'GetRecord':
      event.items = 1;
      break;
    default:
      return event;
  }
  if ('token' in body && body.token !== null) {
    event.tokenOut = body.token.value;
    event.tokenExpires = body.token.expirationDate;
    event.completeListSize = body.token.completeListSize;
  }
  return event;
}
