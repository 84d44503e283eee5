import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { OaiContext } from './oai/context.js';
import { oaiRouter } from './oai/router.js';
import { pagesRouter } from './pages/router.js';

/** Content codings the compression middleware applies, as Identify advertises them. */
export const COMPRESSION = ['gzip', 'deflate'];

/** Builds the Express app: `/oai`, the pages and a health check. It does not listen. */
export function createApp(ctx: OaiContext, log: (message: string) => void = console.error): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Every response is compressed when the client asks, however small: Identify promises it.
  app.use(compression({ threshold: 0 }));
  app.use('/oai', oaiRouter(ctx));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', earliestDatestamp: ctx.repository.earliestDatestamp() });
  });
  app.use(pagesRouter(ctx));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });
  // The client gets a status and a sentence, never a stack trace; the log gets the details.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) log(`${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (res.headersSent) return;
    res.status(status).type('text/plain').send(status >= 500 ? 'Internal server error.\n' : 'Bad request.\n');
  });
  return app;
}
