import type { Db } from '../store/open.js';
import { DAY_MS, dayOf, startOfDay } from './days.js';

/**
 * Per day and harvester, the totals of the raw events before `@before`. The report reads it over
 * every event (`@before` far ahead), the fold over the events older than a day: one definition for both.
 */
export const EVENT_TOTALS = `
  SELECT day, harvester_id, count(*) AS requests, sum(records) AS records, sum(headers) AS headers,
         count(errors) AS oai_errors, sum(status = 503) AS busy, sum(broken) AS broken
  FROM event WHERE at < @before GROUP BY day, harvester_id`;

/** Per day and harvester, the raw events before `@before` by OAI error code, format and set. */
export const EVENT_COUNTS = `
  SELECT day, harvester_id, 'error' AS kind, j.value AS value, count(*) AS n
  FROM event, json_each(event.errors) AS j WHERE at < @before GROUP BY day, harvester_id, j.value
  UNION ALL
  SELECT day, harvester_id, 'format', prefix, count(*) FROM event WHERE at < @before AND prefix IS NOT NULL GROUP BY day, harvester_id, prefix
  UNION ALL
  SELECT day, harvester_id, 'set', set_spec, count(*) FROM event WHERE at < @before AND set_spec IS NOT NULL GROUP BY day, harvester_id, set_spec`;

/** What one pass of upkeep did. */
export interface FoldOutcome {
  folded: number;
  prunedDays: number;
  prunedHarvests: number;
}

/**
 * Upkeep, in one transaction: raw events older than a day are folded into the daily aggregates
 * and deleted; days older than the retention, harvests last active before it, and harvesters
 * seen only before it are deleted.
 */
export function foldAndPrune(db: Db, now: number, retentionDays: number): FoldOutcome {
  const before = now - DAY_MS;
  // Today and the retentionDays - 1 days before it are kept.
  const firstKept = dayOf(now - (retentionDays - 1) * DAY_MS);
  const keptFrom = startOfDay(firstKept);
  return db.transaction((): FoldOutcome => {
    db.prepare(
      `INSERT INTO daily (day, harvester_id, requests, records, headers, oai_errors, busy, broken)
       SELECT * FROM (${EVENT_TOTALS}) WHERE true
       ON CONFLICT (day, harvester_id) DO UPDATE SET
         requests = requests + excluded.requests, records = records + excluded.records, headers = headers + excluded.headers,
         oai_errors = oai_errors + excluded.oai_errors, busy = busy + excluded.busy, broken = broken + excluded.broken`,
    ).run({ before });
    db.prepare(
      `INSERT INTO daily_count (day, harvester_id, kind, value, n)
       SELECT * FROM (${EVENT_COUNTS}) WHERE true
       ON CONFLICT (day, harvester_id, kind, value) DO UPDATE SET n = n + excluded.n`,
    ).run({ before });
    const folded = db.prepare('DELETE FROM event WHERE at < ?').run(before).changes;
    const prunedDays = db.prepare('DELETE FROM daily WHERE day < ?').run(firstKept).changes;
    db.prepare('DELETE FROM daily_count WHERE day < ?').run(firstKept);
    // Events are at most a day old, so they are within any retention: only a clock set back leaves older ones.
    db.prepare('DELETE FROM event WHERE day < ?').run(firstKept);
    const prunedHarvests = db.prepare('DELETE FROM harvest WHERE last_at < ?').run(keptFrom).changes;
    db.prepare(
      `DELETE FROM harvester WHERE last_seen < @keptFrom
         AND NOT EXISTS (SELECT 1 FROM daily WHERE harvester_id = harvester.id)
         AND NOT EXISTS (SELECT 1 FROM daily_count WHERE harvester_id = harvester.id)
         AND NOT EXISTS (SELECT 1 FROM event WHERE harvester_id = harvester.id)
         AND NOT EXISTS (SELECT 1 FROM harvest WHERE harvester_id = harvester.id)`,
    ).run({ keptFrom });
    return { folded, prunedDays, prunedHarvests };
  })();
}
