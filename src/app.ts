import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Activity } from './activity/activity.js';
import { activityRouter } from './activity/router.js';
import type { AppContext } from './context.js';
import { discoveryRouter } from './discovery/router.js';
import { clientAddress, compileTrust, type TrustProxy } from './http/client-address.js';
import { FlowControl, flowControl, type FlowLimits } from './http/flow-control.js';
import { RequestLog, requestLog } from './http/request-log.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { silentLogger, type Logger } from './log.js';
import { oaiEndpoint, oaiPathOf, POST_LIMIT } from './oai/router.js';
import { assetsRouter } from './pages/assets.js';
import { notFoundPage, serverErrorPage } from './pages/error-pages.js';
import { layoutFor } from './pages/layout.js';
import { pagesRouter } from './pages/router.js';
import { selfCheckRouter } from './selfcheck/router.js';

/** The server's request listener: what `http.createServer` is given. */
export type App = (req: IncomingMessage, res: ServerResponse) => void;

/** How the app is run: its logger, the flow-control limits, and which proxies to believe. */
export interface AppOptions {
  logger?: Logger;
  limits?: FlowLimits;
  /** Express's `trust proxy`: which hops' X-Forwarded-For names the client. False trusts none. */
  trustProxy?: TrustProxy;
  /** Where `/oai` requests are recorded, for `/activity`; absent or null records none. */
  activity?: Activity | null;
}

/**
 * Builds the app: `/oai` answered by its own bare handler, ahead of Express, and every other path
 * (the pages, discovery, the health checks, activity, assets) by Express. Both share the request
 * log, flow control and the client's address. It does not listen.
 */
export function createApp(ctx: AppContext, options: AppOptions = {}): App {
  const logger = options.logger ?? silentLogger;
  const log = new RequestLog(logger);
  const flow = new FlowControl(options.limits ?? { concurrent: 0, ratePerSecond: 0 });
  const trustSetting = options.trustProxy ?? false;
  const trust = compileTrust(trustSetting);
  // A failure of `/oai` is handed to Express's error handler below, so that it gets the same
  // answer, in the client's language, as a failure anywhere else.
  const failures = new WeakMap<IncomingMessage, { error: unknown }>();
  const oai = oaiEndpoint(ctx, {
    log,
    flow,
    clientOf: clientAddress(trustSetting, trust),
    activity: options.activity?.recorder ?? null,
    fail: (error, req, res) => {
      failures.set(req, { error });
      app(req, res);
    },
  });

  const app = express();
  // The same compiled function as `/oai`'s, so that both name the same client.
  app.set('trust proxy', trust);
  const layout = (req: Request, res: Response) => layoutFor(req, res, ctx.settings);
  app.disable('x-powered-by');
  // No ETag hashed from every body: the documents that can be revalidated set their own validators.
  app.set('etag', false);
  app.use((req, _res, next) => {
    // A failed `/oai` request skips straight to the error handler.
    const failure = failures.get(req);
    if (failure === undefined) next();
    else next(failure.error ?? new Error('the /oai endpoint failed'));
  });
  app.use((_req, res, next) => {
    setSecurityHeaders(res);
    next();
  });
  app.use(requestLog(log));
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
  app.use(flowControl(flow));
  // Every response is compressed when the client asks, however small.
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

  return (req, res) => {
    const path = oaiPathOf(req.url ?? '/');
    if (path === null) app(req, res);
    else oai(req, res, path);
  };
}
