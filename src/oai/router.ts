import express, { type Request, type Response } from 'express';
import { OAI_RESPONSE_LOCAL } from '../activity/event.js';
import type { OaiContext } from './context.js';
import { noteOai, type OaiLogFields } from '../http/request-log.js';
import { WRITE_SIZE, writePieces } from '../http/write-pieces.js';
import { oaiError } from './errors.js';
import { handleOai, refuseOai } from './handle.js';
import type { OaiResponse } from './result.js';
import { xmlBuffers } from './write-xml.js';

/** The argument pairs of a GET query string, in order and with repeats kept. */
function queryPairs(req: Request): Array<[string, string]> {
  const query = req.originalUrl.split('?').slice(1).join('?');
  return [...new URLSearchParams(query)];
}

/** The argument pairs of a form-encoded POST body. */
function bodyPairs(req: Request): Array<[string, string]> {
  return typeof req.body === 'string' ? [...new URLSearchParams(req.body)] : [];
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
function stream(res: Response, response: OaiResponse): void {
  noteOai(res, logFields(response));
  // For the activity record, read when the response closes (activity/event.ts).
  res.locals[OAI_RESPONSE_LOCAL] = response;
  // setHeader, not res.set: Express would rewrite the charset's spelling.
  res.status(200).setHeader('Content-Type', 'text/xml; charset=UTF-8');
  res.setHeader('Cache-Control', 'no-store');
  writePieces(res, xmlBuffers(response, WRITE_SIZE));
}

/**
 * `/oai` over GET and POST (§3.1.1). Every answer, errors included, is `text/xml` with status
 * 200: OAI errors are protocol answers, not HTTP failures.
 */
export function oaiRouter(ctx: OaiContext): express.Router {
  const router = express.Router();
  const answer = (res: Response, pairs: Array<[string, string]>): void => stream(res, handleOai(ctx, pairs));
  router.get('/', (req, res) => answer(res, queryPairs(req)));
  router.post('/', express.text({ type: FORM, limit: POST_LIMIT }), (req, res) => {
    // §3.1.1.2: a POST carries its arguments form-encoded. Any other body is not read as arguments.
    if (!req.is(FORM)) {
      const type = req.get('Content-Type') ?? 'none';
      stream(res, refuseOai(ctx, oaiError('badArgument', `A POST request must be ${FORM}, not ${type}.`)));
      return;
    }
    answer(res, bodyPairs(req));
  });
  router.all('/', (_req, res) => {
    res.status(405).set('Allow', 'GET, HEAD, POST').type('text/plain').send('OAI-PMH requests use GET or POST.\n');
  });
  return router;
}
