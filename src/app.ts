import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Activity } from './activity/activity.js';
import { recordActivity } from './activity/hook.js';
import { activityRouter } from './activity/router.js';
import type { AppContext } from './context.js';
import { discoveryRouter } from './discovery/router.js';
import { flowControl, type FlowLimits } from './http/flow-control.js';
import { requestLog } from './http/request-log.js';
import { silentLogger, type Logger } from './log.js';
import { oaiRouter, POST_LIMIT } from './oai/router.js';
import { assetsRouter } from './pages/assets.js';
import { notFoundPage, serverErrorPage } from './pages/error-pages.js';
import { layoutFor } from './pages/layout.js';
import { pagesRouter } from './pages/router.js';
import { selfCheckRouter } from './selfcheck/router.js';

/** Content codings `/oai` answers in, as Identify advertises them. */
export const COMPRESSION = ['gzip', 'deflate'];

// No script at all, and styles and fonts only from this server: a value that slipped through
// escaping still could not run.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** How the app is run: its logger, the flow-control limits, and which proxies to believe. */
export interface AppOptions {
  logger?: Logger;
  limits?: FlowLimits;
  /** Express's `trust proxy`: which hops' X-Forwarded-For names the client. False trusts none. */
  trustProxy?: boolean | number | string;
  /** Where `/oai` requests are recorded, for `/activity`; absent or null records none. */
  activity?: Activity | null;
}

/** Builds the Express app: `/oai`, the pages and the health checks. It does not listen. */
export function createApp(ctx: AppContext, options: AppOptions = {}): express.Express {
  const logger = options.logger ?? silentLogger;
  const app = express();
  app.set('trust proxy', options.trustProxy ?? false);
  const layout = (req: Request, res: Response) => layoutFor(req, res, ctx.settings);
  app.disable('x-powered-by');
  // Every OAI response is new (its responseDate changes), so hashing it for an ETag is wasted work.
  app.set('etag', false);
  app.use((_req, res, next) => {
    // setHeader, not res.set: these need none of its content-type handling, on every request.
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.use(requestLog(logger));
  if (options.activity) app.use(recordActivity(options.activity.recorder));
  // Health checks come before flow control: a busy client must not make the server look down.
  app.get('/livez', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get(['/healthz', '/health'], (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      res.json({ status: 'ok', database: 'ok', earliestDatestamp: ctx.repository.earliestDatestamp() });
    } catch (error) {
      logger.error({ err: error }, 'health check: the database does not answer');
      res.status(503).json({ status: 'unavailable', database: 'not answering' });
    }
  });
  app.use(flowControl(options.limits ?? { concurrent: 0, ratePerSecond: 0 }));
  // `/oai` compresses its own answers, splicing in the stored compressed metadata.
  app.use('/oai', oaiRouter(ctx));
  // Every other response is compressed when the client asks, however small.
  app.use(compression({ threshold: 0 }));
  app.use(discoveryRouter(ctx));
  app.use(assetsRouter());
  // Each page in either language: `/fa/articles` and `/en/articles` name it, `/articles` chooses.
  const pages = [pagesRouter(ctx), selfCheckRouter(ctx, layout), activityRouter(options.activity ?? null, layout)];
  app.use(['/fa', '/en'], ...pages);
  app.use(...pages);
  app.use((req, res) => {
    res.status(404).type('html').send(notFoundPage(layout(req, res)));
  });
  // The client gets a status and a plain page, never a stack trace; the log gets the details.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) logger.error({ err, req: res.getHeader('X-Request-Id'), method: req.method, path: req.path }, 'request failed');
    // Part of the answer is already out: end the connection, so it cannot pass for a whole one.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status === 404) res.status(404).type('html').send(notFoundPage(layout(req, res)));
    else if (status >= 500) res.status(status).type('html').send(serverErrorPage(layout(req, res)));
    else if (status === 413) res.status(413).type('text/plain').send(`The request body is larger than ${POST_LIMIT}.\n`);
    else res.status(status).type('text/plain').send('Bad request.\n');
  });
  return app;
}
