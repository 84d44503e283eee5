import { PreparedText } from '../deflate/piece.js';
import type { OaiContext } from './context.js';
import { formatDatestamp } from './datestamp.js';
import { handleOai } from './handle.js';
import type { OaiRepository } from './repository.js';
import type { OaiResponse } from './result.js';
import { writeXml, xmlChunks, type XmlChunk } from './write-xml.js';

/** An answer whose bytes are kept, but for its responseDate. */
interface Prepared {
  repository: OaiRepository;
  dataVersion: number;
  response: OaiResponse;
  before: PreparedText;
  after: PreparedText;
}

// The verbs whose answers may be kept; `keepable` decides on the answer itself.
const KEPT_VERBS = new Set(['Identify', 'ListMetadataFormats', 'ListSets']);

// Few requests are worth keeping: Identify, ListMetadataFormats and the first page of ListSets.
const MAX_PREPARED = 32;

/** Whether an answer depends on nothing but its arguments, the store and the settings. */
function keepable(response: OaiResponse): boolean {
  const body = response.body;
  // A ListSets page with a token carries its expiry, which moves with the clock.
  return body.verb === 'Identify' || body.verb === 'ListMetadataFormats' || (body.verb === 'ListSets' && body.token === null);
}

/**
 * Answers to requests whose answer changes only when the store does (Identify,
 * ListMetadataFormats, an unpaged ListSets), kept as bytes both plain and compressed, with the
 * responseDate spliced in: such a request costs no store query, no XML writing and no compression.
 * An answer is made again when the store's data version moves, or the store is reopened.
 */
export class PreparedAnswers {
  private readonly kept = new Map<string, Prepared>();

  constructor(private readonly ctx: OaiContext) {}

  /**
   * The answer to a request, as a response value (for the logs) and the pieces of its body.
   * `key` is the request's argument string as it came: equal strings ask the same thing.
   */
  answer(key: string, pairs: ReadonlyArray<readonly [string, string]>): { response: OaiResponse; chunks: Iterable<XmlChunk> } {
    // Lists and GetRecord, most requests by far, are never kept: they skip even the version check.
    if (!pairs.some(([name, value]) => name === 'verb' && KEPT_VERBS.has(value))) return this.fresh(pairs);
    const repository = this.ctx.repository;
    // Read before the answer is made: a write that lands meanwhile leaves it stale, not kept as new.
    const dataVersion = repository.dataVersion();
    const found = this.kept.get(key);
    if (found !== undefined && found.repository === repository && found.dataVersion === dataVersion) {
      const responseDate = formatDatestamp(this.ctx.now());
      return { response: { ...found.response, responseDate }, chunks: [found.before, responseDate, found.after] };
    }
    const answer = this.fresh(pairs);
    if (keepable(answer.response)) this.keep(key, { repository, dataVersion, response: answer.response, ...split(answer.response) });
    return answer;
  }

  private fresh(pairs: ReadonlyArray<readonly [string, string]>): { response: OaiResponse; chunks: Iterable<XmlChunk> } {
    const response = handleOai(this.ctx, pairs);
    return { response, chunks: xmlChunks(response) };
  }

  private keep(key: string, prepared: Prepared): void {
    this.kept.delete(key);
    if (this.kept.size >= MAX_PREPARED) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, prepared);
  }
}

/** The answer's text around the responseDate's value. */
function split(response: OaiResponse): { before: PreparedText; after: PreparedText } {
  const xml = writeXml(response);
  const open = '<responseDate>';
  const at = xml.indexOf(open) + open.length;
  const end = xml.indexOf('</responseDate>', at);
  return { before: new PreparedText(xml.slice(0, at)), after: new PreparedText(xml.slice(end)) };
}
