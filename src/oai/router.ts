import express, { type Request, type Response } from 'express';
import type { OaiContext } from './context.js';
import { handleOai } from './handle.js';
import { writeXml } from './write-xml.js';

/** The argument pairs of a GET query string, in order and with repeats kept. */
function queryPairs(req: Request): Array<[string, string]> {
  const query = req.originalUrl.split('?').slice(1).join('?');
  return [...new URLSearchParams(query)];
}

/** The argument pairs of a form-encoded POST body. */
function bodyPairs(req: Request): Array<[string, string]> {
  return typeof req.body === 'string' ? [...new URLSearchParams(req.body)] : [];
}

/**
 * `/oai` over GET and POST (§3.1.1). Every answer, errors included, is `text/xml` with status
 * 200: OAI errors are protocol answers, not HTTP failures.
 */
export function oaiRouter(ctx: OaiContext): express.Router {
  const router = express.Router();
  const answer = (res: Response, pairs: Array<[string, string]>): void => {
    // A Buffer, so that Express leaves the charset as written rather than lower-casing it.
    const xml = Buffer.from(writeXml(handleOai(ctx, pairs)), 'utf8');
    res.status(200).set({ 'Content-Type': 'text/xml; charset=UTF-8', 'Cache-Control': 'no-store' }).send(xml);
  };
  router.get('/', (req, res) => answer(res, queryPairs(req)));
  router.post('/', express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' }), (req, res) =>
    answer(res, bodyPairs(req)),
  );
  router.all('/', (_req, res) => {
    res.status(405).set('Allow', 'GET, HEAD, POST').type('text/plain').send('OAI-PMH requests use GET or POST.\n');
  });
  return router;
}
