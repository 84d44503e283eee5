import express, { type Request, type Response } from 'express';
import type { Layout } from '../pages/html.js';
import { activityPage } from '../pages/activity-page.js';
import type { Activity } from './activity.js';
import { DEFAULT_DAYS } from './report.js';

/** `?days=N`, within 1 and the days kept. */
export function daysParam(value: unknown, retentionDays: number): number {
  const text = Array.isArray(value) ? value[0] : value;
  const days = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : DEFAULT_DAYS;
  return Math.min(Math.max(1, days), retentionDays);
}

/**
 * `/activity`: the harvest activity page, read from this server's activity file (which the
 * recorder flushes first, so the page includes the requests just answered).
 */
export function activityRouter(activity: Activity | null, layout: (req: Request, res: Response) => Layout): express.Router {
  const router = express.Router();
  router.get('/activity', (req, res) => {
    const report = activity === null ? null : activity.report(daysParam(req.query['days'], activity.retentionDays));
    res.set('Cache-Control', 'no-store').type('html').send(activityPage(layout(req, res), report, activity?.retentionDays ?? 0));
  });
  return router;
}
