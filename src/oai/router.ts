import express, { type Request, type Response } from 'express';
import { encodeBody, type Coding } from '../deflate/body.js';
import { OAI_RESPONSE_LOCAL } from '../activity/event.js';
import type { OaiContext } from './context.js';
import { noteOai, type OaiLogFields } from '../http/request-log.js';
import { WRITE_SIZE, writePieces } from '../http/write-pieces.js';
import { oaiError } from './errors.js';
import { refuseOai } from './handle.js';
import { PreparedAnswers } from './prepared.js';
import type { OaiResponse } from './result.js';
import { xmlChunks, type XmlChunk } from './write-xml.js';

/** The query string of a GET request, as it came. */
function queryOf(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at + 1);
}

/** The content coding the client prefers among those Identify advertises; none asked for, none used. */
function codingOf(req: Request): Coding {
  if (req.headers['accept-encoding'] === undefined) return 'identity';
  const chosen = req.acceptsEncodings('gzip', 'deflate', 'identity');
  return chosen === 'gzip' || chosen === 'deflate' ? chosen : 'identity';
}

const FORM = 'application/x-www-form-urlencoded';
/** The largest POST body read; a larger one gets 413. No valid request comes near it. */
export const POST_LIMIT = '64kb';

/** What the request log records of an answer. */
function logFields(response: OaiResponse): OaiLogFields {
  const body = response.body;
  switch (body.verb) {
    case null:
      return { verb: response.args?.['verb'] ?? null, errors: body.errors.map((e) => e.code) };
    case 'ListRecords':
    case 'ListIdentifiers':
      return { verb: body.verb, items: body.size };
    case 'ListSets':
      return { verb: body.verb, items: body.sets.length };
    case 'GetRecord':
      return { verb: body.verb, items: 1 };
    default:
      return { verb: body.verb };
  }
}

/**
 * Writes a response as it is produced: a list's rows are read from the store as the XML goes out,
 * so memory holds one write's worth of it, not the whole page. A failure after the first write
 * cannot become an OAI error any more; the error handler then cuts the connection, so a harvester
 * sees a broken transfer rather than a page that looks complete.
 */
function stream(req: Request, res: Response, response: OaiResponse, chunks: Iterable<XmlChunk> = xmlChunks(response)): void {
  noteOai(res, logFields(response));
  // For the activity record, read when the response closes (activity/event.ts).
  res.locals[OAI_RESPONSE_LOCAL] = response;
  // setHeader, not res.set: Express would rewrite the charset's spelling.
  res.status(200).setHeader('Content-Type', 'text/xml; charset=UTF-8');
  res.setHeader('Cache-Control', 'no-store');
  // The body is compressed here, not by middleware: stored metadata is spliced in compressed.
  const coding = codingOf(req);
  res.setHeader('Vary', 'Accept-Encoding');
  if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
  writePieces(res, encodeBody(chunks, coding, WRITE_SIZE));
}

/**
 * `/oai` over GET and POST (§3.1.1). Every answer, errors included, is `text/xml` with status
 * 200: OAI errors are protocol answers, not HTTP failures.
 */
export function oaiRouter(ctx: OaiContext): express.Router {
  const router = express.Router();
  const prepared = new PreparedAnswers(ctx);
  // The arguments are form-encoded in a GET's query string and in a POST's body alike (§3.1.1).
  const answer = (req: Request, res: Response, args: string): void => {
    const { response, chunks } = prepared.answer(args, [...new URLSearchParams(args)]);
    stream(req, res, response, chunks);
  };
  router.get('/', (req, res) => answer(req, res, queryOf(req)));
  router.post('/', express.text({ type: FORM, limit: POST_LIMIT }), (req, res) => {
    // §3.1.1.2: a POST carries its arguments form-encoded. Any other body is not read as arguments.
    if (!req.is(FORM)) {
      const type = req.get('Content-Type') ?? 'none';
      stream(req, res, refuseOai(ctx, oaiError('badArgument', `A POST request must be ${FORM}, not ${type}.`)));
      return;
    }
    answer(req, res, typeof req.body === 'string' ? req.body : '');
  });
  router.all('/', (_req, res) => {
    res.status(405).set('Allow', 'GET, HEAD, POST').type('text/plain').send('OAI-PMH requests use GET or POST.\n');
  });
  return router;
}
