import type { OaiContext } from './context.js';
import { formatDatestamp } from './datestamp.js';
import { suppressesEcho, type OaiError } from './errors.js';
import { getRecord } from './handlers/get-record.js';
import { identify } from './handlers/identify.js';
import { listMetadataFormats } from './handlers/list-metadata-formats.js';
import { listRecords } from './handlers/list-records.js';
import { listSets } from './handlers/list-sets.js';
import { parseRequest, type ParsedRequest } from './parse-request.js';
import type { OaiResponse, VerbResult } from './result.js';

function dispatch(ctx: OaiContext, request: ParsedRequest): VerbResult | OaiError[] {
  switch (request.verb) {
    case 'Identify':
      return identify(ctx);
    case 'ListMetadataFormats':
      return listMetadataFormats(ctx, request.identifier);
    case 'ListSets':
      return listSets(ctx, request.resumptionToken);
    case 'GetRecord':
      return getRecord(ctx, request.identifier, request.metadataPrefix);
    case 'ListIdentifiers':
    case 'ListRecords':
      return listRecords(ctx, request.verb, request.resumptionToken ?? request);
  }
}

/** An answer that refuses a request before its arguments are read: nothing is echoed (§3.6). */
export function refuseOai(ctx: OaiContext, error: OaiError): OaiResponse {
  return { responseDate: formatDatestamp(ctx.now()), baseUrl: ctx.settings.baseUrl, args: null, body: { verb: null, errors: [error] } };
}

/**
 * One OAI-PMH request, from its argument pairs to a response value: the single entry point
 * that the HTTP route and any other view share.
 */
export function handleOai(ctx: OaiContext, pairs: ReadonlyArray<readonly [string, string]>): OaiResponse {
  const responseDate = formatDatestamp(ctx.now());
  const base = { responseDate, baseUrl: ctx.settings.baseUrl };
  const parsed = parseRequest(pairs);
  if (!parsed.ok) return { ...base, args: null, body: { verb: null, errors: parsed.errors } };
  const outcome = dispatch(ctx, parsed.request);
  if (Array.isArray(outcome)) {
    return { ...base, args: suppressesEcho(outcome) ? null : { verb: parsed.request.verb, ...parsed.args }, body: { verb: null, errors: outcome } };
  }
  return { ...base, args: { verb: parsed.request.verb, ...parsed.args }, body: outcome };
}
