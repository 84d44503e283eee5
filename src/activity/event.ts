import type { IncomingMessage, ServerResponse } from 'node:http';
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

/**
 * What had to be noted while a request was alive: the client's address (a socket that has gone
 * no longer knows its peer), whether 'finish' came with the socket unharmed, and the OAI answer,
 * if the request got that far (not one refused by flow control, say).
 */
export interface SeenRequest {
  address: string | undefined;
  finished: boolean;
  response: OaiResponse | undefined;
}

/** What a request and its finished (or broken) response tell the activity record. */
export function requestEvent(req: IncomingMessage, res: ServerResponse, seen: SeenRequest, at: number): RequestEvent {
  const response = seen.response;
  const args = response?.args ?? null;
  const body = response?.body;
  const event: RequestEvent = {
    at,
    address: seen.address,
    userAgent: req.headers['user-agent'] ?? '',
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
