import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../../src/activity/days.js';
import type { ActivityReport } from '../../src/activity/report.js';
import { activityServer, get, settle, tokenOf } from './support.js';

// Activity kept five days, on a clock the test drives.
const server = await activityServer({ OAI_PAGE_SIZE_RECORDS: '3', ACTIVITY_RETENTION_DAYS: '5' });
const HOUR = 3_600_000;
const file = server.config.activity.path ?? '';

/** Row counts of the activity file's tables, read as another process would. */
function rows(): { event: number; daily: number; daily_count: number; harvest: number; harvester: number } {
  const db = new Database(file, { readonly: true });
  try {
    const count = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
    return { event: count('event'), daily: count('daily'), daily_count: count('daily_count'), harvest: count('harvest'), harvester: count('harvester') };
  } finally {
    db.close();
  }
}

/** What folding must keep: every count per harvester and per day (the period moves with the clock). */
function counts(report: ActivityReport) {
  return { totals: report.totals, daily: report.daily.filter((d) => d.requests > 0), harvesters: report.harvesters };
}

describe('raw events are folded into daily aggregates after a day, and everything goes after the retention', () => {
  const start = Date.parse('2026-06-10T12:00:00Z');
  let before: ActivityReport;

  it('keeps each request as a raw event on its first day', async () => {
    server.clock.now = start;
    // A whole harvest, and a GetRecord with an error, by one harvester.
    const headers = { 'User-Agent': 'folding/1' };
    for (let url: string | null = `${server.url}/oai?verb=ListRecords&metadataPrefix=oai_dc`; url !== null; ) {
      const { text } = await get(url, headers);
      const token = tokenOf(text);
      url = token === null ? null : `${server.url}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
    }
    await get(`${server.url}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:none`, headers);
    await settle(server.activity, () => server.activity.report(5).totals.requests === 4);
    expect(rows()).toMatchObject({ event: 4, daily: 0, daily_count: 0, harvest: 1, harvester: 1 });
    before = server.activity.report(5);
    expect(before.totals).toMatchObject({ requests: 4, records: 8, oaiErrors: 1, harvests: { started: 1, finished: 1 } });
    expect(before.daily.at(-1)).toEqual({ day: '2026-06-10', requests: 4, records: 8 });
  });

  it('folds them after a day: the raw events go, the report reads the same', () => {
    server.clock.now = start + 23 * HOUR;
    server.activity.recorder.flush();
    expect(rows().event).toBe(4);
    server.clock.now = start + 25 * HOUR;
    server.activity.recorder.flush();
    expect(rows()).toMatchObject({ event: 0, daily: 1, harvest: 1, harvester: 1 });
    // 'error' idDoesNotExist, 'format' oai_dc.
    expect(rows().daily_count).toBe(2);
    const after = server.activity.report(5);
    expect(counts(after)).toEqual(counts(before));
    expect(after.harvesters[0]?.errors).toEqual([{ code: 'idDoesNotExist', count: 1 }]);
    expect(after.harvesters[0]?.formats).toEqual([{ prefix: 'oai_dc', requests: 4 }]);
  });

  it('adds a later day of the same harvester to its own row', async () => {
    await get(`${server.url}/oai?verb=Identify`, { 'User-Agent': 'folding/1' });
    await settle(server.activity, () => server.activity.report(5).totals.requests === 5);
    const report = server.activity.report(5);
    expect(report.daily.slice(-2)).toEqual([
      { day: '2026-06-10', requests: 4, records: 8 },
      { day: dayOf(start + 25 * HOUR), requests: 1, records: 0 },
    ]);
    server.clock.now += 25 * HOUR;
    server.activity.recorder.flush();
    expect(rows()).toMatchObject({ event: 0, daily: 2 });
    expect(server.activity.report(5).daily.slice(-3, -1)).toEqual(report.daily.slice(-2));
  });

  it('prunes the days past ACTIVITY_RETENTION_DAYS, then the harvests and harvesters seen only before them', () => {
    // The first day is the sixth day back: gone; the second is the fifth: kept.
    server.clock.now = Date.parse('2026-06-15T12:00:00Z');
    server.activity.recorder.flush();
    expect(rows()).toMatchObject({ event: 0, daily: 1, daily_count: 0, harvest: 0, harvester: 1 });
    expect(server.activity.report(5).totals).toMatchObject({ requests: 1, records: 0, harvests: { started: 0 } });
    server.clock.now = Date.parse('2026-06-16T12:00:00Z');
    server.activity.recorder.flush();
    expect(rows()).toEqual({ event: 0, daily: 0, daily_count: 0, harvest: 0, harvester: 0 });
    const empty = server.activity.report(5);
    expect(empty.totals.requests).toBe(0);
    expect(empty.harvesters).toEqual([]);
    expect(empty.daily).toHaveLength(5);
  });
});
