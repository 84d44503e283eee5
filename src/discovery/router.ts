import express, { type Request, type Response } from 'express';
import { parseDatestamp } from '../oai/datestamp.js';
import type { DiscoveryContext } from './context.js';
import { metadataDocument, recordLinkset } from './records.js';
import { plainReply, type Reply } from './reply.js';
import { capabilityList, changeList, changeListIndex, resourceList, resourceListPart, sourceDescription } from './resourcesync.js';
import { robotsTxt, sitemapIndex, sitemapPart } from './sitemap.js';
import { CAPABILITY_LIST_PATH, CHANGE_LIST_PATH, parseAfterKey, RESOURCE_LIST_PATH, SITEMAP_PATH, SOURCE_DESCRIPTION_PATH } from './urls.js';
import { writeBody } from './write-body.js';

/**
 * Sends a reply. A conditional request that the reply's validators answer gets 304 (Express's
 * `fresh`, RFC 9110 §13); HEAD gets the headers alone, and no body is made for it. A long body
 * is written as the client takes it.
 */
async function send(req: Request, res: Response, reply: Reply): Promise<void> {
  res.status(reply.status).setHeader('Content-Type', reply.type);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.status === 200 && req.fresh) {
    res.status(304).end();
  } else if (req.method === 'HEAD') {
    res.end();
  } else if (typeof reply.body === 'string') {
    res.end(reply.body);
  } else {
    await writeBody(res, reply.body);
  }
}

/** A part number from a URL: a whole number from 1, or null. */
function partNumber(value: string): number | null {
  return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

/**
 * The channels beside OAI-PMH, all read-only views of the store: robots.txt and sitemaps for
 * crawlers, each record's metadata documents and link sets (FAIR Signposting), and a ResourceSync
 * source. Routes only parse the URL and send what a handler replies.
 */
export function discoveryRouter(app: { readonly discovery: DiscoveryContext }): express.Router {
  const router = express.Router();
  // The context is read per request: SIGHUP swaps a new store in under the same app.
  const reply = (path: string, handle: (ctx: DiscoveryContext, req: Request) => Reply) =>
    router.get(path, (req, res) => send(req, res, handle(app.discovery, req)));

  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').set('Cache-Control', 'public, max-age=3600').send(robotsTxt(app.discovery.urls));
  });
  reply(SITEMAP_PATH, sitemapIndex);
  reply('/sitemap-:part.xml', (ctx, req) => {
    const part = partNumber(String(req.params['part']));
    return part === null ? plainReply(404, 'No such sitemap part.') : sitemapPart(ctx, part);
  });

  reply(SOURCE_DESCRIPTION_PATH, sourceDescription);
  reply(CAPABILITY_LIST_PATH, capabilityList);
  reply(RESOURCE_LIST_PATH, resourceList);
  reply('/resourcesync/resourcelist-:part.xml', (ctx, req) => {
    const part = partNumber(String(req.params['part']));
    return part === null ? plainReply(404, 'No such Resource List part.') : resourceListPart(ctx, part);
  });
  reply(CHANGE_LIST_PATH, changeListIndex);
  reply('/resourcesync/changelist/:day.xml', (ctx, req) => {
    const day = String(req.params['day']);
    const after = req.query['after'];
    const key = typeof after === 'string' ? parseAfterKey(after) : null;
    if (parseDatestamp(day)?.granularity !== 'day' || (after !== undefined && key === null)) return plainReply(404, 'No such Change List.');
    return changeList(ctx, day, key);
  });

  reply('/articles/:id/metadata/:file', (ctx, req) => metadataDocument(ctx, String(req.params['id']), String(req.params['file'])));
  reply('/articles/:id/linkset', (ctx, req) => recordLinkset(ctx, String(req.params['id']), false));
  reply('/articles/:id/linkset.json', (ctx, req) => recordLinkset(ctx, String(req.params['id']), true));
  return router;
}
