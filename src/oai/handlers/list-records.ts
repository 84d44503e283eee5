import type { MetadataFormat } from '../../formats/registry.js';
import type { RecordHeader } from '../../model.js';
import type { OaiContext } from '../context.js';
import { formatDatestamp, secondBefore } from '../datestamp.js';
import { oaiError, type OaiError } from '../errors.js';
import type { ListArgs } from '../parse-request.js';
import type { RecordKey, RecordQuery, StoredRecord } from '../repository.js';
import type { TokenState } from '../resumption-token.js';
import type { VerbResult } from '../result.js';
import { nextToken, resume } from './paging.js';
import { mapLazily } from '../../iterate.js';
import { headerOut } from './header-out.js';

type ListVerb = 'ListIdentifiers' | 'ListRecords';
type ListState = Omit<TokenState, 'expires' | 'after'> & { after: RecordKey | null };

/**
 * The first page's state. The upper bound is frozen here, one second before the harvest
 * started: a record that changes mid-harvest moves past it and is neither sent twice nor
 * skipped, since the next incremental harvest (from this response's date) picks it up.
 */
function start(ctx: OaiContext, verb: ListVerb, args: ListArgs): ListState | OaiError[] {
  const errors: OaiError[] = [];
  if (!ctx.formats.has(args.metadataPrefix)) {
    errors.push(oaiError('cannotDisseminateFormat', `The metadata format "${args.metadataPrefix}" is not supported.`));
  }
  if (args.set !== null) {
    if (ctx.repository.countSets() === 0) errors.push(oaiError('noSetHierarchy', 'This repository has no sets.'));
    else if (!ctx.repository.setExists(args.set)) errors.push(oaiError('noRecordsMatch', `There is no set "${args.set}".`));
  }
  if (errors.length > 0) return errors;

  const frozen = secondBefore(formatDatestamp(ctx.now()));
  const until = args.until === null || args.until.upper > frozen ? frozen : args.until.upper;
  const bounds = { from: args.from?.lower ?? null, until, set: args.set };
  const format = ctx.formats.get(args.metadataPrefix);
  const completeListSize = ctx.repository.countRecords({ ...bounds, format: format ? formatFilter(format) : null });
  if (completeListSize === 0) return [oaiError('noRecordsMatch', 'No record matches these arguments.')];
  return { verb, metadataPrefix: args.metadataPrefix, ...bounds, after: null, cursor: 0, completeListSize };
}

/** The availability check a format needs in the store: none when it can disseminate every record. */
function formatFilter(format: MetadataFormat): string | null {
  return format.everyRecord === true ? null : format.prefix;
}

function stateFromToken(ctx: OaiContext, verb: ListVerb, token: string): ListState | OaiError[] {
  const state = resume(ctx, verb, token);
  if ('code' in state) return [state];
  if (!('datestamp' in state.after) || state.metadataPrefix === null || !ctx.formats.has(state.metadataPrefix)) {
    return [oaiError('badResumptionToken', 'The resumptionToken is not one this repository issued.')];
  }
  return { ...state, after: state.after };
}

/** ListIdentifiers (§4.3) and ListRecords (§4.5): one keyset page of a selective harvest. */
export function listRecords(ctx: OaiContext, verb: ListVerb, args: ListArgs | string): VerbResult | OaiError[] {
  const state = typeof args === 'string' ? stateFromToken(ctx, verb, args) : start(ctx, verb, args);
  if (Array.isArray(state)) return state;
  const format = ctx.formats.get(state.metadataPrefix ?? '');
  if (!format) throw new Error('format checked above');
  const query: RecordQuery = { from: state.from, until: state.until, set: state.set, format: formatFilter(format) };

  const page =
    verb === 'ListRecords'
      ? ctx.repository.listRecords(query, state.after, ctx.settings.pageSize.records, format.prefix)
      : ctx.repository.listHeaders(query, state.after, ctx.settings.pageSize.identifiers);
  if (page.size === 0) {
    // Only when every remaining record changed after the harvest began: they moved past its frozen bound.
    return [oaiError('noRecordsMatch', `The rest of this list changed after the harvest began; harvest again from ${state.until ?? 'its start'}.`)];
  }
  const token = nextToken(ctx, state, page.size, page.hasMore, page.last);
  // The items stay lazy: the writer reads the rows as it writes them out.
  if (verb === 'ListRecords') {
    const records = page.items as Iterable<StoredRecord>;
    return { verb, records: mapLazily(records, (r) => ({ header: headerOut(ctx, r), metadata: r.metadata })), size: page.size, token };
  }
  return { verb, headers: mapLazily(page.items as Iterable<RecordHeader>, (h) => headerOut(ctx, h)), size: page.size, token };
}
