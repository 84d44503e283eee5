import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from './context.js';
import { oaiRouter } from './oai/router.js';
import { assetsRouter } from './pages/assets.js';
import { notFoundPage, serverErrorPage } from './pages/error-pages.js';
import type { Layout } from './pages/html.js';
import { pagesRouter } from './pages/router.js';

/** Content codings the compression middleware applies, as Identify advertises them. */
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

/** Builds the Express app: `/oai`, the pages and a health check. It does not listen. */
export function createApp(ctx: AppContext, log: (message: string) => void = console.error): express.Express {
  const app = express();
  const layout: Layout = { repositoryName: ctx.settings.repositoryName, baseUrl: ctx.settings.baseUrl };
  app.disable('x-powered-by');
  // Every OAI response is new (its responseDate changes), so hashing it for an ETag is wasted work.
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });
  // Every response is compressed when the client asks, however small: Identify promises it.
  app.use(compression({ threshold: 0 }));
  app.use('/oai', oaiRouter(ctx));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', earliestDatestamp: ctx.repository.earliestDatestamp() });
  });
  app.use(assetsRouter());
  app.use(pagesRouter(ctx));
  app.use((_req, res) => {
    res.status(404).type('html').send(notFoundPage(layout));
  });
  // The client gets a status and a plain page, never a stack trace; the log gets the details.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) log(`${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    // Part of the answer is already out: end the connection, so it cannot pass for a whole one.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (status === 404) res.status(404).type('html').send(notFoundPage(layout));
    else if (status >= 500) res.status(status).type('html').send(serverErrorPage(layout));
    else res.status(status).type('text/plain').send('Bad request.\n');
  });
  return app;
}
