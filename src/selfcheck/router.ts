import express, { type Request, type Response } from 'express';
import type { AppContext } from '../context.js';
import type { Layout } from '../pages/html.js';
import { selfCheckPage } from '../pages/selfcheck-page.js';
import { runSelfCheck } from './run.js';

/**
 * `/selfcheck`: GET shows the page and its button and runs nothing; POST runs the checks against
 * `$PUBLIC_URL/oai` and shows the report. One run at a time per server: a POST during a run gets
 * 409 and a page that says so. No URL is taken from the request, so the page cannot be made to
 * fetch anything but the repository's own public URL.
 */
export function selfCheckRouter(ctx: AppContext, layoutOf: (req: Request, res: Response) => Layout): express.Router {
  const router = express.Router();
  const target = ctx.settings.baseUrl;
  let running = false;

  router.get('/selfcheck', (req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(selfCheckPage(layoutOf(req, res), { target, report: null, busy: false }));
  });

  router.post('/selfcheck', async (req, res) => {
    const layout = layoutOf(req, res);
    res.set('Cache-Control', 'no-store');
    if (running) {
      res.status(409).set('Retry-After', '30').type('html').send(selfCheckPage(layout, { target, report: null, busy: true }));
      return;
    }
    running = true;
    try {
      const report = await runSelfCheck(target);
      res.type('html').send(selfCheckPage(layout, { target, report, busy: false }));
    } finally {
      running = false;
    }
  });
  return router;
}
